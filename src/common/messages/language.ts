/** The languages the API answers in: Simplified Chinese by default, English on request. */
export type Lang = 'zh-CN' | 'en';
export const DEFAULT_LANG: Lang = 'zh-CN';

/**
 * The language of an `Accept-Language` header (RFC 9110): the supported one with the highest q
 * (ties: the first listed). `zh`, `zh-CN`, `zh-Hans…` → zh-CN; `en`, `en-US`… → en; `*` → zh-CN;
 * anything else, a missing or malformed header → zh-CN.
 */
export function pickLanguage(header: string | string[] | undefined | null): Lang {
  const text = Array.isArray(header) ? header.join(',') : header ?? '';
  let best: { lang: Lang; q: number } | undefined;
  for (const part of text.slice(0, 512).split(',')) {
    const [rawTag, ...params] = part.trim().split(';');
    const tag = rawTag.trim().toLowerCase();
    if (!tag) continue;
    let q = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(p);
      if (m) q = Number(m[1]);
    }
    if (!(q > 0)) continue;
    const lang: Lang | undefined = tag === '*' || tag === 'zh' || tag.startsWith('zh-') ? 'zh-CN' : tag === 'en' || tag.startsWith('en-') ? 'en' : undefined;
    if (lang && (!best || q > best.q)) best = { lang, q };
  }
  return best?.lang ?? DEFAULT_LANG;
}
