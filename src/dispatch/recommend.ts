/** Great-circle distance in metres (haversine, mean Earth radius). */
export function distanceM(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const R = 6_371_008.8;
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}

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

export interface Candidate {
  squadId: string;
  code: string;
  name: string;
  skills: string[];
  lat: number;
  lng: number;
}

export interface Recommendation {
  squadId: string;
  code: string;
  name: string;
  distanceM: number;
  etaMinutes: number;
  skillsMatched: string[];
  skillsMissing: string[];
}

/** Squads that have more of the required skills first, nearer first among equals. */
export function rankSquads(incident: { lat: number; lng: number; requiredSkills: string[] }, squads: Candidate[], limit: number): Recommendation[] {
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
    .sort((a, b) => b.skillsMatched.length - a.skillsMatched.length || a.distanceM - b.distanceM || a.code.localeCompare(b.code))
    .slice(0, limit);
}
