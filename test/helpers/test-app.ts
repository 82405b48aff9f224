import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AppModule } from '../../src/app.module.js';
import { configureApp } from '../../src/app.setup.js';
import { loadConfig, type AppConfig } from '../../src/config/config.js';
import { DEMO_PASSWORD, TEST_APP_ENV } from './test-app-env.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export { DEMO_PASSWORD };

/** supertest's request(url), each of whose requests carries Accept-Language: en (a later .set overrides it). */
function inEnglish<T extends object>(agent: T): T {
  return new Proxy(agent, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const test: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
        const settable = test as { set?: (name: string, value: string) => unknown } | null;
        return typeof settable?.set === 'function' ? settable.set('Accept-Language', 'en') : test;
      };
    },
  });
}

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  /** http://127.0.0.1:<port> of the listening server. */
  url: string;
  http: () => ReturnType<typeof request>;
  login(username: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * An app with the demo data on the embedded database in memory starts from test/global-setup.js's
 * demo template, when its configuration is the one that template was seeded with.
 */
function withDemoTemplate(config: AppConfig): AppConfig {
  const demo = process.env.PGLITE_TEMPLATE_DEMO;
  const asSeeded = config.demoData && config.demoPassword === DEMO_PASSWORD && config.passwordHashing === TEST_APP_ENV.PASSWORD_HASHING;
  const fromEmptyTemplate = !config.databaseUrl && config.pgliteTemplate !== undefined && config.pgliteTemplate === process.env.PGLITE_TEMPLATE;
  return demo && asSeeded && fromEmptyTemplate ? { ...config, pgliteTemplate: demo } : config;
}

/**
 * The real application (same module, same setup as main.ts) on port 0, on its own database: a fresh
 * one on the server when TEST_DATABASE_URL is set, else the embedded PostgreSQL in memory.
 * `env` overrides configuration; pass `database` to reuse one across restarts.
 */
export async function startTestApp(env: Record<string, string> = {}, database?: TestDatabase): Promise<TestApp> {
  const db = database ?? (await createTestDatabase());
  const dataDir = mkdtempSync(join(tmpdir(), 'pingji-test-'));
  const config = withDemoTemplate(loadConfig({ ...TEST_APP_ENV, DATA_DIR: dataDir, ...db.env, ...env }));
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.register(config)] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, bufferLogs: true });
  await configureApp(app, config);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  // The suite reads the server's English texts: every request asks for English unless it sets its own
  // Accept-Language (the default, Chinese, is tested in messages.e2e-spec.ts with plain requests).
  const http = () => inEnglish(request(url));
  return {
    app,
    config,
    url,
    http,
    async login(username, password = DEMO_PASSWORD) {
      const res = await http().post('/api/auth/login').send({ username, password });
      if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.accessToken as string;
    },
    async close() {
      await app.close();
      if (!database) await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
