import { dictionary } from '../i18n.js';

// The drills page's words, zh-CN by default.
const zh = {
  title: '演练与培训',
  stats: (y: number) => `${y} 年统计`,
  month: (m: number) => `${m}月`,
  perMonth: '按月',
  perArea: '按区域',
  csv: '下载 CSV',
  create: '新建演练',
  titlePlaceholder: '标题',
  kindDrill: '演练',
  kindTraining: '培训',
  start: '开始',
  finish: '结束',
  log: '记录',
  send: '发送演练调度',
  report: '报告',
  ackSeconds: '确认用时（秒）',
  arriveSeconds: '到场用时（秒）',
};
const en: typeof zh = {
  title: 'Drills and trainings',
  stats: (y) => `${y} in numbers`,
  month: (m) => String(m),
  perMonth: 'Per month',
  perArea: 'Per area',
  csv: 'Download CSV',
  create: 'Plan a drill',
  titlePlaceholder: 'Title',
  kindDrill: 'Drill',
  kindTraining: 'Training',
  start: 'Start',
  finish: 'Finish',
  log: 'Log',
  send: 'Send exercise dispatch',
  report: 'Report',
  ackSeconds: 'Seconds to acknowledge',
  arriveSeconds: 'Seconds to arrive',
};

export const t = dictionary(zh, en);
