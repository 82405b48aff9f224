// How the client speaks two languages: one page's words are a zh-CN dictionary (the default) and an
// English one with the same keys, read through the accessor `dictionary` makes (each page's
// strings.ts exports it as `t`). The choice is kept in localStorage and shared by every page.
export type Lang = 'zh-CN' | 'en';

const saved = localStorage.getItem('pingji.lang');
let lang: Lang = saved === 'en' || saved === 'zh-CN' ? saved : 'zh-CN';

export const currentLang = (): Lang => lang;
export function toggleLang(): void {
  lang = lang === 'zh-CN' ? 'en' : 'zh-CN';
  localStorage.setItem('pingji.lang', lang);
}

/** `t = dictionary(zh, en)`, then `t().key`: the words in the current language. */
export function dictionary<T>(zh: T, en: NoInfer<T>): () => T {
  return () => (lang === 'en' ? en : zh);
}
