import { pickLanguage } from './language.js';

describe('pickLanguage', () => {
  it('answers zh-CN by default, for unknown languages and for garbage', () => {
    for (const h of [undefined, '', 'fr-FR', 'de;q=0.9', ';;;', 'q=1', 'en;q=0']) expect([h, pickLanguage(h)]).toEqual([h, 'zh-CN']);
  });
  it('reads the tags and their q-values', () => {
    expect(pickLanguage('en')).toBe('en');
    expect(pickLanguage('en-US,en;q=0.9')).toBe('en');
    expect(pickLanguage('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
    expect(pickLanguage('fr;q=1, en;q=0.5, zh;q=0.4')).toBe('en');
    expect(pickLanguage('zh-Hans;q=0.3, en-GB;q=0.7')).toBe('en');
    expect(pickLanguage('en;q=0.5, zh-TW;q=0.9')).toBe('zh-CN');
    expect(pickLanguage(['fr', 'en'])).toBe('en');
  });
});
