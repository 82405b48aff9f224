import { DataSource } from 'typeorm';
import { parseCsv, toCsv } from '../src/common/csv.js';
import { UsernameCase1764159510000 } from '../src/database/migrations/1764159510000-UsernameCase.js';
import { MIGRATIONS } from '../src/database/migrations/index.js';
import { leaderOf, squadsByCode, type SquadSummary } from './helpers/squads.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { openDataSource } from './helpers/data-source.js';
import { createTestDatabase, type TestDatabase } from './helpers/test-database.js';
import { asText } from './helpers/text-body.js';

const hourFromNow = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

describe('personal data and integrity (e2e)', () => {
  let t: TestApp;
  let ds: DataSource;
  let commander: string;
  let squads: Map<string, SquadSummary>;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  beforeAll(async () => {
    t = await startTestApp();
    ds = t.app.get(DataSource);
    commander = await t.login('commander');
    squads = await squadsByCode(t, commander);
  });
  afterAll(async () => {
    await t.close();
  });

  describe("members' personal data", () => {
    const squad = () => squads.get('SQ-012')!;
    const detail = async (token: string) => (await t.http().get(`/api/squads/${squad().id}`).set(auth(token))).body;
    const PERSONAL = ['name', 'phone', 'partyMember'];

    it('goes to commanders and the squad\'s own leader', async () => {
      for (const token of [commander, await t.login(leaderOf('SQ-012'))]) {
        const body = await detail(token);
        expect(body.personalData).toBe(true);
        expect(body.members.length).toBeGreaterThanOrEqual(5);
        for (const m of body.members) expect(m).toEqual(expect.objectContaining({ name: expect.any(String), partyMember: expect.any(Boolean), isLeader: expect.any(Boolean) }));
        expect(body.members.some((m: { phone: string | null }) => typeof m.phone === 'string')).toBe(true);
      }
    });

    it('is left out for viewers, coordinators and other squads\' leaders, who still see the members\' roles and skills', async () => {
      const full = await detail(commander);
      for (const who of ['viewer', 'coordinator', leaderOf('SQ-013')]) {
        const body = await detail(await t.login(who));
        expect(body.personalData).toBe(false);
        expect(body.code).toBe('SQ-012');
        expect(body.members).toHaveLength(full.members.length);
        for (const m of body.members) {
          for (const field of PERSONAL) expect(m).not.toHaveProperty(field);
          expect(m).toEqual({ id: expect.any(String), isLeader: expect.any(Boolean), skills: expect.any(Array) });
        }
        // Nothing personal anywhere in the answer.
        const text = JSON.stringify(body);
        for (const m of full.members as { name: string; phone: string | null }[]) {
          expect(text).not.toContain(m.name);
          if (m.phone) expect(text).not.toContain(m.phone);
        }
      }
    });

    it('exports only to commanders, and every export is an event in the audit trail', async () => {
      const exportsBefore = (await ds.query(`SELECT count(*)::int AS n FROM events WHERE type = 'export.personal_data'`))[0].n;
      for (const who of ['viewer', 'coordinator', leaderOf('SQ-012')]) {
        const res = await t.http().get('/api/exports/squads.csv').set(auth(await t.login(who)));
        expect(res.status).toBe(403);
      }
      expect((await ds.query(`SELECT count(*)::int AS n FROM events WHERE type = 'export.personal_data'`))[0].n).toBe(exportsBefore);
      const res = await t.http().get('/api/exports/squads.csv').set(auth(commander)).buffer(true).parse(asText);
      expect(res.status).toBe(200);
      const lines = parseCsv(res.body as string).slice(1).filter((l) => l[5]);
      const [event] = await ds.query(`SELECT actor_name, audience, payload FROM events WHERE type = 'export.personal_data' ORDER BY id DESC LIMIT 1`);
      expect(event).toEqual({ actor_name: 'commander', audience: 'staff', payload: { file: 'squads.csv', squads: 128, members: lines.length } });
      expect((await ds.query(`SELECT count(*)::int AS n FROM events WHERE type = 'export.personal_data'`))[0].n).toBe(exportsBefore + 1);
      // Staff see it in the log; squad leaders do not.
      const latest = async (token: string) => (await t.http().get('/api/events?latest=true&limit=20').set(auth(token))).body as { type: string }[];
      expect((await latest(await t.login('viewer'))).some((e) => e.type === 'export.personal_data')).toBe(true);
      expect((await latest(await t.login(leaderOf('SQ-012')))).some((e) => e.type === 'export.personal_data')).toBe(false);
    });
  });

  describe('facility parents', () => {
    const sites = async () => (await t.http().get('/api/facilities').set(auth(commander))).body as { id: string; code: string; parentId: string | null }[];
    const patch = (id: string, body: object) => t.http().patch(`/api/facilities/${id}`).set(auth(commander)).send(body);

    it('refuses A inside B inside A, and longer loops, with 400 FACILITY.PARENT_CYCLE, changing nothing', async () => {
      const all = await sites();
      const free = all.filter((f) => !f.parentId && !all.some((c) => c.parentId === f.id)).slice(0, 3);
      const [a, b, c] = free;
      expect((await patch(b.id, { parentId: a.id })).status).toBe(200);
      const res = await patch(a.id, { parentId: b.id });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'FACILITY.PARENT_CYCLE' });
      expect(res.body.message).toContain(`${a.code} → ${b.code} → ${a.code}`);
      expect((await patch(c.id, { parentId: b.id })).status).toBe(200);
      const longer = await patch(a.id, { parentId: c.id });
      expect(longer.status).toBe(400);
      expect(longer.body.message).toContain(`${a.code} → ${c.code} → ${b.code} → ${a.code}`);
      const [{ parent }] = await ds.query('SELECT parent_id AS parent FROM facilities WHERE id = $1', [a.id]);
      expect(parent).toBeNull();
      // A legal move still works: c out from under b and above a.
      expect((await patch(c.id, { parentId: null })).status).toBe(200);
      expect((await patch(a.id, { parentId: c.id })).status).toBe(200);
    });

    it('refuses an import that would close a loop, dry run or not, naming the line', async () => {
      const exported = await t.http().get('/api/exports/facilities.csv').set(auth(commander)).buffer(true).parse(asText);
      const [header, ...rows] = parseCsv((exported.body as string).replace(/^\uFEFF/, ''));
      const code = header.indexOf('code');
      const parent = header.indexOf('parentCode');
      const child = rows.find((r) => r[parent])!;
      const top = rows.find((r) => r[code] === child[parent])!;
      expect(top[parent]).toBe('');
      const looped = [...top];
      looped[parent] = child[code];
      for (const query of ['?dryRun=true', '']) {
        const res = await t.http().post(`/api/imports/facilities${query}`).set(auth(commander)).set('content-type', 'text/csv').send(toCsv([header, child, looped]));
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('IMPORT.INVALID_ROWS');
        expect(res.body.rows).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'parentCode', message: expect.stringContaining(`${top[code]} → ${child[code]} → ${top[code]}`) })]));
        expect(res.body.rows.map((r: { line: number }) => r.line)).toContain(3);
      }
      const [{ parent_id }] = await ds.query('SELECT parent_id FROM facilities WHERE code = $1', [top[code]]);
      expect(parent_id).toBeNull();
    });
  });

  describe('usernames', () => {
    it('are unique whatever their case, and log in whatever their case', async () => {
      const create = (username: string) =>
        t.http().post('/api/users').set(auth(commander)).send({ username, password: 'a-long-password-1', role: 'viewer' });
      expect((await create('Li.Wei')).status).toBe(201);
      const clash = await create('li.wei');
      expect(clash.status).toBe(409);
      expect(clash.body.code).toBe('USER.USERNAME_TAKEN');
      expect((await create('COMMANDER')).status).toBe(409);
      for (const name of ['li.wei', 'LI.WEI', 'Li.Wei']) {
        const login = await t.http().post('/api/auth/login').send({ username: name, password: 'a-long-password-1' });
        expect(login.status).toBe(200);
        expect(login.body.user.username).toBe('Li.Wei');
      }
      expect((await t.http().post('/api/auth/login').send({ username: 'li.wei', password: 'wrong-password-1' })).status).toBe(401);
    });
  });

  describe('drill areas', () => {
    it('must exist: an unknown one is refused with 400 naming it, and no drill is made', async () => {
      const coordinator = await t.login('coordinator');
      const before = (await ds.query('SELECT count(*)::int AS n FROM drills'))[0].n;
      const res = await t.http().post('/api/drills').set(auth(coordinator)).send({
        title: '台风演练', kind: 'drill', areas: ['xiangzhi', 'atlantis'], plannedStart: hourFromNow(1), plannedEnd: hourFromNow(3), squadIds: [squads.get('SQ-050')!.id],
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('DRILL.UNKNOWN_AREA');
      expect(res.body.message).toContain('atlantis');
      expect(res.body.message).not.toContain('xiangzhi');
      expect((await ds.query('SELECT count(*)::int AS n FROM drills'))[0].n).toBe(before);
      const ok = await t.http().post('/api/drills').set(auth(coordinator)).send({
        title: '台风演练', kind: 'drill', areas: ['xiangzhi'], plannedStart: hourFromNow(1), plannedEnd: hourFromNow(3), squadIds: [squads.get('SQ-050')!.id],
      });
      expect(ok.status).toBe(201);
    });
  });
});

