import type { DataSource } from 'typeorm';
import { hashPassword } from '../auth/passwords.js';
import type { PasswordHashing } from '../config/config.js';
import { seedDemoUsers } from './demo-users.js';
import { seedShishiNetwork } from './shishi-network.js';
import { seedSquads } from './squads.js';
import { seedSupplies } from './supplies.js';
import { seedDrills } from './drills.js';
import { seedPlans } from './plans.js';
import { seedSiteManagers } from './site-managers.js';

const SEED_LOCK = 7_400_003;

export interface SeedOptions {
  demoPassword: string;
  passwordHashing: PasswordHashing;
  /** The demo password's hash, perhaps already under way (DemoSeeder starts it early on a fresh database). */
  demoHash?: () => Promise<string>;
}

/** The demo accounts share one password: hashed at most once, when first asked for (argon2 is slow on purpose). */
export function demoPasswordHash(demoPassword: string, passwordHashing: PasswordHashing): () => Promise<string> {
  let hashing: Promise<string> | undefined;
  return () => (hashing ??= hashPassword(demoPassword, passwordHashing));
}

/**
 * Demo data, in one transaction, idempotent: running it again adds nothing and changes nothing.
 * Features add their seeders here in dependency order.
 */
export async function seedDemoData(dataSource: DataSource, options: SeedOptions): Promise<void> {
  const demoHash = options.demoHash ?? demoPasswordHash(options.demoPassword, options.passwordHashing);
  await dataSource.transaction(async (manager) => {
    // Two instances starting together on a fresh database: the second waits, then finds it all there.
    await manager.query('SELECT pg_advisory_xact_lock($1)', [SEED_LOCK]);
    await seedDemoUsers(manager, demoHash);
    await seedShishiNetwork(manager);
    await seedSiteManagers(manager, demoHash);
    await seedSquads(manager);
    await seedSupplies(manager);
    await seedDrills(manager);
    await seedPlans(manager);
  });
}
