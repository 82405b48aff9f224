import { dictionary } from '../i18n.js';

// The phone's words for the squad's own status (back in service, unavailable), zh-CN first.
const zh = {
  status: { available: '✓ 待命', assigned: '◷ 已指派', en_route: '➜ 前往中', on_scene: '◉ 在现场', returning: '↩ 返回中', unavailable: '⊘ 暂不可用' } as Record<string, string>,
  returningTitle: '任务已结束，正在返回',
  returningNote: '回到驻地、可以再出发时，请点"已归队"；暂时不能出任务请点"暂不可用"。',
  unavailableTitle: '本队暂不可用',
  unavailableNote: '不会收到新的调度。可以出任务时请点"已归队"。',
  back: '已归队 · 可接受任务',
  unavailable: '暂不可用',
  setUnavailable: '设为暂不可用',
};
const en: typeof zh = {
  status: { available: '✓ Available', assigned: '◷ Assigned', en_route: '➜ En route', on_scene: '◉ On scene', returning: '↩ Returning', unavailable: '⊘ Unavailable' },
  returningTitle: 'Job done, returning',
  returningNote: 'Back at base and ready to go again: tap "Back, available". Cannot take jobs for now: tap "Unavailable".',
  unavailableTitle: 'Squad unavailable',
  unavailableNote: 'No dispatches will reach you. Ready again: tap "Back, available".',
  back: 'Back, available',
  unavailable: 'Unavailable',
  setUnavailable: 'Set unavailable',
};

export const st = dictionary(zh, en);
