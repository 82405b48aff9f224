import { DataSource } from 'typeorm';
import type { SocketAck } from '../src/contracts/socket.js';
import { type ClientSocket, connectClient } from './helpers/sockets.js';
import { createIncident, leaderOf, squadsByCode } from './helpers/squads.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

/**
 * The input boundary: whatever a client sends — text the database cannot store, impossible dates,
 * nulls, missing or deeply nested objects, numbers as strings — gets a 4xx, never a 5xx. The write
 * routes are read from the OpenAPI document, so a new route is covered without touching this file.
 */

interface SchemaObject {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  items?: SchemaObject;
  properties?: Record<string, SchemaObject>;
  required?: string[];
  allOf?: SchemaObject[];
}
interface Operation {
  parameters?: { name: string; in: string; schema?: SchemaObject }[];
  requestBody?: { content: Record<string, { schema: SchemaObject }> };
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, SchemaObject> };
}

const nest = (depth: number): unknown => {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
};
const nestArrays = (depth: number): unknown => JSON.parse('['.repeat(depth) + ']'.repeat(depth));

/** Values put in place of one field at a time. */
const HOSTILE_VALUES: [string, unknown][] = [
  ['NUL in text', 'a\u0000b'],
  ['a control character', 'a\u0007b'],
  ['a lone high surrogate', 'a\uD800b'],
  ['a lone low surrogate', '\uDC00'],
  ['null', null],
  ['an impossible date', '2026-02-30T00:00:00Z'],
  ['an ISO week date', '2026-W05'],
  ['a bare year', '2026'],
  ['an empty string', ''],
  ['true', true],
  ['a hex number as text', '0x10'],
  ['a number as text', '12'],
  ['a huge number', 1e308],
  ['a negative number', -1],
  ['a fraction', 0.5],
  ['an empty object', {}],
  ['an array of NUL text', ['a\u0000b']],
  ['an array of nulls', [null]],
  ['an object in an array', [{ a: 'a\u0000b' }]],
  ['deep nesting', nest(100)],
];

/** Whole bodies, whatever the route expects. */
const HOSTILE_BODIES: [string, string | object | undefined][] = [
  ['no body', undefined],
  ['an empty object', {}],
  ['an empty array', []],
  ['an array of objects', [{}]],
  ['a JSON string', '"text"'],
  ['JSON null', 'null'],
  ['a NUL in a key', { 'a\u0000b': 1 }],
  ['a lone surrogate in a key', { '\uD800': 1 }],
  ['2,000 levels of objects', JSON.stringify(nest(2000))],
  ['2,000 levels of arrays', '['.repeat(2000) + ']'.repeat(2000)],
  ['nesting just over the limit', nest(40) as object],
  ['broken JSON', '{"a":'],
];

