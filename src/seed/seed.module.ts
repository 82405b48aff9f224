import { Inject, Injectable, Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { demoPasswordHash, seedDemoData } from './seed.js';

/** Seeds the demo data on start when DEMO_DATA is on (before the server accepts requests). */
@Injectable()
export class DemoSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('DemoSeeder');
  private readonly demoHash: () => Promise<string>;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.demoHash = demoPasswordHash(config.demoPassword, config.passwordHashing);
    if (config.demoData) this.hashEarlyOnFreshDatabase();
  }

  /**
   * A database without users will need the demo password's hash: start it now, while the rest of the
   * app starts (argon2 runs off the main thread), not when the seed gets to the accounts. A failure
   * surfaces where the seed awaits the hash.
   */
  private hashEarlyOnFreshDatabase(): void {
    void this.dataSource.query('SELECT NOT EXISTS (SELECT FROM users) AS fresh').then(
      ([{ fresh }]: { fresh: boolean }[]) => {
        if (fresh) void this.demoHash().catch(() => undefined);
      },
      () => undefined,
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.demoData) return;
    const started = Date.now();
    await seedDemoData(this.dataSource, { demoPassword: this.config.demoPassword, passwordHashing: this.config.passwordHashing, demoHash: this.demoHash });
    this.logger.log(`demo data ready in ${Date.now() - started} ms`);
  }
}

@Module({ providers: [DemoSeeder] })
export class SeedModule {}
