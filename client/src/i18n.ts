// Every string the dashboard shows, one dictionary per language; zh-CN is the default.
const zh = {
  appTitle: '平急 · 指挥中心',
  username: '用户名',
  password: '密码',
  login: '登录',
  logout: '退出',
  loginFailed: '登录失败',
  language: 'English',
};

export type Strings = typeof zh;

const en: Strings = {
  appTitle: 'Pingji · Command Center',
  username: 'Username',
  password: 'Password',
  login: 'Log in',
  logout: 'Log out',
  loginFailed: 'Login failed',
  language: '中文',
};

const dictionaries = { 'zh-CN': zh, en } as const;
export type Lang = keyof typeof dictionaries;

let lang: Lang = (localStorage.getItem('pingji.lang') as Lang) in dictionaries ? (localStorage.getItem('pingji.lang') as Lang) : 'zh-CN';

export const t = (): Strings => dictionaries[lang];
export const currentLang = (): Lang => lang;
export function toggleLang(): void {
  lang = lang === 'zh-CN' ? 'en' : 'zh-CN';
  localStorage.setItem('pingji.lang', lang);
}
