import type { EntityManager } from 'typeorm';
import type { Role } from '../contracts/auth.js';

export const SQUAD_COUNT = 128;

/** `leader-001` … `leader-128`: the leader accounts of squads `SQ-001` … `SQ-128`. */
export const leaderUsername = (n: number) => `leader-${String(n).padStart(3, '0')}`;

/**
 * The demo accounts of API.md, all with DEMO_PASSWORD (`demoHash`, hashed once for the whole seed:
 * argon2 is slow on purpose). Existing accounts are left as they are, and when they all exist the
 * password is not hashed at all, so a restart pays nothing for it.
 */
export async function seedDemoUsers(manager: EntityManager, demoHash: () => Promise<string>): Promise<void> {
  const accounts: [string, Role][] = [
    ['commander', 'commander'],
    ['coordinator', 'coordinator'],
    ['viewer', 'viewer'],
  ];
  for (let n = 1; n <= SQUAD_COUNT; n++) accounts.push([leaderUsername(n), 'squad_leader']);
  const [{ n: existing }] = await manager.query('SELECT count(*)::int AS n FROM users WHERE username = ANY($1::text[])', [accounts.map((a) => a[0])]);
  if (existing === accounts.length) return;
  const hash = await demoHash();
  await manager.query(
    `INSERT INTO users (username, password_hash, role, is_demo)
     SELECT u, $2, r, true FROM unnest($1::text[], $3::text[]) AS t(u, r)
     ON CONFLICT (username) DO NOTHING`,
    [accounts.map((a) => a[0]), hash, accounts.map((a) => a[1])],
  );
}
