import { ERROR_CODES, type ErrorCode } from '../../contracts/errors.js';
import { issueText, KNOWN_RULES } from './constraints.js';
import { EN } from './en.js';
import { CATALOGUES } from './index.js';
import { ROW_CATALOGUES } from './rows.js';
import { ZH } from './zh.js';

const ALL_CODES: ErrorCode[] = [...Object.values(ERROR_CODES).flat(), 'INTERNAL'];
const HAN = /\p{Script=Han}/u;

describe('the error message catalogues', () => {
  it('have a Chinese and an English text for every error code, with and without details', () => {
    const missing: string[] = [];
    for (const code of ALL_CODES) {
      for (const [lang, catalogue] of Object.entries(CATALOGUES)) {
        const template = (catalogue as Record<string, ((p: object) => string) | undefined>)[code];
        const texts = template ? [template({}), template({ id: 'x', status: 'expired', from: 'expired', to: 'accepted', value: 'v' })] : [];
        if (!texts.length || texts.some((t) => !t.trim() || t.includes('undefined'))) missing.push(`${lang} ${code}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('say Chinese in Chinese and English in English, and name no status code raw in Chinese', () => {
    for (const code of ALL_CODES) {
      expect([code, HAN.test(ZH[code]({}))]).toEqual([code, true]);
      expect([code, HAN.test(EN[code]({}))]).toEqual([code, false]);
    }
    const moved = ZH['DISPATCH.INVALID_TRANSITION']({ from: 'expired', to: 'accepted' });
    expect(moved).toBe('派单不能从"已超时"变为"已接受"："已超时"是最终状态。');
    expect(EN['DISPATCH.INVALID_TRANSITION']({ from: 'expired', to: 'accepted' })).toBe('A dispatch cannot go from expired to accepted: expired is final.');
    expect(ZH['SQUAD.INVALID_STATUS']({ from: 'returning', to: 'en_route', allowed: 'available or unavailable' })).not.toMatch(/[a-z]_[a-z]|returning|available/);
  });

  it('word every validation rule in Chinese with the field name, and every import row problem in both languages', () => {
    for (const rule of KNOWN_RULES) {
      const text = issueText({ field: 'quantity', rule, args: [1, 5], en: 'x' }, 'zh-CN');
      expect([rule, HAN.test(text)]).toEqual([rule, true]);
    }
    expect(issueText({ field: 'kind', rule: 'isIn', args: [['a', 'b']], en: 'kind must be one of: a, b' }, 'zh-CN')).toBe('kind 必须是以下之一：a、b');
    expect(issueText({ field: 'kind', rule: 'isIn', args: [['a', 'b']], en: 'kind must be one of: a, b' }, 'en')).toBe('kind must be one of: a, b');
    for (const key of Object.keys(ROW_CATALOGUES.en) as (keyof typeof ROW_CATALOGUES.en)[]) {
      expect([key, HAN.test(ROW_CATALOGUES['zh-CN'][key]({ field: 'code' }))]).toEqual([key, true]);
      expect([key, ROW_CATALOGUES.en[key]({ field: 'code' }).length > 0]).toEqual([key, true]);
    }
  });
});
