import { apportion, seededRandom } from './random.js';

describe('seed helpers', () => {
  it('apportion always adds up to the total, by largest remainder', () => {
    expect(apportion(54, [1.4, 1.3, 1, 1.1, 0.9, 1, 0.8, 0.8, 1])).toHaveLength(9);
    for (const total of [0, 1, 12, 28, 49, 55, 128]) {
      expect(apportion(total, [1.4, 1.3, 1, 1.1, 0.9, 1, 0.8, 0.8, 1]).reduce((a, b) => a + b, 0)).toBe(total);
    }
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
  });

  it('seededRandom repeats the same sequence for the same seed', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const xs = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});
