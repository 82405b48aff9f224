import { Inject, Injectable, Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { seedDemoData } from './seed.js';

/** Seeds the demo data on start when DEMO_DATA is on (before the server accepts requests). */
@Injectable()
export class DemoSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('DemoSeeder');

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.demoData) return;
    const started = Date.now();
    await seedDemoData(this.dataSource, { demoPassword: this.config.demoPassword });
    this.logger.log(`demo data ready in ${Date.now() - started} ms`);
  }
}

@Module({ providers: [DemoSeeder] })
export class SeedModule {}
