// How the client speaks two languages: one page's words are a zh-CN dictionary (the default) and an
// English one with the same keys, read through the accessor `dictionary` makes (each page's
// strings.ts exports it as `t`). The choice is kept in localStorage and shared by every page, and sent
// to the server (Accept-Language, the socket handshake's `lang`) so its messages come in it too.
export type Lang = 'zh-CN' | 'en';

const LANG_KEY = 'pingji.lang';
const saved = localStorage.getItem(LANG_KEY);
let lang: Lang = saved === 'en' || saved === 'zh-CN' ? saved : 'zh-CN';
document.documentElement.lang = lang;

export const currentLang = (): Lang => lang;
export function toggleLang(): void {
  lang = lang === 'zh-CN' ? 'en' : 'zh-CN';
  localStorage.setItem(LANG_KEY, lang);
  document.documentElement.lang = lang;
}

/** `t = dictionary(zh, en)`, then `t().key`: the words in the current language. */
export function dictionary<T>(zh: T, en: NoInfer<T>): () => T {
  return () => (lang === 'en' ? en : zh);
}

/**
 * The one language switch every page shows: a button naming the other language. The choice is
 * remembered; `redraw` re-renders the page in place (keeping what it holds), else the page reloads.
 */
export function languageSwitch(redraw?: () => void | Promise<void>): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.dataset.action = 'lang';
  button.dataset.testid = 'lang-switch';
  const label = () => {
    button.textContent = lang === 'en' ? '中文' : 'English';
    button.lang = lang === 'en' ? 'zh-CN' : 'en';
    button.title = lang === 'en' ? '切换到中文' : 'Switch to English';
    button.setAttribute('aria-label', button.title);
  };
  label();
  button.addEventListener('click', () => {
    toggleLang();
    if (!redraw) return location.reload();
    label();
    void redraw();
  });
  return button;
}
