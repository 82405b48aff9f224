import type { DataSource } from 'typeorm';
import { seedDemoUsers } from './demo-users.js';
import { seedShishiNetwork } from './shishi-network.js';
import { seedSquads } from './squads.js';
import { seedSupplies } from './supplies.js';
import { seedDrills } from './drills.js';

export interface SeedOptions {
  demoPassword: string;
}

/**
 * Demo data, in one transaction, idempotent: running it again adds nothing and changes nothing.
 * Features add their seeders here in dependency order.
 */
export async function seedDemoData(dataSource: DataSource, options: SeedOptions): Promise<void> {
  await dataSource.transaction(async (manager) => {
    await seedDemoUsers(manager, options.demoPassword);
    await seedShishiNetwork(manager);
    await seedSquads(manager);
    await seedSupplies(manager);
    await seedDrills(manager);
  });
}
