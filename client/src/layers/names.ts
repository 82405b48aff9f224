import { api } from '../api.js';
import { areaName, facilityName, facilityStore } from '../facilities.js';
import { currentLang } from '../i18n.js';
import type { AreaShapeFeature } from '../../../src/contracts/areas.js';
import type { SupplyItemView } from '../../../src/contracts/supplies.js';

// Codes turned into the names a person reads: sites, areas, supply items, and the area a point lies in.

const items = new Map<string, SupplyItemView>();
let shapes: AreaShapeFeature[] = [];
let byCode = new Map<string, { name: string; nameEn: string | null }>();
let indexedSize = -1;

/** The supply catalog, once per page (the feed and the switchover dialog name items with it). */
export async function loadItemNames(): Promise<void> {
  if (items.size) return;
  for (const i of await api<SupplyItemView[]>('GET', '/api/supply-items')) items.set(i.code, i);
}

export function setAreaShapes(features: AreaShapeFeature[]): void {
  shapes = features;
}

/** Chinese measure words of the supply catalog, in English (counted things are "pcs"). */
const UNITS_EN: Record<string, string> = { 个: 'pcs', 件: 'pcs', 台: 'pcs', 床: 'pcs', 张: 'pcs', 把: 'pcs', 只: 'pcs', 套: 'sets', 包: 'packs', 盒: 'boxes', 箱: 'cases', 瓶: 'bottles', 桶: 'barrels', 袋: 'bags' };

/** A supply unit in the UI language: the catalog's Chinese measure word, or its English (袋(10kg) → bags (10kg)). */
export function unitName(unit: string): string {
  if (currentLang() !== 'en' || !unit) return unit;
  const m = /^(\p{Script=Han}+)\s*(?:[(（]\s*([^)）]*)[)）])?$/u.exec(unit);
  if (!m) return unit;
  const word = UNITS_EN[m[1]] ?? '';
  return m[2] ? `${word} (${m[2]})`.trim() : word;
}

export const itemName = (code: string): string => {
  const i = items.get(code);
  return i ? (currentLang() === 'en' && i.nameEn ? i.nameEn : i.name) : code;
};

/** A site by code, in the UI language where the store knows its English name. */
export function siteName(ref: { code: string; name?: string; nameEn?: string | null }): string {
  if (indexedSize !== facilityStore.facilities.size) {
    byCode = new Map([...facilityStore.facilities.values()].map((f) => [f.code, f]));
    indexedSize = facilityStore.facilities.size;
  }
  const known = byCode.get(ref.code);
  if (known) return facilityName(known);
  if (ref.name) return facilityName({ name: ref.name, nameEn: ref.nameEn ?? null });
  return ref.code;
}

export function areaNameOf(code: string): string {
  const a = facilityStore.areas.find((x) => x.code === code);
  return a ? areaName(a) : code;
}

function inRing(lng: number, lat: number, ring: [number, number][]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** The area a point lies in (its shape), else the area whose centre is nearest; '' when no area is known. */
export function areaAt(lat: number, lng: number): string {
  for (const f of shapes) {
    const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    if (polygons.some((p) => inRing(lng, lat, p[0]) && !p.slice(1).some((hole) => inRing(lng, lat, hole)))) return areaNameOf(f.properties.code);
  }
  let best: { d: number; code: string } | undefined;
  for (const a of facilityStore.areas) {
    const d = (a.lat - lat) ** 2 + ((a.lng - lng) * Math.cos((lat * Math.PI) / 180)) ** 2;
    if (!best || d < best.d) best = { d, code: a.code };
  }
  return best ? areaNameOf(best.code) : '';
}
