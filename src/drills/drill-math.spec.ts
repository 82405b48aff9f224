import { median, secondsBetween, worst } from './drill-math.js';

describe('drill report arithmetic', () => {
  it('computes median and worst on known timings', () => {
    expect(median([30, 10, 20])).toBe(20);
    expect(median([40, 10, 20, 30])).toBe(25);
    expect(median([])).toBeNull();
    expect(worst([12, 95, 40])).toBe(95);
    expect(worst([])).toBeNull();
    expect(secondsBetween('2026-11-26T08:00:00Z', '2026-11-26T08:01:30.4Z')).toBe(90);
    expect(secondsBetween('2026-11-26T08:00:00Z', null)).toBeNull();
  });

});
