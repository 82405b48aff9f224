import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { PGlite } from '@electric-sql/pglite';
import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { AppDataSource, dataSourceOptions, type Entities } from './data-source-options.js';
import { openEmbeddedPostgres } from './embedded.js';

// The options factory opens the embedded database; the data-source factory, called with the same
// options object, hands it to the DataSource that will close it on shutdown.
const embeddedFor = new WeakMap<DataSourceOptions, PGlite>();

/** The server database when DATABASE_URL is set, else the embedded one; migrations run on start (under a lock). */
@Module({})
export class DatabaseModule {
  /** `entities`: every TypeORM entity (src/entities.ts), given by the app so database/ imports no feature. */
  static forRoot(entities: Entities): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: async (config: AppConfig) => {
            const embedded = config.databaseUrl ? undefined : await openEmbeddedPostgres(config.pgliteDir, config.pgliteTemplate);
            const options = {
              ...dataSourceOptions(config, entities, embedded),
              // A server that is still starting (docker compose) gets a few tries; the embedded one needs none.
              retryAttempts: embedded ? 0 : 5,
              retryDelay: 2000,
            };
            if (embedded) embeddedFor.set(options, embedded);
            return options;
          },
          dataSourceFactory: async (options) => {
            const dataSource = new AppDataSource(options!, embeddedFor.get(options!));
            await dataSource.initialize();
            await dataSource.migrate();
            return dataSource;
          },
        }),
      ],
    };
  }
}
