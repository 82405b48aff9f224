import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { jest } from '@jest/globals';
import { CommittingEvents } from '../src/events/committing-events.js';
import { EventRelay } from '../src/events/event-relay.js';
import { EventsService } from '../src/events/events.service.js';
import { appendEvents, ids, strictlyIncreasing, synthetic } from './helpers/events.js';
import { connectClient, refusal } from './helpers/sockets.js';
import { squadsByCode } from './helpers/squads.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

describe('realtime: gateway, visibility, replay (e2e)', () => {
  let t: TestApp;
  let commander: string;
  let squadA: string;
  let squadB: string;
  let leaderA: string;
  /** The log's epoch: a lastEventId is resumed from only together with it. */
  let epoch: string;

  beforeAll(async () => {
    t = await startTestApp();
    commander = await t.login('commander');
    const squads = await squadsByCode(t, commander);
    [squadA, squadB] = [squads.get('SQ-001')!.id, squads.get('SQ-002')!.id];
    const ghost = await t.http().post('/api/users').set('authorization', `Bearer ${commander}`)
      .send({ username: 'lead-ghost', password: 'leader password', role: 'squad_leader', squadId: randomUUID() });
    expect(ghost.status).toBe(404);
    for (const [username, squadId] of [['lead-a', squadA], ['lead-b', squadB]]) {
      const res = await t.http().post('/api/users').set('authorization', `Bearer ${commander}`)
        .send({ username, password: 'leader password', role: 'squad_leader', squadId });
      expect(res.status).toBe(201);
    }
    leaderA = await t.login('lead-a', 'leader password');
    epoch = t.app.get(EventRelay).epoch;
  });
  afterAll(async () => {
    await t.close();
  });

  /**
   * A leader's socket closed once its phone was recorded online, and then offline (squad.phone events):
   * later tests expect a quiet log.
   */
  const closeLeader = async (leader: { close(): void }) => {
    const ds = t.app.get(DataSource);
    const until = async (online: boolean) => {
      for (let i = 0; i < 200; i++) {
        const [row] = await ds.query('SELECT phone_online FROM squads WHERE id = $1', [squadA]);
        if (row.phone_online === online) return;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`the leader's phone was never recorded ${online ? 'online' : 'offline'}`);
    };
    await until(true);
    leader.close();
    await until(false);
  };

  it('refuses a handshake without a token or with a bad one: connect_error "unauthorized"', async () => {
    expect(await refusal(t.url, undefined)).toBe('unauthorized');
    expect(await refusal(t.url, 'forged.token.value')).toBe('unauthorized');
  });

  it('delivers a committed event live to every socket that may see it', async () => {
    const staff = await connectClient(t.url, commander);
    const leader = await connectClient(t.url, leaderA);
    await Promise.all([staff.replayDone, leader.replayDone]);
    const res = await t.http().post('/api/notices').set('authorization', `Bearer ${commander}`).send({ title: '台风预警 <二级> & "注意"', severity: 'warning' });
    expect(res.status).toBe(201);
    await staff.until((e) => e.some((x) => x.id === res.body.id));
    await leader.until((e) => e.some((x) => x.id === res.body.id));
    expect(staff.events.find((x) => x.id === res.body.id)).toMatchObject({
      type: 'notice.posted', severity: 'warning', exercise: false, actor: { username: 'commander' }, payload: { title: '台风预警 <二级> & "注意"' },
    });
    staff.close();
    await closeLeader(leader);
  });

  it("never sends a leader another squad's events or staff-only events, live or over REST", async () => {
    const leader = await connectClient(t.url, leaderA);
    const staff = await connectClient(t.url, commander);
    await Promise.all([leader.replayDone, staff.replayDone]);
    const [ofA, ofB, staffOnly, cityWide] = await appendEvents(t, [
      { type: 'dispatch.created', squadId: squadA, payload: { n: 1 } },
      { type: 'dispatch.created', squadId: squadB, payload: { n: 2 } },
      { type: 'stock.low', audience: 'staff', severity: 'warning' },
      { type: 'facility.mode_changed', payload: { mode: 'emergency' } },
    ]);
    await staff.until((e) => e.some((x) => x.id === cityWide.id));
    await leader.until((e) => e.some((x) => x.id === cityWide.id));
    // The leader's phone coming online is itself a staff event (squad.phone), appended as it connects.
    expect(ids(staff.events.filter((e) => e.type !== 'squad.phone'))).toEqual(ids([ofA, ofB, staffOnly, cityWide]));
    expect(ids(leader.events)).toEqual(ids([ofA, cityWide]));

    const rest = await t.http().get(`/api/events?after=${Number(ofA.id) - 1}`).set('authorization', `Bearer ${leaderA}`);
    expect(ids(rest.body)).toEqual(ids([ofA, cityWide]));
    await closeLeader(leader);
    staff.close();
  });

  it('replays exactly what a client missed — in order, no gaps, no duplicates — then goes live', async () => {
    const [seen] = await appendEvents(t, [{ type: 'notice.posted', payload: { title: 'last seen' } }]);
    // 2,500 missed events: more than two replay pages.
    const missed = await appendEvents(t, Array.from({ length: 2500 }, (_, i) => ({ type: 'notice.posted', payload: { i } })));
    const client = await connectClient(t.url, commander, seen.id, epoch);
    const concurrent = appendEvents(t, [{ type: 'notice.posted', payload: { title: 'during replay' } }]); // may land in replay or live
    const resumeAt = await client.replayDone;
    const [during] = await concurrent;
    const [after] = await appendEvents(t, [{ type: 'notice.posted', payload: { title: 'after replay' } }]);
    await client.until((e) => e.some((x) => x.id === after.id));
    // Leaving out a leader's phone going offline at the end of the test before (squad.phone, appended as its socket closes).
    const got = ids(client.events.filter((e) => e.type !== 'squad.phone'));
    expect(got).toEqual([...ids(missed), during.id, after.id]);
    expect(strictlyIncreasing(got)).toBe(true);
    expect(BigInt(resumeAt)).toBeGreaterThanOrEqual(BigInt(missed[missed.length - 1].id));
    client.close();
  });

  it('sends a client that asks for batches the same events, in order, as arrays: a relay page in one frame, a replay page in one frame', async () => {
    const [seen] = await appendEvents(t, [{ type: 'notice.posted', payload: { title: 'before' } }]);
    const staff = await connectClient(t.url, commander, undefined, undefined, true);
    const leader = await connectClient(t.url, leaderA, undefined, undefined, true);
    await Promise.all([staff.replayDone, leader.replayDone]);
    // The leader's phone coming online is a commit of its own: once staff has it, it cannot share the page's frame.
    await staff.until((e) => e.some((x) => x.type === 'squad.phone'));
    const page = await appendEvents(t, [
      { type: 'dispatch.created', squadId: squadA, payload: { n: 1 } },
      { type: 'squad.status_changed', squadId: squadA, payload: { n: 2 } },
      { type: 'notice.posted', payload: { n: 3 } },
    ]);
    await staff.until((e) => e.some((x) => x.id === page[2].id));
    await leader.until((e) => e.some((x) => x.id === page[2].id));
    const live = (c: typeof staff) => c.events.filter((e) => e.type !== 'squad.phone');
    expect(ids(live(staff))).toEqual(ids(page));
    expect(staff.frames.at(-1)).toEqual({ batch: true, size: 3 }); // one commit's events: one frame
    expect(ids(leader.events)).toEqual(ids(page)); // its squad's and the city-wide ones
    expect(leader.frames).toEqual([{ batch: true, size: 2 }, { batch: true, size: 1 }]); // its squad's two, then the city-wide one
    expect([...staff.frames, ...leader.frames].every((f) => f.batch)).toBe(true); // never a single `event`

    const resumed = await connectClient(t.url, commander, seen.id, epoch, true);
    await resumed.replayDone;
    expect(ids(live(resumed))).toEqual(ids(page));
    expect(resumed.frames.every((f) => f.batch)).toBe(true);
    expect(resumed.frames.length).toBeLessThanOrEqual(2); // the page, and a leader's phone event at most
    staff.close();
    resumed.close();
    await closeLeader(leader);
  });

  it('sends a leader a long commit in frames of at most 100 events when it takes batches, one by one when not; in order either way', async () => {
    const batched = await connectClient(t.url, leaderA, undefined, undefined, true);
    const single = await connectClient(t.url, leaderA);
    await Promise.all([batched.replayDone, single.replayDone]);
    const commit = await appendEvents(t, Array.from({ length: 250 }, (_, i) => ({ type: 'notice.posted', payload: { i } })));
    const last = commit[commit.length - 1].id;
    await batched.until((e) => e.some((x) => x.id === last));
    await single.until((e) => e.some((x) => x.id === last));
    expect(ids(batched.events)).toEqual(ids(commit));
    expect(batched.frames).toEqual([{ batch: true, size: 100 }, { batch: true, size: 100 }, { batch: true, size: 50 }]);
    expect(ids(single.events)).toEqual(ids(commit));
    expect(single.frames.every((f) => !f.batch && f.size === 1)).toBe(true);
    single.close();
    await closeLeader(batched);
  });

  it('GET /api/events/position gives the newest id and the epoch: a socket resumed from it gets exactly what came after', async () => {
    expect((await t.http().get('/api/events/position')).status).toBe(401);
    const position = (await t.http().get('/api/events/position').set('authorization', `Bearer ${leaderA}`)).body as { lastEventId: string; epoch: string };
    const [after] = await appendEvents(t, [{ type: 'notice.posted', payload: { title: 'after the position was read' } }]);
    expect(position.epoch).toBe(epoch);
    expect(BigInt(after.id)).toBe(BigInt(position.lastEventId) + 1n);
    const client = await connectClient(t.url, leaderA, position.lastEventId, position.epoch);
    await client.replayDone;
    expect(ids(client.events)).toEqual([after.id]);
    client.close();
  });

  it('replays events committed while the replay is running without losing or doubling any', async () => {
    const [start] = await appendEvents(t, [{ type: 'notice.posted' }]);
    await appendEvents(t, Array.from({ length: 3000 }, () => ({ type: 'notice.posted' })));
    const client = await connectClient(t.url, commander, start.id, epoch);
    // Keep committing in small transactions while the client replays.
    const writers: Promise<unknown>[] = [];
    for (let i = 0; i < 20; i++) writers.push(appendEvents(t, [{ type: 'notice.posted', payload: { writer: i } }]));
    await client.replayDone;
    await Promise.all(writers);
    const expected = await t.app.get(EventsService).visibleAfter({ role: 'commander', squadId: null }, start.id, 10_000);
    await client.until((e) => e.length === expected.length);
    expect(ids(client.events)).toEqual(ids(expected));
    client.close();
  });

  it('does not double events committed but not yet relayed when a client reconnects (no NOTIFY: the relay lags)', async () => {
    const [start] = await appendEvents(t, [{ type: 'notice.posted' }]);
    const ds = t.app.get(DataSource);
    // Written behind the relay's back: no NOTIFY, so only its poll will find them.
    await ds.query(`INSERT INTO events (type, severity, audience) SELECT 'notice.posted', 'info', 'everyone' FROM generate_series(1, 3000)`);
    const client = await connectClient(t.url, commander, start.id, epoch);
    await client.replayDone;
    const expected = await t.app.get(EventsService).visibleAfter({ role: 'commander', squadId: null }, start.id, 10_000);
    await client.until((e) => e.length >= expected.length, 10_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(ids(client.events)).toEqual(ids(expected));
    client.close();
  });

  it('leaves a leader out of replayed events that are not theirs', async () => {
    const [before] = await appendEvents(t, [{ type: 'notice.posted' }]);
    const [mine, theirs] = await appendEvents(t, [
      { type: 'squad.status_changed', squadId: squadA },
      { type: 'squad.status_changed', squadId: squadB },
    ]);
    const leader = await connectClient(t.url, leaderA, before.id, epoch);
    await leader.replayDone;
    expect(ids(leader.events)).toEqual([mine.id]);
    expect(ids(leader.events)).not.toContain(theirs.id);
    await closeLeader(leader);
  });

  it('commits event ids in order: the transaction that took the smaller id commits first, the other waits', async () => {
    const client = await connectClient(t.url, commander);
    await client.replayDone;
    const ds = t.app.get(DataSource);
    const events = t.app.get(EventsService);
    // What each of the two appends saw as the newest id before its own (the relay delivers a local commit by it).
    const prevIds: Record<string, string> = {};
    const committing = t.app.get(CommittingEvents);
    const add = jest.spyOn(committing, 'add').mockImplementation(function (this: CommittingEvents, runner, prevId, list) {
      const tx = (list[0].payload as { tx?: number }).tx;
      if (tx) prevIds[tx] = prevId;
      return CommittingEvents.prototype.add.call(this, runner, prevId, list);
    });
    let releaseFirst!: () => void;
    const firstMayCommit = new Promise<void>((r) => (releaseFirst = r));
    let firstId = '';
    const first = ds.transaction(async (m) => {
      [{ id: firstId }] = await events.append(m, synthetic([{ type: 'notice.posted', payload: { tx: 1 } }]));
      await firstMayCommit;
    });
    while (!firstId) await new Promise((r) => setTimeout(r, 5));
    let secondCommitted = false;
    const second = ds.transaction((m) => events.append(m, synthetic([{ type: 'notice.posted', payload: { tx: 2 } }]))).then((e) => {
      secondCommitted = true;
      return e;
    });
    await new Promise((r) => setTimeout(r, 300));
    // The second transaction cannot take an id, let alone commit, while the first is open.
    expect(secondCommitted).toBe(false);
    expect(client.events).toEqual([]);
    releaseFirst();
    await first;
    const [secondEvent] = await second;
    expect(BigInt(secondEvent.id)).toBeGreaterThan(BigInt(firstId));
    await client.until((e) => e.length === 2);
    expect(ids(client.events)).toEqual([firstId, secondEvent.id]);
    // The second read the newest id after the first had committed, not before it waited for the lock.
    expect(prevIds[2]).toBe(firstId);
    expect(BigInt(prevIds[1])).toBeLessThan(BigInt(firstId));
    add.mockRestore();
    client.close();
  });

  it('rejects a malformed lastEventId or epoch in the handshake', async () => {
    await expect(connectClient(t.url, commander, 'abc')).rejects.toThrow('lastEventId must be an event id');
    await expect(connectClient(t.url, commander, '1', 'not-an-epoch')).rejects.toThrow('epoch must be the log epoch');
  });

  it('gives the log one identity per database: stored, read at startup, sent with replay.done', async () => {
    const [{ epoch: stored }] = await t.app.get(DataSource).query('SELECT epoch::text AS epoch FROM log_identity');
    expect(stored).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(epoch).toBe(stored);
    const client = await connectClient(t.url, commander);
    expect(await client.replayInfo).toEqual({ lastEventId: t.app.get(EventRelay).highWater, epoch: stored });
    client.close();
  });

  it('does not resume from a lastEventId of another epoch (a reset database) or without one: no replay, then live events', async () => {
    const [before] = await appendEvents(t, [{ type: 'notice.posted', payload: { title: 'before' } }]);
    const inThisLog = await appendEvents(t, [{ type: 'notice.posted', payload: { n: 1 } }, { type: 'notice.posted', payload: { n: 2 } }]);
    // The same id with this log's epoch is resumed from: the control.
    const same = await connectClient(t.url, commander, before.id, epoch);
    await same.replayDone;
    expect(ids(same.events)).toEqual(ids(inThisLog));
    same.close();

    const otherEpoch = randomUUID();
    for (const auth of [{ epoch: otherEpoch }, { epoch: undefined }]) {
      for (const lastEventId of [before.id, '999999999999']) {
        const client = await connectClient(t.url, commander, lastEventId, auth.epoch);
        const info = await client.replayInfo;
        // A fresh client: nothing replayed, the mark of the present and the log's epoch to keep.
        expect(info).toEqual({ lastEventId: t.app.get(EventRelay).highWater, epoch });
        expect(BigInt(info.lastEventId)).toBeGreaterThanOrEqual(BigInt(inThisLog[1].id));
        const [live] = await appendEvents(t, [{ type: 'notice.posted', payload: { title: 'live' } }]);
        await client.until((e) => e.some((x) => x.id === live.id));
        expect(ids(client.events)).toEqual([live.id]);
        client.close();
      }
    }
  });
});

describe('events and alerts over REST (e2e)', () => {
  let t: TestApp;
  let commander: string;
  let viewer: string;
  beforeAll(async () => {
    t = await startTestApp();
    commander = await t.login('commander');
    viewer = await t.login('viewer');
  });
  afterAll(async () => {
    await t.close();
  });

  it('pages through the event log oldest first', async () => {
    const made = await appendEvents(t, Array.from({ length: 5 }, (_, i) => ({ type: 'notice.posted', payload: { i } })));
    const after = String(BigInt(made[0].id) - 1n);
    const page1 = await t.http().get(`/api/events?after=${after}&limit=3`).set('authorization', `Bearer ${viewer}`);
    const page2 = await t.http().get(`/api/events?after=${page1.body[2].id}&limit=3`).set('authorization', `Bearer ${viewer}`);
    expect([...ids(page1.body), ...ids(page2.body)]).toEqual(ids(made));
    const bad = await t.http().get('/api/events?after=x&limit=0').set('authorization', `Bearer ${viewer}`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['after', 'limit']);
  });

  it('lists open alerts and lets the commander acknowledge each once', async () => {
    const [info, warning] = await appendEvents(t, [
      { type: 'notice.posted', severity: 'info' },
      { type: 'stock.low', severity: 'warning', audience: 'staff', payload: { itemCode: 'water' } },
    ]);
    const open = await t.http().get('/api/alerts?open=true').set('authorization', `Bearer ${viewer}`);
    expect(ids(open.body)).toContain(warning.id);
    expect(ids(open.body)).not.toContain(info.id);

    expect((await t.http().post(`/api/alerts/${warning.id}/ack`).set('authorization', `Bearer ${viewer}`)).status).toBe(403);
    const ack = await t.http().post(`/api/alerts/${warning.id}/ack`).set('authorization', `Bearer ${commander}`);
    expect(ack.status).toBe(200);
    expect(ack.body.acknowledged).toMatchObject({ by: 'commander' });
    const again = await t.http().post(`/api/alerts/${warning.id}/ack`).set('authorization', `Bearer ${commander}`);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ALERT.ALREADY_ACKNOWLEDGED');

    const stillOpen = await t.http().get('/api/alerts?open=true').set('authorization', `Bearer ${viewer}`);
    expect(ids(stillOpen.body)).not.toContain(warning.id);
    const log = await t.http().get(`/api/events?after=${warning.id}`).set('authorization', `Bearer ${viewer}`);
    expect(log.body).toEqual([expect.objectContaining({ type: 'alert.acknowledged', payload: { alertId: warning.id, alertType: 'stock.low' } })]);

    expect((await t.http().post(`/api/alerts/${info.id}/ack`).set('authorization', `Bearer ${commander}`)).status).toBe(404);
    expect((await t.http().post('/api/alerts/abc/ack').set('authorization', `Bearer ${commander}`)).status).toBe(400);
  });

  it('keeps the event log append-only, even against the application itself', async () => {
    const [e] = await appendEvents(t, [{ type: 'notice.posted' }]);
    await expect(t.app.get(DataSource).query('DELETE FROM events WHERE id = $1', [e.id])).rejects.toThrow('append-only');
    await expect(t.app.get(DataSource).query(`UPDATE events SET type = 'x' WHERE id = $1`, [e.id])).rejects.toThrow('append-only');
  });

  it('refuses to append outside a transaction', async () => {
    await expect(t.app.get(EventsService).append(t.app.get(DataSource).manager, synthetic([{ type: 'x' }]))).rejects.toThrow('open transaction');
  });
});
