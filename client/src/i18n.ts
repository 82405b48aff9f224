// Every string the dashboard shows, one dictionary per language; zh-CN is the default.
const zh = {
  appTitle: '平急 · 指挥中心',
  username: '用户名',
  password: '密码',
  login: '登录',
  logout: '退出',
  loginFailed: '登录失败',
  language: 'English',
  feedTitle: '实时动态',
  feedEmpty: '暂无动态',
  drill: '演练',
  connected: '已连接',
  reconnecting: '重新连接中…',
  offline: '离线',
  justNow: '刚刚',
  secondsAgo: (n: number) => `${n} 秒前`,
  minutesAgo: (n: number) => `${n} 分钟前`,
  hoursAgo: (n: number) => `${n} 小时前`,
  daysAgo: (n: number) => `${n} 天前`,
  severity: { info: '信息', warning: '警告', critical: '紧急' } as Record<string, string>,
  eventTypes: {
    'notice.posted': '指挥中心通告',
    'alert.acknowledged': '告警已确认',
    'facility.mode_changed': '阵地模式切换',
    'switchover.completed': '平急转换完成',
    'stock.low': '物资低于储备要求',
    'stock.expiring': '物资即将过期',
    'incident.created': '新事件',
    'incident.updated': '事件更新',
    'dispatch.created': '新调度',
    'dispatch.accepted': '调度已接受',
    'dispatch.declined': '调度被拒绝',
    'dispatch.expired': '调度超时未确认',
    'dispatch.progress': '调度进展',
    'dispatch.cancelled': '调度已取消',
    'squad.status_changed': '先锋队状态变化',
    'squad.position': '先锋队位置',
    'drill.started': '演练开始',
    'drill.logged': '演练记录',
    'drill.finished': '演练结束',
  } as Record<string, string>,
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
  feedTitle: 'Live feed',
  feedEmpty: 'Nothing yet',
  drill: 'DRILL',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
  justNow: 'just now',
  secondsAgo: (n) => `${n} s ago`,
  minutesAgo: (n) => `${n} min ago`,
  hoursAgo: (n) => `${n} h ago`,
  daysAgo: (n) => `${n} d ago`,
  severity: { info: 'Info', warning: 'Warning', critical: 'Critical' },
  eventTypes: {
    'notice.posted': 'Command center notice',
    'alert.acknowledged': 'Alert acknowledged',
    'facility.mode_changed': 'Site mode switched',
    'switchover.completed': 'Switchover completed',
    'stock.low': 'Stock below requirement',
    'stock.expiring': 'Stock expiring soon',
    'incident.created': 'New incident',
    'incident.updated': 'Incident updated',
    'dispatch.created': 'New dispatch',
    'dispatch.accepted': 'Dispatch accepted',
    'dispatch.declined': 'Dispatch declined',
    'dispatch.expired': 'Dispatch not acknowledged in time',
    'dispatch.progress': 'Dispatch progress',
    'dispatch.cancelled': 'Dispatch cancelled',
    'squad.status_changed': 'Squad status changed',
    'squad.position': 'Squad position',
    'drill.started': 'Drill started',
    'drill.logged': 'Drill log entry',
    'drill.finished': 'Drill finished',
  },
};

const dictionaries = { 'zh-CN': zh, en } as const;
export type Lang = keyof typeof dictionaries;

const saved = localStorage.getItem('pingji.lang');
let lang: Lang = saved === 'en' || saved === 'zh-CN' ? saved : 'zh-CN';

export const t = (): Strings => dictionaries[lang];
export const currentLang = (): Lang => lang;
export function toggleLang(): void {
  lang = lang === 'zh-CN' ? 'en' : 'zh-CN';
  localStorage.setItem('pingji.lang', lang);
}

/** "3 分钟前" / "3 min ago". */
export function timeAgo(iso: string, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (s < 10) return t().justNow;
  if (s < 60) return t().secondsAgo(s);
  if (s < 3600) return t().minutesAgo(Math.floor(s / 60));
  if (s < 86400) return t().hoursAgo(Math.floor(s / 3600));
  return t().daysAgo(Math.floor(s / 86400));
}
