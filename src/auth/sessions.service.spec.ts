import type { DataSource } from 'typeorm';
import { loadConfig } from '../config/config.js';
import type { EventRelay } from '../events/event-relay.js';
import type { EventView } from '../contracts/events.js';
import { SessionsService } from './sessions.service.js';
import { TokenService } from './token.service.js';

const USER_ID = '11111111-1111-4111-8111-111111111111';
const tokens = new TokenService(loadConfig({ JWT_SECRET: 's'.repeat(40) }));
const token = (version = 0) => tokens.issue({ id: USER_ID, username: 'v', role: 'viewer', squadId: null }, version);

/** The users table as one row, counting reads; `gate` holds a read until released. */
function setup() {
  const row = { username: 'v', role: 'viewer', squad_id: null, disabled: false, token_version: 0, deleted: false };
  let gate: Promise<void> | undefined;
  const reads = { count: 0 };
  const dataSource = {
    async query() {
      reads.count += 1;
      const seen = { ...row };
      await gate;
      return seen.deleted ? [] : [seen];
    },
  } as unknown as DataSource;
  let listener: (events: EventView[]) => void = () => undefined;
  const relay = { subscribe: (l: typeof listener) => ((listener = l), () => undefined) } as unknown as EventRelay;
  const sessions = new SessionsService(tokens, dataSource, relay);
  sessions.onModuleInit();
  return {
    sessions,
    row,
    reads,
    hold: () => {
      let release!: () => void;
      gate = new Promise((r) => (release = r));
      return () => ((gate = undefined), release());
    },
    relay: (events: EventView[]) => listener(events),
  };
}

describe('SessionsService', () => {
  it('reads a user once for many concurrent checks, then answers from its cache', async () => {
    const s = setup();
    const checks = await Promise.all(Array.from({ length: 50 }, () => s.sessions.authenticate(token())));
    expect(checks.every((c) => c.user.id === USER_ID)).toBe(true);
    await s.sessions.authenticate(token());
    expect(s.reads.count).toBe(1);
  });

  it('refuses a disabled user, a stale version and a missing user', async () => {
    const s = setup();
    s.row.disabled = true;
    await expect(s.sessions.authenticate(token())).rejects.toMatchObject({ code: 'AUTH.USER_DISABLED' });
    const t = setup();
    t.row.token_version = 1;
    await expect(t.sessions.authenticate(token(0))).rejects.toMatchObject({ code: 'AUTH.TOKEN_REVOKED' });
    await expect(t.sessions.authenticate(token(1))).resolves.toMatchObject({ version: 1 });
    const u = setup();
    u.row.deleted = true;
    await expect(u.sessions.authenticate(token())).rejects.toMatchObject({ code: 'AUTH.TOKEN_REVOKED' });
  });

  it("forgets a user when the relay brings user.disabled, and never keeps a read that raced the change", async () => {
    const s = setup();
    await s.sessions.authenticate(token());
    // A read in flight while the user is disabled: its (stale) answer must not be cached.
    s.sessions.invalidate(USER_ID);
    const release = s.hold();
    const racing = s.sessions.authenticate(token());
    s.row.disabled = true;
    s.relay([{ type: 'user.disabled', payload: { userId: USER_ID, username: 'v', role: 'viewer' } } as EventView]);
    release();
    await racing;
    await expect(s.sessions.authenticate(token())).rejects.toMatchObject({ code: 'AUTH.USER_DISABLED' });
    expect(s.reads.count).toBe(3);
  });
});
