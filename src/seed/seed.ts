import type { DataSource } from 'typeorm';
import { hashPassword } from '../auth/passwords.js';
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
}

/**
 * Demo data, in one transaction, idempotent: running it again adds nothing and changes nothing.
 * Features add their seeders here in dependency order.
 */
export async function seedDemoData(dataSource: DataSource, options: SeedOptions): Promise<void> {
  // The demo accounts share one password: hashed once, and only if an account is missing.
  let hashing: Promise<string> | undefined;
  const demoHash = () => (hashing ??= hashPassword(options.demoPassword));
  await dataSource.transaction(async (manager) => {
    // Two instances starting together on a fresh database: the second waits, then finds it all there.
    await manager.query('SELECT pg_advisory_xact_lock($1)', [SEED_LOCK]);
    // A fresh database needs the hash: start it now, so that it runs (off this thread) while the
    // network is written. Whoever uses it awaits it, failure included.
    const [{ fresh }] = await manager.query('SELECT NOT EXISTS (SELECT FROM users) AS fresh');
    if (fresh) void demoHash().catch(() => undefined);
    await seedShishiNetwork(manager);
    await seedDemoUsers(manager, demoHash);
    await seedSiteManagers(manager, demoHash);
    await seedSquads(manager);
    await seedSupplies(manager);
    await seedDrills(manager);
    await seedPlans(manager);
  });
}
