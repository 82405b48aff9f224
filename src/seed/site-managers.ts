import type { EntityManager } from 'typeorm';

/** `mgr-xz-nc-01`: the manager of neighborhood center XZ-NC-01. */
export const managerUsername = (centerCode: string) => `mgr-${centerCode.toLowerCase()}`;

/**
 * One site manager per neighborhood center, with DEMO_PASSWORD (`demoHash`), bound to the center and the smaller
 * sites of its grid zone (every site of the zone that is not itself a center). Existing accounts are
 * left as they are, bindings included (idempotent).
 */
export async function seedSiteManagers(m: EntityManager, demoHash: () => Promise<string>): Promise<void> {
  const centers: { id: string; code: string }[] = await m.query(`SELECT id, code FROM facilities WHERE type = 'neighborhood_center' ORDER BY code`);
  if (!centers.length) return;
  const existing: { username: string }[] = await m.query('SELECT username FROM users WHERE username = ANY($1::text[])', [
    centers.map((c) => managerUsername(c.code)),
  ]);
  const have = new Set(existing.map((e) => e.username));
  const fresh = centers.filter((c) => !have.has(managerUsername(c.code)));
  if (!fresh.length) return;
  const hash = await demoHash();
  await m.query(
    `INSERT INTO users (username, password_hash, role, is_demo)
     SELECT u, $2, 'site_manager', true FROM unnest($1::text[]) AS t(u) ON CONFLICT (username) DO NOTHING`,
    [fresh.map((c) => managerUsername(c.code)), hash],
  );
  await m.query(
    `INSERT INTO user_facilities (user_id, facility_id)
     SELECT u.id, f.id
     FROM unnest($1::uuid[], $2::text[]) AS t(center_id, username)
     JOIN users u ON u.username = t.username
     JOIN facilities c ON c.id = t.center_id
     JOIN facilities f ON f.id = c.id OR (f.type <> 'neighborhood_center' AND f.grid_zone_code = c.grid_zone_code)
     ON CONFLICT DO NOTHING`,
    [fresh.map((c) => c.id), fresh.map((c) => managerUsername(c.code))],
  );
}
