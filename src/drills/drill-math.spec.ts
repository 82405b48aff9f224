import { median, parseCsv, secondsBetween, toCsv, worst } from './drill-math.js';

describe('drill report arithmetic and CSV', () => {
  it('computes median and worst on known timings', () => {
    expect(median([30, 10, 20])).toBe(20);
    expect(median([40, 10, 20, 30])).toBe(25);
    expect(median([])).toBeNull();
    expect(worst([12, 95, 40])).toBe(95);
    expect(worst([])).toBeNull();
    expect(secondsBetween('2026-11-26T08:00:00Z', '2026-11-26T08:01:30.4Z')).toBe(90);
    expect(secondsBetween('2026-11-26T08:00:00Z', null)).toBeNull();
  });

  it('writes CSV that parses back to the same rows: commas, quotes, line breaks, Chinese', () => {
    const rows = [
      ['标题', 'kind', 'note'],
      ['祥芝镇"台风"演练, 第一场', 'drill', 'line one\nline two'],
      ['蚶江镇防汛培训', 'training', ''],
      ['with "quotes" only', 'drill', 'emoji 🌀'],
    ];
    const csv = toCsv(rows);
    expect(csv).toContain('"祥芝镇""台风""演练, 第一场"');
    expect(parseCsv(csv)).toEqual(rows);
  });
});
