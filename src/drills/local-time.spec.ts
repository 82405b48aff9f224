import { localIso } from './local-time.js';

describe('drill times in local time', () => {
  it('writes an instant in the zone with its offset', () => {
    expect(localIso('2026-12-01T01:00:00.000Z', 'Asia/Shanghai')).toBe('2026-12-01T09:00:00+08:00');
    expect(localIso('2026-07-01T12:30:15.000Z', 'Europe/Berlin')).toBe('2026-07-01T14:30:15+02:00');
    expect(localIso('2026-01-01T03:00:00.000Z', 'America/New_York')).toBe('2025-12-31T22:00:00-05:00');
    expect(localIso(null, 'UTC')).toBeNull();
  });

});
