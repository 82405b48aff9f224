import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The compiled app (`dist/main.js`, built by `npm test` before Jest runs) in a child process of its
 * own, so a test can kill it with SIGKILL the way a crash or an OOM killer would. Every instance
 * started here shares one JWT secret: a token from one is good on the others.
 */
export const APP_JWT_SECRET = 'fault-test-secret-that-is-long-enough-0123456789';
export const APP_DEMO_PASSWORD = 'pingji-demo';
const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
/** Nothing from the caller's shell may point the child somewhere else. */
const STRIP = ['DATABASE_URL', 'REDIS_URL', 'REDIS_PREFIX', 'PGLITE_DIR', 'PGLITE_TEMPLATE', 'HOST', 'PORT', 'NODE_OPTIONS', 'CORS_ORIGINS', 'DB_POOL_SIZE', 'DB_TIMEOUT_MS'];

export interface AppProcess {
  name: string;
  /** http://127.0.0.1:<port> */
  url: string;
  pid: number;
  alive(): boolean;
  /** The last 8 kB of its stdout and stderr. */
  output(): string;
  /** SIGKILL; resolves once it has exited. */
  kill9(): Promise<void>;
  /** SIGTERM (graceful), SIGKILL after 10 s; resolves once it has exited. */
  stop(): Promise<void>;
}

const running = new Set<AppProcess>();
const children = new Set<ChildProcess>();
// Should the test runner itself go down, no app process outlives it.
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** A free loopback port (bind 0, read, close): main.ts does not report the port it got for PORT=0. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function healthy(url: string): Promise<string> {
  try {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(3000) });
    await res.arrayBuffer();
    return res.status === 200 ? 'ok' : `status ${res.status}`;
  } catch (e) {
    return (e as Error).message;
  }
}

async function spawnOnce(name: string, env: Record<string, string>, timeoutMs: number, nodeArgs: string[]): Promise<AppProcess> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), `pingji-${name}-`));
  const childEnv: Record<string, string | undefined> = { ...process.env };
  for (const key of STRIP) delete childEnv[key];
  const child = spawn(process.execPath, [...nodeArgs, MAIN], {
    env: {
      ...childEnv,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      JWT_SECRET: APP_JWT_SECRET,
      DATA_DIR: dataDir,
      DEMO_DATA: 'true',
      DEMO_PASSWORD: APP_DEMO_PASSWORD,
      LOGIN_RATE_LIMIT: '1000',
      HOST: '127.0.0.1',
      PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (text: string) => (tail = (tail + text).slice(-8000)));
  }
  children.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      children.delete(child);
      resolve();
    }),
  );
  const alive = () => child.exitCode === null && child.signalCode === null;
  const finish = async (signal: NodeJS.Signals, graceMs: number) => {
    if (alive()) child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const gone = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), graceMs)))]);
    clearTimeout(timer);
    if (!gone) {
      child.kill('SIGKILL');
      await exited;
    }
    running.delete(app);
    rmSync(dataDir, { recursive: true, force: true });
  };
  const app: AppProcess = {
    name,
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    alive,
    output: () => tail,
    kill9: () => finish('SIGKILL', 5000),
    stop: () => finish('SIGTERM', 10_000),
  };
  running.add(app);
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (!alive()) {
      await finish('SIGKILL', 0);
      throw new Error(`${name} exited (code ${child.exitCode}, signal ${child.signalCode}) before /health answered. Its output:\n${tail}`);
    }
    last = await healthy(app.url);
    if (last === 'ok') return app;
    await pause(100);
  }
  await app.kill9();
  throw new Error(`${name}: /health not 200 after ${timeoutMs} ms (last: ${last}). Its output:\n${tail}`);
}

/**
 * Starts `dist/main.js` on `databaseUrl` on a free loopback port with the demo data on, and resolves
 * once GET /health answers 200. `env` overrides the defaults. Stop it with `kill9()`/`stop()`, and call
 * `killAppProcesses()` in afterAll so nothing outlives a failed test.
 */
export async function startAppProcess(opts: {
  databaseUrl: string;
  name?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Node's own options, before dist/main.js (e.g. --import a probe). */
  nodeArgs?: string[];
}): Promise<AppProcess> {
  const name = opts.name ?? 'app';
  const env = { DATABASE_URL: opts.databaseUrl, ...opts.env };
  for (let attempt = 1; ; attempt++) {
    try {
      return await spawnOnce(name, env, opts.timeoutMs ?? 60_000, opts.nodeArgs ?? []);
    } catch (e) {
      // The free port was taken between our probe and the child's listen: try another.
      if (attempt >= 3 || !/EADDRINUSE/.test((e as Error).message)) throw e;
    }
  }
}

/** SIGKILLs every app process this file started that is still running (for afterAll). */
export async function killAppProcesses(): Promise<void> {
  await Promise.all([...running].map((app) => app.kill9()));
}

export interface ApiResponse {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** One JSON request to an app process. Rejects when the connection fails (a killed app). */
export async function api(url: string, method: string, path: string, opts: { token?: string; body?: unknown; timeoutMs?: number } = {}): Promise<ApiResponse> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
    },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body };
}

/** Logs a demo user in; resolves with the access token. */
export async function loginAt(url: string, username: string): Promise<string> {
  const res = await api(url, 'POST', '/api/auth/login', { body: { username, password: APP_DEMO_PASSWORD } });
  if (res.status !== 200) throw new Error(`login ${username} at ${url} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.accessToken as string;
}
