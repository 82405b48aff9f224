import type { EventView } from '../realtime.js';
import { currentLang } from '../i18n.js';
import { t } from '../strings.js';

/** One line that says what happened, in the current language. Feature issues add their details. */
export function describeEvent(e: EventView): string {
  const label = t().eventTypes[e.type] ?? e.type;
  const p = e.payload as Record<string, unknown>;
  const name = currentLang() === 'en' ? (p.nameEn ?? p.name) : p.name;
  const detail = p.title ?? name ?? p.summary ?? p.reason;
  const colon = currentLang() === 'en' ? ': ' : '：';
  return typeof detail === 'string' && detail ? `${label}${colon}${detail}` : label;
}
