/** Text rules CAP and XML impose, and the words our messages use in both languages. */

/** China Standard Time has no daylight saving: one fixed offset serves every message. */
const OFFSET_MINUTES = 8 * 60;
const OFFSET = '+08:00';

/** A CAP dateTime: `2026-11-26T23:05:09+08:00` — explicit offset, whole seconds (the schema's pattern). */
export function capTime(at: string | Date): string {
  const local = new Date(new Date(at).getTime() + OFFSET_MINUTES * 60_000);
  return local.toISOString().slice(0, 19) + OFFSET;
}

/** A time as people read it in a description: `2026-11-26 23:05:09 (UTC+08:00)`. */
export function readableTime(at: string | Date): string {
  return `${capTime(at).slice(0, 19).replace('T', ' ')} (UTC${OFFSET})`;
}

// XML 1.0 allows tab, newline, carriage return and the characters from U+0020 on, except the
// surrogates (unpaired ones cannot be encoded) and U+FFFE/U+FFFF. xmlbuilder2 would write the others
// as they are and make the whole document unreadable, so they go before rendering.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** User text made safe to put in XML: characters XML 1.0 cannot carry removed. Escaping is xmlbuilder2's job. */
export function xmlSafe(text: string): string {
  return text.replace(NOT_XML_CHAR, '');
}

/**
 * Text (or an attribute value) as handed to xmlbuilder2's writer. That writer escapes `<`, `>` and `"`,
 * but leaves an `&` that looks like an entity reference (`&nbsp;`, `R&D;`) as it is — an undefined
 * entity that makes the whole document invalid XML. So every `&` goes in as `&amp;`, which the writer
 * keeps as it is: the parsed text is exactly the input (`&amp;` typed by a user reads back as `&amp;`).
 */
export function forXmlWriter(text: string): string {
  return text.replace(/&/g, '&amp;');
}

/** One line, at most `max` characters (code points, so an emoji is never cut in half), with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  const chars = [...oneLine];
  return chars.length <= max ? oneLine : chars.slice(0, max - 1).join('').trimEnd() + '…';
}

/** CAP recommends headlines of at most 160 characters (some devices show no more). */
export const HEADLINE_MAX = 160;

export const INCIDENT_KIND_NAMES: Record<string, { zh: string; en: string }> = {
  typhoon: { zh: '台风', en: 'Typhoon' },
  flood: { zh: '洪涝', en: 'Flood' },
  storm_surge: { zh: '风暴潮', en: 'Storm surge' },
  fire: { zh: '火灾', en: 'Fire' },
  medical: { zh: '医疗急救', en: 'Medical emergency' },
  rescue: { zh: '救援', en: 'Rescue' },
  public_health: { zh: '公共卫生事件', en: 'Public health event' },
  other: { zh: '突发事件', en: 'Incident' },
};

export const INCIDENT_SEVERITY_NAMES: Record<string, { zh: string; en: string }> = {
  extreme: { zh: '特别严重', en: 'extreme' },
  severe: { zh: '严重', en: 'severe' },
  moderate: { zh: '较重', en: 'moderate' },
  minor: { zh: '一般', en: 'minor' },
};

/** The name of an event type in the CAP `event` element, where the kind does not say it better. */
export const EVENT_TYPE_NAMES: Record<string, { zh: string; en: string }> = {
  'dispatch.declined': { zh: '调度被拒绝', en: 'Dispatch declined' },
  'dispatch.expired': { zh: '调度超时未确认', en: 'Dispatch not acknowledged in time' },
  'stock.low': { zh: '物资储备不足', en: 'Reserve shortfall' },
  'stock.expiring': { zh: '物资即将过期', en: 'Supplies expiring' },
  'notice.posted': { zh: '指挥中心通告', en: 'Command center notice' },
};

export const SWITCHOVER_NAMES: Record<string, { zh: string; en: string }> = {
  emergency: { zh: '平急转换：转入应急状态', en: 'Switchover to emergency mode' },
  normal: { zh: '平急转换：恢复平时状态', en: 'Return to peacetime mode' },
};
