import { etaMinutes, rankSquads } from './recommend.js';
import { distanceM } from '../common/geo.js';

describe('recommendations', () => {
  it('measures great-circle distance', () => {
    // One degree of latitude is ~111.2 km.
    expect(distanceM({ lat: 24, lng: 118 }, { lat: 25, lng: 118 })).toBeCloseTo(111_195, -2);
    expect(distanceM({ lat: 24.73, lng: 118.65 }, { lat: 24.73, lng: 118.65 })).toBe(0);
  });

  it('estimates ETA from road distance at 30 km/h plus setting off', () => {
    expect(etaMinutes(0)).toBe(2);
    expect(etaMinutes(5000)).toBe(Math.ceil(2 + (5000 * 1.4) / 500));
  });

  it('ranks squads with more of the required skills first, then the nearer', () => {
    const incident = { lat: 24.78, lng: 118.76, requiredSkills: ['water_rescue', 'first_aid'] };
    const near = { squadId: 'a', code: 'SQ-001', name: 'near, no skills', skills: ['logistics'], lat: 24.781, lng: 118.76 };
    const farBoth = { squadId: 'b', code: 'SQ-002', name: 'far, both', skills: ['water_rescue', 'first_aid'], lat: 24.7, lng: 118.64 };
    const midOne = { squadId: 'c', code: 'SQ-003', name: 'mid, one', skills: ['first_aid'], lat: 24.76, lng: 118.74 };
    const nearOne = { squadId: 'd', code: 'SQ-004', name: 'near, one', skills: ['water_rescue'], lat: 24.779, lng: 118.759 };
    const ranked = rankSquads(incident, [near, farBoth, midOne, nearOne], 10);
    expect(ranked.map((r) => r.squadId)).toEqual(['b', 'd', 'c', 'a']);
    expect(ranked[0]).toMatchObject({ skillsMatched: ['water_rescue', 'first_aid'], skillsMissing: [] });
    expect(rankSquads(incident, [near, farBoth, midOne, nearOne], 2)).toHaveLength(2);
  });
});
