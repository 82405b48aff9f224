import type { EntityManager } from 'typeorm';

/** A squad that could go now, at its last known position or else its base site. */
export interface Candidate {
  squadId: string;
  code: string;
  name: string;
  skills: string[];
  lat: number;
  lng: number;
}

/** Available squads with a known position (recommendations, readiness's squads nearby). */
export function availableSquads(m: EntityManager): Promise<Candidate[]> {
  return m.query(`
    SELECT s.id AS "squadId", s.code, s.name, s.skills, coalesce(s.lat, f.lat) AS lat, coalesce(s.lng, f.lng) AS lng
    FROM squads s LEFT JOIN facilities f ON f.id = s.base_facility_id
    WHERE s.status = 'available' AND coalesce(s.lat, f.lat) IS NOT NULL`);
}
