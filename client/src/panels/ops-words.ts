import { areaName, facilityName, facilityStore } from '../facilities.js';
import { currentLang } from '../i18n.js';
import { unitName } from '../layers/names.js';
import { t, timeAgo } from '../strings.js';
import type { OpsStore } from './ops-store.js';
import { ot } from './operations-strings.js';
import type { SwitchoverScope } from '../../../src/contracts/events.js';

// Codes into words: who (a squad's code and name), where (a site and its area, the area nearest an
// incident), what (an item's name). A person reads names, never `xiangzhi` or `water`.

export function areaLabel(code: string): string {
  const a = facilityStore.areas.find((x) => x.code === code);
  return a ? areaName(a) : code;
}

/** The area whose centre is nearest the point (incidents are placed by a click, not in an area). */
export function nearestArea(lat: number, lng: number): string {
  let best = '';
  let bestD = Infinity;
  for (const a of facilityStore.areas) {
    const d = (a.lat - lat) ** 2 + ((a.lng - lng) * Math.cos((lat * Math.PI) / 180)) ** 2;
    if (d < bestD) [best, bestD] = [areaName(a), d];
  }
  return best;
}

export function squadLabel(store: OpsStore, squadId: string | undefined, code: string, name?: string): string {
  const known = squadId ? store.squads.get(squadId) : undefined;
  const n = name ?? known?.name;
  return n ? `${code} ${n}` : code;
}

/** "永宁镇 · 梧垵渔港码头邻里中心 (YN-NC-03)". */
export function siteLabel(facilityId: string | undefined, fallback: { code: string; name: string }): string {
  const f = facilityId ? facilityStore.facilities.get(facilityId) : undefined;
  if (!f) return `${fallback.name} (${fallback.code})`;
  return `${areaLabel(f.areaCode)} · ${facilityName(f)} (${f.code})`;
}

export function itemName(store: OpsStore, code: string): { name: string; unit: string } {
  const i = store.items.get(code);
  if (!i) return { name: code, unit: '' };
  return { name: currentLang() === 'en' && i.nameEn ? i.nameEn : i.name, unit: unitName(i.unit) };
}

/** A switchover's scope in words: the city, areas and types by name, or a count of sites. */
export function scopeLabel(scope: SwitchoverScope): string {
  if (scope.all) return ot().city;
  const parts = [
    ...(scope.areas ?? []).map(areaLabel),
    ...(scope.types ?? []).map((ty) => t().types[ty] ?? ty),
    ...(scope.facilityIds ?? []).map((id) => {
      const f = facilityStore.facilities.get(id);
      return f ? facilityName(f) : '';
    }).filter(Boolean),
  ];
  return parts.join('、') || ot().city;
}

export function statusWord(status: string): string {
  return t().squadStatus[status] ?? status;
}

/** A squad's status with a shape, so it never relies on colour alone. */
export const STATUS_GLYPH: Record<string, string> = {
  available: '✓', assigned: '◷', en_route: '➜', on_scene: '◉', returning: '↩', unavailable: '⊘',
};

export function minutesSince(iso: string | null | undefined, now = Date.now()): number | null {
  return iso ? Math.max(0, Math.floor((now - new Date(iso).getTime()) / 60_000)) : null;
}

export function clock(iso: string): string {
  return new Date(iso).toLocaleTimeString(currentLang() === 'en' ? 'en-GB' : 'zh-CN', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/**
 * Fills every `<time data-at>` under `el` ("08:10:19 · 3 分钟前" with data-clock, else "3 分钟前"). Times are
 * left out of a row's markup so that a row re-renders only when what it says changes, keeping the focus.
 */
export function fillTimes(el: Element): void {
  el.querySelectorAll<HTMLElement>('time[data-at]').forEach((time) => {
    const at = time.dataset.at!;
    time.textContent = time.hasAttribute('data-clock') ? `${clock(at)} · ${timeAgo(at)}` : timeAgo(at);
  });
}
