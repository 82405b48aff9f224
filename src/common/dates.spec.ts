import { isCalendarDate, isInstant } from './dates.js';

describe('strict dates', () => {
  it('accepts real instants with an offset, fractions up to microseconds', () => {
    for (const ok of ['2026-12-01T01:00:00Z', '2026-12-01T09:00:00+08:00', '2028-02-29T23:59:59.999999-05:30', '2026-12-01T01:00Z', '2026-01-31T00:00:00+14:00']) {
      expect([ok, isInstant(ok)]).toEqual([ok, true]);
    }
  });

  it('refuses impossible days and times, non-calendar forms and times without an offset', () => {
    for (const bad of [
      '2026-02-30T00:00:00Z', '2026-02-29T00:00:00Z', '2026-04-31T00:00:00Z', '2026-13-01T00:00:00Z', '2026-00-10T00:00:00Z',
      '2026-12-01T24:00:00Z', '2026-12-01T23:60:00Z', '2026-12-01T23:59:60Z', '0000-01-01T00:00:00Z', '2026-12-01T00:00:00+15:00',
      '2026-W05', '2026-W05-1', '2026-123', '2026', '2026-12', '2026-12-01', '20261201T010000Z', '2026-12-01T01:00:00',
      '2026-12-01 01:00:00Z', ' 2026-12-01T01:00:00Z', '2026-12-01T01:00:00.1234567Z', '', 20261201, null,
    ]) {
      expect([bad, isInstant(bad)]).toEqual([bad, false]);
    }
  });

  it('accepts calendar dates only as YYYY-MM-DD on a real day', () => {
    expect(['2027-06-30', '2028-02-29', '2026-12-31'].map(isCalendarDate)).toEqual([true, true, true]);
    for (const bad of ['2026-02-29', '2026-02-30', '2026-04-31', '2026-13-01', '2026-W05', '2026-123', '2026', '2026-12', '2026-12-01T00:00:00Z', '0000-01-01']) {
      expect([bad, isCalendarDate(bad)]).toEqual([bad, false]);
    }
  });
});
