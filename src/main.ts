import 'reflect-metadata';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ConfigError, loadConfig, type AppConfig } from './config/config.js';
import { startOpeningEmbeddedPostgres } from './database/embedded.js';

function configOrExit(): AppConfig {
  try {
    return loadConfig();
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    console.error(`Configuration error: ${e.message}`);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const config = configOrExit();
  // The embedded database opens while the modules below load (they are most of a start).
  if (!config.databaseUrl) startOpeningEmbeddedPostgres(config.pgliteDir, config.pgliteTemplate);
  const [{ NestFactory }, { Logger }, { AppModule }, { configureApp }] = [
    await import('@nestjs/core'), await import('nestjs-pino'), await import('./app.module.js'), await import('./app.setup.js'),
  ];
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config), { bodyParser: false, bufferLogs: true });
  await configureApp(app, config);
  // In-flight requests get this long to finish after SIGTERM/SIGINT; then the process goes anyway.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => setTimeout(() => process.exit(1), 15_000).unref());
  }
  await app.listen(config.port, config.host);
  const where = config.databaseUrl ? 'PostgreSQL server (DATABASE_URL)' : `embedded PostgreSQL in ${config.pgliteDir}`;
  app.get(Logger).log(`Pingji listening on http://localhost:${config.port} — ${where}${config.demoData ? ', demo data on' : ''}`);
}

await main();
