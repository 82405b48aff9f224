// npm run seed — the demo data, on DATABASE_URL or the embedded database (stop the app first).
import dataSource from './data-source.js';
import { loadConfig } from '../config/config.js';
import { seedDemoData } from '../seed/seed.js';

await dataSource.initialize();
try {
  await dataSource.runMigrations();
  const { demoPassword, passwordHashing } = loadConfig();
  await seedDemoData(dataSource, { demoPassword, passwordHashing });
  console.log('Demo data is in place.');
} finally {
  await dataSource.destroy();
}