describe('the username migration on users that differ only in case (e2e)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('stops with a message naming the clashing names, and passes once they are renamed', async () => {
    const before = MIGRATIONS.slice(0, MIGRATIONS.indexOf(UsernameCase1764159510000));
    const ds = await openDataSource(db, { migrations: before });
    try {
      await ds.runMigrations({ transaction: 'all' });
      await ds.query(`INSERT INTO users (username, password_hash, role) VALUES ('Ann', 'x', 'viewer'), ('ann', 'x', 'viewer'), ('bob', 'x', 'viewer')`);
      const up = async () => {
        const q = ds.createQueryRunner();
        await q.startTransaction();
        try {
          await new UsernameCase1764159510000().up(q);
          await q.commitTransaction();
        } catch (e) {
          await q.rollbackTransaction();
          throw e;
        } finally {
          await q.release();
        }
      };
      await expect(up()).rejects.toThrow(/differ only in case: \[Ann, ann\]/);
      await ds.query(`UPDATE users SET username = 'ann2' WHERE username = 'ann'`);
      await up();
      await expect(ds.query(`INSERT INTO users (username, password_hash, role) VALUES ('BOB', 'x', 'viewer')`)).rejects.toThrow(/users_username_lower_key/);
    } finally {
      await ds.destroy();
    }
  });
});
