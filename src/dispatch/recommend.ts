import { distanceM } from '../common/geo.js';
import type { Recommendation } from '../contracts/dispatch.js';
import type { Candidate } from '../squads/available-squads.js';

/**
 * ETA model: roads are ~1.4× the straight line in a town like Shishi, travelled at 30 km/h on average
 * (an e-bike or van in town traffic), plus 2 minutes to set off. Rounded up to whole minutes.
 */
export const ROAD_FACTOR = 1.4;
export const SPEED_M_PER_MIN = 30_000 / 60;
export const SETUP_MIN = 2;
export function etaMinutes(straightLineM: number): number {
  return Math.ceil(SETUP_MIN + (straightLineM * ROAD_FACTOR) / SPEED_M_PER_MIN);
}

/**
 * Squads that have more of the required skills first, nearer first among equals; squads that already
 * declined this incident or let its dispatch expire (`passedOver`) come after all the others.
 */
export function rankSquads(
  incident: { lat: number; lng: number; requiredSkills: string[] },
  squads: Candidate[],
  limit: number,
  passedOver: ReadonlySet<string> = new Set(),
): Recommendation[] {
  return squads
    .map((s) => {
      const d = Math.round(distanceM(incident, s));
      return {
        squadId: s.squadId,
        code: s.code,
        name: s.name,
        distanceM: d,
        etaMinutes: etaMinutes(d),
        skillsMatched: incident.requiredSkills.filter((k) => s.skills.includes(k)),
        skillsMissing: incident.requiredSkills.filter((k) => !s.skills.includes(k)),
      };
    })
    .sort((a, b) =>
      Number(passedOver.has(a.squadId)) - Number(passedOver.has(b.squadId)) ||
      b.skillsMatched.length - a.skillsMatched.length || a.distanceM - b.distanceM || a.code.localeCompare(b.code))
    .slice(0, limit);
}
