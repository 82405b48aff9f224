import { type ClientSocket, connectClient, type RecordingClient } from './helpers/sockets.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import type { SocketAck } from '../src/contracts/socket.js';

const RATE = 5; // messages a second per socket in this app (SOCKET_RATE_LIMIT)

/** Emits with an acknowledgement; resolves with the server's answer. */
const ask = (socket: ClientSocket, event: string, payload: unknown) =>
  new Promise<SocketAck>((resolve, reject) => {
    (socket as unknown as { timeout(ms: number): { emit(e: string, p: unknown, cb: (err: Error | null, a: SocketAck) => void): void } })
      .timeout(3000)
      .emit(event, payload, (err, ack) => (err ? reject(err) : resolve(ack)));
  });

const disconnected = (c: RecordingClient) =>
  new Promise<string>((resolve, reject) => {
    if (!c.socket.connected) return resolve('already');
    const timer = setTimeout(() => reject(new Error('still connected after 5 s')), 5000);
    c.socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });

describe('a client sending garbage over the socket (e2e)', () => {
  let t: TestApp;
  let bystander: RecordingClient;
  let commander: string;
  beforeAll(async () => {
    t = await startTestApp({ SOCKET_RATE_LIMIT: String(RATE) });
    commander = await t.login('commander');
    bystander = await connectClient(t.url, await t.login('viewer'));
    await bystander.replayDone;
  });
  afterAll(async () => {
    bystander.close();
    await t.close();
  });

  /** The server still serves everyone else: a notice reaches the bystander, /health answers. */
  async function othersAreServed(title: string): Promise<void> {
    const posted = await t.http().post('/api/notices').set('authorization', `Bearer ${commander}`).send({ title });
    expect(posted.status).toBe(201);
    await bystander.until((events) => events.some((e) => e.type === 'notice.posted' && e.payload.title === title), 3000);
    expect((await t.http().get('/health')).status).toBe(200);
  }

  it('answers wrong types and unknown messages with errors, and keeps the connection', async () => {
    const leader = await connectClient(t.url, await t.login('leader-001'));
    await leader.replayDone;
    expect(await ask(leader.socket, 'squad.position', { lat: 'north', lng: 118.6 })).toMatchObject({ ok: false, code: 'REQUEST.VALIDATION' });
    expect(await ask(leader.socket, 'squad.position', 'not an object')).toMatchObject({ ok: false, code: 'REQUEST.VALIDATION' });
    expect(await ask(leader.socket, 'squad.position', { lat: 24.7, lng: 118.6, extra: { $where: 'x' } })).toMatchObject({ ok: false });
    expect(await ask(leader.socket, 'drop.tables', {})).toMatchObject({ ok: false, code: 'SOCKET.UNKNOWN_EVENT' });
    const unanswerable = new Promise((resolve) => leader.socket.once('request.error', resolve));
    (leader.socket as unknown as { emit(e: string, p: unknown): void }).emit('no.such.thing', { a: 1 });
    expect(await unanswerable).toMatchObject({ event: 'no.such.thing', code: 'SOCKET.UNKNOWN_EVENT' });
    expect(await ask(leader.socket, 'squad.position', { lat: 24.7, lng: 118.6 })).toEqual({ ok: true });
    expect(leader.socket.connected).toBe(true);
    leader.close();
  });

  it('rate limits a flood, then disconnects the flooder; others are served throughout', async () => {
    const flooder = await connectClient(t.url, await t.login('leader-002'));
    await flooder.replayDone;
    const answers = await Promise.all(Array.from({ length: RATE * 4 }, () => ask(flooder.socket, 'squad.position', { lat: 24.7, lng: 118.6 })));
    const limited = answers.filter((a) => !a.ok && a.code === 'SOCKET.RATE_LIMITED');
    expect(answers.filter((a) => a.ok).length).toBeLessThanOrEqual(RATE * 2 + 1);
    expect(limited.length).toBeGreaterThan(0);
    await othersAreServed('flood: still served');

    const gone = disconnected(flooder);
    for (let i = 0; i < 500 && flooder.socket.connected; i++) (flooder.socket as unknown as { emit(e: string, p: unknown): void }).emit('squad.position', { lat: 1, lng: 1 });
    expect(await gone).toMatch(/server|disconnect/);
    await othersAreServed('after the flooder was cut off');
  });

  it('disconnects a client that sends a huge message or a malformed packet', async () => {
    const big = await connectClient(t.url, await t.login('leader-003'));
    await big.replayDone;
    const bigGone = disconnected(big);
    (big.socket as unknown as { emit(e: string, p: unknown): void }).emit('squad.position', { lat: 24.7, lng: 118.6, note: 'x'.repeat(200_000) });
    await bigGone;

    const garbage = await connectClient(t.url, await t.login('leader-004'));
    await garbage.replayDone;
    const garbageGone = disconnected(garbage);
    // A socket.io "event" packet whose JSON is broken, written straight onto the engine.io connection.
    (garbage.socket.io.engine as unknown as { send(data: string): void }).send('42["squad.position",{"lat":');
    await garbageGone;
    await othersAreServed('after huge and malformed messages');
  });
});