describe('the input boundary: no 5xx from anything a client sends (e2e)', () => {
  let t: TestApp;
  let commander: string;
  let ds: DataSource;
  let doc: OpenApi;
  const ids: Record<string, string> = {};
  const auth = (token = commander) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await startTestApp({ STOCK_CHECK_INTERVAL_MS: '86400000', SOCKET_RATE_LIMIT: '1000' });
    commander = await t.login('commander');
    ds = t.app.get(DataSource);
    doc = (await t.http().get('/api/docs-json')).body;
    // Real ids for the path parameters, so bodies that pass validation reach the services and the database.
    const squads = await squadsByCode(t, commander);
    ids.squads = squads.get('SQ-002')!.id;
    ids.facilities = (await ds.query(`SELECT id FROM facilities ORDER BY code LIMIT 1`))[0].id;
    ids.incidents = await createIncident(t, commander);
    const dispatch = await t.http().post(`/api/incidents/${ids.incidents}/dispatches`).set(auth()).send({ squadIds: [squads.get('SQ-003')!.id] });
    ids.dispatches = dispatch.body[0].id;
    const drill = await t.http().post('/api/drills').set(auth()).send({
      title: '边界演练', kind: 'drill', plannedStart: '2026-12-01T01:00:00Z', plannedEnd: '2026-12-01T03:00:00Z', squadIds: [squads.get('SQ-004')!.id],
    });
    ids.drills = drill.body.id;
    ids['api-tokens'] = (await t.http().post('/api/api-tokens').set(auth()).send({ name: '边界' })).body.id;
    ids.users = (await ds.query(`SELECT id FROM users WHERE username = 'viewer'`))[0].id;
    ids.alerts = (await ds.query(`SELECT max(id)::text AS id FROM events`))[0].id;
  });
  afterAll(async () => {
    await t.close();
  });

  const resolve = (s: SchemaObject): SchemaObject => (s.$ref ? resolve(doc.components.schemas[s.$ref.split('/').pop()!]) : s.allOf ? resolve(s.allOf[0]) : s);

  /** A body the schema describes, from its examples (as valid as the document lets us be). */
  function sample(schema: SchemaObject, depth = 0): unknown {
    const s = resolve(schema);
    if (s.example !== undefined) return s.example;
    if (s.enum?.length) return s.enum[0];
    if (s.type === 'array') return depth > 3 || !s.items ? [] : [sample(s.items, depth + 1)];
    if (s.type === 'integer' || s.type === 'number') return 1;
    if (s.type === 'boolean') return false;
    if (s.type === 'string') return s.format === 'date-time' ? '2026-12-01T00:00:00Z' : 'x';
    if (s.properties) return Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, sample(v, depth + 1)]));
    return {};
  }

  const pathOf = (template: string) =>
    template.replace(/\{(\w+)\}/g, (_, name: string) => {
      const resource = template.split('/')[2];
      if (name === 'code') return 'typhoon';
      return ids[resource] ?? '00000000-0000-4000-8000-000000000000';
    });

  const writeRoutes = () =>
    Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([method]) => ['post', 'put', 'patch', 'delete'].includes(method))
        .map(([method, op]) => ({ method, path, op })),
    );

  async function send(method: string, path: string, body: string | object | undefined, headers: Record<string, string>) {
    let req = t.http()[method as 'post'](path).set(headers);
    if (typeof body === 'string') req = req.set('content-type', 'application/json').send(body);
    else if (body !== undefined) req = req.send(body as object);
    const res = await req;
    return res;
  }

  it('reads every write route from the OpenAPI document', () => {
    const routes = writeRoutes().map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(routes.length).toBeGreaterThan(20);
    expect(routes).toEqual(expect.arrayContaining(['POST /api/auth/login', 'PATCH /api/facilities/{id}', 'POST /api/switchovers', 'POST /api/stock-transfers', 'PUT /api/reserve-requirements']));
  });

  it('replays hostile bodies over every write route as a commander: never a 5xx', async () => {
    const failures: string[] = [];
    let requests = 0;
    for (const { method, path, op } of writeRoutes()) {
      const url = pathOf(path);
      const schema = op.requestBody?.content['application/json']?.schema;
      const base = schema ? sample(schema) : {};
      const bodies: [string, string | object | undefined][] = [...HOSTILE_BODIES];
      if (base && typeof base === 'object' && !Array.isArray(base)) {
        for (const field of Object.keys(base)) {
          for (const [label, value] of HOSTILE_VALUES) bodies.push([`${field}: ${label}`, { ...base, [field]: value }]);
          const rest = { ...(base as Record<string, unknown>) };
          delete rest[field];
          bodies.push([`${field} missing`, rest]);
        }
      }
      for (const [label, body] of bodies) {
        const res = await send(method, url, body, auth());
        requests++;
        if (res.status >= 500) failures.push(`${method.toUpperCase()} ${path} with ${label}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      }
    }
    console.info(`input boundary: ${requests} hostile bodies over ${writeRoutes().length} write routes, ${failures.length} answered 5xx`);
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(1000);
  }, 300_000);

  it('replays hostile query strings over every read route: never a 5xx', async () => {
    const failures: string[] = [];
    const values = ['a\u0000b', '\uD800', '2026-02-30T00:00:00Z', '2026-W05', '0x10', '1e3', ' 12', '-0', '', 'true', '9'.repeat(40)];
    for (const [path, ops] of Object.entries(doc.paths)) {
      const op = ops.get;
      if (!op) continue;
      const url = pathOf(path);
      for (const p of (op.parameters ?? []).filter((q) => q.in === 'query')) {
        for (const v of values) {
          const res = await t.http().get(url).query({ [p.name]: v }).set(auth());
          if (res.status >= 500) failures.push(`GET ${path}?${p.name}=${JSON.stringify(v)}: ${res.status}`);
        }
      }
      for (const segment of ['a%00b', '%ED%A0%80', '%F0%9F%8C%80', '..%2F']) {
        if (!path.includes('{')) continue;
        const res = await t.http().get(path.replace(/\{\w+\}/, segment)).set(auth());
        if (res.status >= 500) failures.push(`GET ${path} with ${segment}: ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it('before login: NUL text and deep nesting get 400 (not 500) on login and on every other route', async () => {
    const login = await t.http().post('/api/auth/login').send({ username: 'a\u0000b', password: 'pingji-demo' });
    expect(login.status).toBe(400);
    expect(login.body).toMatchObject({ code: 'REQUEST.VALIDATION' });
    expect(login.body.message).toMatch(/username.*control character/i);
    const surrogate = await t.http().post('/api/auth/login').send({ username: 'commander', password: 'x\uD800' });
    expect(surrogate.status).toBe(400);
    expect(surrogate.body.message).toMatch(/password.*(Unicode|surrogate)/i);
    const deep = JSON.stringify(nest(2000));
    expect(deep.length).toBeLessThan(20_000);
    for (const { method, path } of writeRoutes()) {
      const res = await send(method, pathOf(path), deep, {});
      // Uploads are files (text), not JSON to walk: for them the missing login is what is wrong.
      const expected = path.startsWith('/api/imports/') ? [401, 'AUTH.UNAUTHORIZED'] : [400, 'REQUEST.TOO_DEEP'];
      expect([res.status, res.body.code, `${method} ${path}`]).toEqual([...expected, `${method} ${path}`]);
    }
    const arrays = await send('post', '/api/auth/login', '['.repeat(2000) + ']'.repeat(2000), {});
    expect(arrays.status).toBe(400);
  });

  describe('specific examples get 400 with a readable message and change nothing', () => {
    const countOf = async (sql: string) => (await ds.query(sql))[0].n as number;
    const events = () => countOf('SELECT count(*)::int AS n FROM events');

    it('null where a value is required: PATCH /api/facilities/:id {"name":null}', async () => {
      const before = await ds.query('SELECT name, updated_at FROM facilities WHERE id = $1', [ids.facilities]);
      const eventsBefore = await events();
      const res = await t.http().patch(`/api/facilities/${ids.facilities}`).set(auth()).send({ name: null });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'REQUEST.VALIDATION' });
      expect(res.body.message).toMatch(/name must not be null/);
      expect(await ds.query('SELECT name, updated_at FROM facilities WHERE id = $1', [ids.facilities])).toEqual(before);
      expect(await events()).toBe(eventsBefore);
      // Where null means "none" (an optional link), it still clears it.
      const cleared = await t.http().patch(`/api/facilities/${ids.facilities}`).set(auth()).send({ nameEn: null });
      expect(cleared.status).toBe(200);
      expect(cleared.body.nameEn ?? null).toBeNull();
    });

    it('a missing nested object: POST /api/switchovers without scope', async () => {
      const before = await countOf('SELECT count(*)::int AS n FROM switchovers');
      for (const body of [{ mode: 'emergency', reason: '台风来袭' }, { mode: 'emergency', reason: '台风来袭', scope: null }, { mode: 'emergency', reason: '台风来袭', scope: 'all' }]) {
        const res = await t.http().post('/api/switchovers').set(auth()).send(body);
        expect(res.status).toBe(400);
        expect(res.body.message).toMatch(/scope/);
      }
      expect(await countOf('SELECT count(*)::int AS n FROM switchovers')).toBe(before);
    });

    it.each([
      ['2026-02-30T00:00:00Z', 'an impossible day'],
      ['2026-13-01T00:00:00Z', 'an impossible month'],
      ['2026-04-31', 'a 31st of April'],
      ['2026-02-29', 'the 29th of February of a common year'],
      ['2026-W05', 'an ISO week date'],
      ['2026-123', 'an ordinal date'],
      ['2026', 'a bare year'],
      ['2026-12', 'a year and month'],
      ['2026-12-01T25:00:00Z', 'an impossible hour'],
      ['20261201T010000Z', 'the basic format'],
    ])('an impossible or non-calendar date (%s, %s) in every date field', async (date) => {
      const squadId = (await squadsByCode(t, commander)).get('SQ-005')!.id;
      const drills = await countOf('SELECT count(*)::int AS n FROM drills');
      const drill = await t.http().post('/api/drills').set(auth()).send({ title: '日期演练', kind: 'drill', plannedStart: date, plannedEnd: '2026-12-01T03:00:00Z', squadIds: [squadId] });
      expect(drill.status).toBe(400);
      expect(drill.body.message).toMatch(/plannedStart must be/);
      expect(await countOf('SELECT count(*)::int AS n FROM drills')).toBe(drills);
      const log = await t.http().post(`/api/drills/${ids.drills}/log`).set(auth()).send({ text: '记录', at: date });
      expect(log.status).toBe(400);
      const lots = await countOf('SELECT count(*)::int AS n FROM stock_movements');
      const stock = await t.http().post('/api/stock-movements').set(auth()).send({ facilityId: ids.facilities, itemCode: 'water', kind: 'receive', quantity: 1, expiresOn: date });
      expect(stock.status).toBe(400);
      expect(stock.body.message).toMatch(/expiresOn must be/);
      expect(await countOf('SELECT count(*)::int AS n FROM stock_movements')).toBe(lots);
      const exported = await t.http().get('/api/exports/events.csv').query({ from: date }).set(auth());
      expect(exported.status).toBe(400);
    });

    it('real calendar dates still pass, with or without an offset', async () => {
      const squadId = (await squadsByCode(t, commander)).get('SQ-006')!.id;
      const drill = await t.http().post('/api/drills').set(auth()).send({
        title: '闰日演练', kind: 'training', plannedStart: '2028-02-29T09:00:00+08:00', plannedEnd: '2028-02-29T11:30:00.500+08:00', squadIds: [squadId],
      });
      expect(drill.status).toBe(201);
      const stock = await t.http().post('/api/stock-movements').set(auth()).send({ facilityId: ids.facilities, itemCode: 'water', kind: 'receive', quantity: 1, expiresOn: '2028-02-29' });
      expect(stock.status).toBe(201);
    });

    it('numbers given as strings or booleans: lat "" / true / "0x10" are refused, not turned into 0, 1, 16', async () => {
      const before = await countOf('SELECT count(*)::int AS n FROM incidents');
      for (const lat of ['', true, '0x10', '24.7', ' 24.7', '1e1', null]) {
        const res = await t.http().post('/api/incidents').set(auth()).send({ kind: 'fire', severity: 'minor', title: '类型测试', lat, lng: 118.65 });
        expect([res.status, lat]).toEqual([400, lat]);
        expect(res.body.message).toMatch(/lat must be/);
      }
      expect(await countOf('SELECT count(*)::int AS n FROM incidents')).toBe(before);
      const quantity = await t.http().post('/api/stock-movements').set(auth()).send({ facilityId: ids.facilities, itemCode: 'water', kind: 'receive', quantity: '5' });
      expect(quantity.status).toBe(400);
    });

    it('query numbers: decimal digits only (?year=2026 yes; 0x7EA, 2e3, " 2026" no)', async () => {
      expect((await t.http().get('/api/drills').query({ year: '2026' }).set(auth())).status).toBe(200);
      expect((await t.http().get('/api/events').query({ limit: '5' }).set(auth())).status).toBe(200);
      for (const year of ['0x7EA', '2e3', ' 2026', '', 'true', '20 26']) {
        const res = await t.http().get('/api/drills').query({ year }).set(auth());
        expect([res.status, year]).toEqual([400, year]);
        expect(res.body.message).toMatch(/year must be/);
      }
    });

    it('text the database cannot store anywhere in a body: NUL, control characters, lone surrogates', async () => {
      const eventsBefore = await events();
      for (const title of ['a\u0000b', 'a\u001Bb', 'a\uD800b', 'a\uDC00', '\uDBFF']) {
        const res = await t.http().post('/api/notices').set(auth()).send({ title });
        expect([res.status, res.body.code]).toEqual([400, 'REQUEST.VALIDATION']);
        expect(res.body.message).toMatch(/^title /);
      }
      const nested = await t.http().put('/api/reserve-requirements').set(auth()).send({ requirements: [{ facilityType: 'warm_station', itemCode: 'water\u0000', quantity: 1 }] });
      expect(nested.status).toBe(400);
      expect(nested.body.message).toMatch(/requirements\[0\]\.itemCode/);
      expect(await events()).toBe(eventsBefore);
      // Line breaks and tabs are text, and a real emoji (a surrogate pair) is fine.
      const ok = await t.http().post('/api/notices').set(auth()).send({ title: '第一行\n第二行\t🌀' });
      expect(ok.status).toBe(201);
    });

    it('JSON escapes in an uploaded GeoJSON file (\\u0000, \\ud800) meet the same boundary once parsed', async () => {
      const before = await countOf('SELECT count(*)::int AS n FROM facilities');
      for (const escaped of ['\\u0000', '\\ud800', '\\u001b']) {
        const file = `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[118.65,24.73]},
          "properties":{"code":"GEO-ESC","name":"坏${escaped}名","type":"warm_station","areaCode":"hubin"}}]}`;
        const res = await t.http().post('/api/imports/facilities').set(auth()).set('content-type', 'application/geo+json').send(file);
        expect([res.status, res.body.code]).toEqual([400, 'REQUEST.VALIDATION']);
        expect(res.body.message).toMatch(/^features\[0\]\.properties\.name /);
      }
      expect(await countOf('SELECT count(*)::int AS n FROM facilities')).toBe(before);
    });

    it('JSON nested deeper than the limit: 400 REQUEST.TOO_DEEP; the limit itself passes the boundary', async () => {
      const deep = await t.http().post('/api/notices').set(auth()).send({ title: 'x', extra: nest(40) });
      expect(deep.status).toBe(400);
      expect(deep.body).toMatchObject({ code: 'REQUEST.TOO_DEEP' });
      expect(deep.body.message).toMatch(/32 levels/);
      const arrays = await t.http().post('/api/notices').set(auth()).send({ title: 'x', extra: nestArrays(40) });
      expect(arrays.body).toMatchObject({ code: 'REQUEST.TOO_DEEP' });
      // 30 levels get past the depth check (and are then refused as an unknown field, a 400 too).
      const shallow = await t.http().post('/api/notices').set(auth()).send({ title: 'x', extra: nest(30) });
      expect([shallow.status, shallow.body.code]).toEqual([400, 'REQUEST.VALIDATION']);
    });
  });

  describe('socket messages go through the same boundary', () => {
    const ask = (socket: ClientSocket, payload: unknown) =>
      new Promise<SocketAck>((resolve, reject) => {
        (socket as unknown as { timeout(ms: number): { emit(e: string, p: unknown, cb: (err: Error | null, a: SocketAck) => void): void } })
          .timeout(3000)
          .emit('squad.position', payload, (err, ack) => (err ? reject(err) : resolve(ack)));
      });

    it('refuses deep nesting, NUL text, lone surrogates, nulls and numbers as text in a message, and keeps the connection', async () => {
      const leader = await connectClient(t.url, await t.login(leaderOf('SQ-010')));
      await leader.replayDone;
      const cases: [unknown, string][] = [
        [nest(2000), 'REQUEST.TOO_DEEP'],
        [{ lat: 24.7, lng: 118.6, accuracy: nest(40) }, 'REQUEST.TOO_DEEP'],
        [{ lat: 24.7, lng: 118.6, note: 'a\u0000b' }, 'REQUEST.VALIDATION'],
        [{ lat: 24.7, lng: 118.6, note: '\uD800' }, 'REQUEST.VALIDATION'],
        [{ lat: null, lng: 118.6 }, 'REQUEST.VALIDATION'],
        [{ lat: '24.7', lng: 118.6 }, 'REQUEST.VALIDATION'],
        [{ lat: true, lng: 118.6 }, 'REQUEST.VALIDATION'],
        [[1, 2], 'REQUEST.VALIDATION'],
      ];
      for (const [payload, code] of cases) {
        const ack = await ask(leader.socket, payload);
        expect([ack.ok, ack.ok ? undefined : ack.code]).toEqual([false, code]);
      }
      expect(await ask(leader.socket, { lat: 24.7, lng: 118.6 })).toEqual({ ok: true });
      expect(leader.socket.connected).toBe(true);
      leader.close();
    });
  });
});
