import { DataSource } from 'typeorm';
import { childText, children, parseXml, validateCap } from './helpers/cap-schema.js';
import { asText } from './helpers/text-body.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

interface Site { facilityId: string; conversion: string; switched: boolean; readyAt?: string; timeToReadySeconds?: number; releasedAt?: string }
interface Activation { id: string; planCode: string; level: number; status: string; exercise: boolean; sites: Site[]; standbySquads: string[] }
interface Task { id: string; facilityId: string; kind: string; status: string; expectedMinutes: number }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sorted = (a: string[]) => [...a].sort();

describe('response plans, activation, conversion and stand-down (e2e)', () => {
  let t: TestApp;
  let ds: DataSource;
  let commander: string;
  let coordinator: string;
  let viewer: string;
  /** Neighborhood centers of hubin, by code: the test plans' own sites. */
  let centers: { id: string; code: string }[];

  beforeAll(async () => {
    t = await startTestApp({ SWEEP_INTERVAL_MS: '200', LOG_LEVEL: process.env.PLANS_LOG ?? 'silent' });
    ds = t.app.get(DataSource);
    [commander, coordinator, viewer] = await Promise.all([t.login('commander'), t.login('coordinator'), t.login('viewer')]);
    centers = await ds.query(`SELECT id, code FROM facilities WHERE type = 'neighborhood_center' AND area_code = 'hubin' ORDER BY code`);
  }, 180_000);
  afterAll(async () => {
    await t.close();
  });

  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const get = (path: string, token = viewer) => t.http().get(path).set(as(token));
  const post = (path: string, body: object, token = commander) => t.http().post(path).set(as(token)).send(body);
  const one = async <T = number>(sql: string, params: unknown[] = []): Promise<T> => Object.values((await ds.query(sql, params))[0])[0] as T;
  const emergencyIds = async (): Promise<string[]> => (await ds.query(`SELECT id FROM facilities WHERE mode = 'emergency' ORDER BY id`)).map((r: { id: string }) => r.id);
  const activation = async (id: string): Promise<Activation> => (await get(`/api/activations/${id}`)).body;
  const tasksOf = async (q: string): Promise<Task[]> => (await get(`/api/conversion-tasks?${q}`)).body;

  /** A plan over listed hubin centers, one level adding one site, with a short checklist. */
  function testPlan(code: string, codes: string[][], minutes = 30) {
    return {
      code,
      name: `测试预案 ${code}`,
      nameEn: `Test plan ${code}`,
      hazard: 'other',
      levels: [4, 3, 2, 1].map((level, i) => ({
        level,
        scope: { facilityCodes: codes[i] ?? [] },
        standby: { areas: ['hubin'], perArea: 1 },
        reserveItems: ['water'],
        checklists: { neighborhood_center: [{ title: '摆放床位', minutes }, { title: '张贴标识', minutes, who: '网格员' }] },
      })),
    };
  }

  it('lists the four seeded plans, cumulative levels 4 to 1; commanders create and edit, validated', async () => {
    const plans = (await get('/api/plans')).body as { code: string; levels: { level: number }[] }[];
    expect(plans.map((p) => p.code)).toEqual(expect.arrayContaining(['typhoon', 'rainstorm', 'cold_wave', 'public_health']));
    expect(plans.find((p) => p.code === 'typhoon')!.levels.map((l) => l.level)).toEqual([4, 3, 2, 1]);
    expect((await get('/api/plans/typhoon')).body).toMatchObject({ code: 'typhoon', hazard: 'typhoon', name: '台风防御应急预案' });
    expect((await get('/api/plans/nope')).body).toMatchObject({ statusCode: 404, code: 'PLAN.NOT_FOUND' });

    const body = testPlan('t_a', [[centers[0].code], [centers[1].code]]);
    expect((await post('/api/plans', body, viewer)).status).toBe(403);
    expect((await post('/api/plans', { ...body, levels: body.levels.slice(0, 3) })).body).toMatchObject({ statusCode: 400, code: 'PLAN.INVALID' });
    const badArea = { ...body, levels: body.levels.map((l) => ({ ...l, standby: { areas: ['atlantis'] } })) };
    expect((await post('/api/plans', badArea)).body).toMatchObject({ statusCode: 400, code: 'PLAN.INVALID' });
    const badTask = { ...body, levels: body.levels.map((l) => ({ ...l, checklists: { neighborhood_center: [{ title: 'x', minutes: -1 }] } })) };
    expect((await post('/api/plans', badTask)).body).toMatchObject({ statusCode: 400, code: 'PLAN.INVALID' });
    expect((await post('/api/plans', { ...body, levels: [{ ...body.levels[0], level: 5 }] })).status).toBe(400);

    expect((await post('/api/plans', body)).status).toBe(201);
    expect((await post('/api/plans', body)).body).toMatchObject({ statusCode: 409, code: 'PLAN.CODE_TAKEN' });
    const { code: _c, ...edit } = body;
    const put = await t.http().put('/api/plans/t_a').set(as(commander)).send({ ...edit, name: '测试预案甲' });
    expect(put.status).toBe(200);
    expect(put.body.name).toBe('测试预案甲');
  });

  it('a dry run changes nothing: modes, events, activations and tasks are the same before and after', async () => {
    const before = {
      modes: await emergencyIds(),
      events: await one('SELECT count(*)::int FROM events'),
      activations: await one('SELECT count(*)::int FROM plan_activations'),
      tasks: await one('SELECT count(*)::int FROM conversion_tasks'),
    };
    const res = await post('/api/plans/typhoon/activations', { level: 4, reason: '台风蓝色预警', dryRun: true });
    expect(res.status).toBe(200);
    const ports: { id: string }[] = await ds.query(`SELECT id FROM facilities WHERE type = 'neighborhood_center' AND kind = 'fishing_port' ORDER BY id`);
    expect(res.body).toMatchObject({ dryRun: true, level: 4, alreadyInEmergency: [] });
    expect(sorted(res.body.sitesToSwitch)).toEqual(ports.map((p) => p.id));
    expect(res.body.standbySquads.length).toBeGreaterThan(0);
    expect(res.body.tasks).toBe(ports.length * 4);
    expect(res.body.shortfalls).toEqual(expect.any(Array));
    const wider = await post('/api/plans/typhoon/activations', { level: 3, reason: '台风黄色预警', dryRun: true });
    expect(wider.body.sitesToSwitch.length).toBeGreaterThan(ports.length);
    expect({
      modes: await emergencyIds(),
      events: await one('SELECT count(*)::int FROM events'),
      activations: await one('SELECT count(*)::int FROM plan_activations'),
      tasks: await one('SELECT count(*)::int FROM conversion_tasks'),
    }).toEqual(before);
  });

  it('activates all or nothing: a failure in the middle leaves no mode, record, task or event', async () => {
    const before = { events: await one('SELECT count(*)::int FROM events'), history: await one('SELECT count(*)::int FROM facility_mode_history') };
    await ds.query(`CREATE FUNCTION fail_task() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$`);
    await ds.query('CREATE TRIGGER fail_task BEFORE INSERT ON conversion_tasks FOR EACH ROW EXECUTE FUNCTION fail_task()');
    try {
      const res = await post('/api/plans/typhoon/activations', { level: 4, reason: '台风蓝色预警' });
      expect(res.status).toBe(500);
    } finally {
      await ds.query('DROP TRIGGER fail_task ON conversion_tasks');
      await ds.query('DROP FUNCTION fail_task');
    }
    expect(await emergencyIds()).toEqual([]);
    expect(await one('SELECT count(*)::int FROM plan_activations')).toBe(0);
    expect(await one('SELECT count(*)::int FROM activation_sites')).toBe(0);
    expect(await one('SELECT count(*)::int FROM squad_standby')).toBe(0);
    expect(await one('SELECT count(*)::int FROM events')).toBe(before.events);
    expect(await one('SELECT count(*)::int FROM facility_mode_history')).toBe(before.history);
  });

  it('activates typhoon Ⅳ, escalates to Ⅲ and back; squads on standby stay available; CAP is valid; stand-down returns the sites', async () => {
    const res = await post('/api/plans/typhoon/activations', { level: 4, reason: '台风蓝色预警' });
    expect(res.status).toBe(201);
    const a = res.body as Activation;
    expect(a).toMatchObject({ planCode: 'typhoon', level: 4, status: 'active', exercise: false });
    const ports = sorted(a.sites.map((s) => s.facilityId));
    expect(await emergencyIds()).toEqual(ports);
    expect(a.sites.every((s) => s.switched && s.conversion === 'converting')).toBe(true);
    expect((await tasksOf(`activationId=${a.id}`)).length).toBe(ports.length * 4);
    // Standby is an order, not a status: the squads stay available, so dispatchable.
    const statuses: { status: string }[] = await ds.query('SELECT status FROM squads WHERE id = ANY($1::uuid[])', [a.standbySquads]);
    expect(statuses.every((s) => s.status === 'available')).toBe(true);
    expect((await get('/api/activations?active=true')).body.map((x: Activation) => x.id)).toEqual([a.id]);

    // CAP for the activation: valid, Actual.
    const [ev] = await ds.query(`SELECT id::text AS id FROM events WHERE type = 'plan.activated' ORDER BY id DESC LIMIT 1`);
    const cap = await get(`/api/alerts/${ev.id}/cap`, commander).buffer(true).parse(asText);
    expect(cap.status).toBe(200);
    const check = await validateCap(cap.body as string);
    expect(check.errors).toEqual([]);
    const root = parseXml(cap.body as string);
    expect(childText(root, 'status')).toBe('Actual');
    expect(children(root, 'info').length).toBeGreaterThan(0);

    const up = await post(`/api/activations/${a.id}/level`, { level: 3, reason: '升级为黄色预警' });
    expect(up.status).toBe(200);
    const wider = sorted((up.body as Activation).sites.filter((s) => !s.releasedAt).map((s) => s.facilityId));
    expect(wider.length).toBeGreaterThan(ports.length);
    expect(await emergencyIds()).toEqual(wider);
    const [changed] = await ds.query(`SELECT id::text AS id FROM events WHERE type = 'plan.level_changed' ORDER BY id DESC LIMIT 1`);
    const capUp = await get(`/api/alerts/${changed.id}/cap`, commander).buffer(true).parse(asText);
    expect((await validateCap(capUp.body as string)).errors).toEqual([]);
    const info = children(parseXml(capUp.body as string), 'info');
    expect(info.map((i) => childText(i, 'severity'))).toEqual(['Moderate', 'Moderate']);
    expect(info.map((i) => childText(i, 'category'))).toEqual(['Met', 'Met']);
    expect(childText(info[0], 'headline')).toContain('台风防御应急预案');
    expect((await post(`/api/activations/${a.id}/level`, { level: 3, reason: '再来一次' })).body).toMatchObject({ statusCode: 409, code: 'PLAN.SAME_LEVEL' });

    const down = await post(`/api/activations/${a.id}/level`, { level: 4, reason: '降为蓝色预警' });
    expect(down.status).toBe(200);
    expect(await emergencyIds()).toEqual(ports);
    const released = (down.body as Activation).sites.filter((s) => s.releasedAt).map((s) => s.facilityId);
    expect(released.length).toBe(wider.length - ports.length);
    // The released sites have demobilisation tasks.
    const demob = (await tasksOf(`activationId=${a.id}`)).filter((x) => x.kind === 'demobilisation');
    expect(new Set(demob.map((x) => x.facilityId)).size).toBe(released.length);

    const sd = await post(`/api/activations/${a.id}/stand-down`, { reason: '台风解除' });
    expect(sd.status).toBe(200);
    expect(sd.body.status).toBe('standing_down');
    expect(sd.body.standbySquads).toEqual([]);
    expect(await emergencyIds()).toEqual([]);
    expect((await post(`/api/activations/${a.id}/level`, { level: 2, reason: 'x 已结束' })).body).toMatchObject({ statusCode: 409, code: 'PLAN.NOT_ACTIVE' });
    // Closed when the last demobilisation task is done.
    const open = await tasksOf(`activationId=${a.id}&status=open`);
    const demobOpen = open.filter((x) => x.kind === 'demobilisation');
    // Done at once, eight at a time: the last one done still closes the activation.
    for (let i = 0; i < demobOpen.length; i += 8) {
      const done = await Promise.all(demobOpen.slice(i, i + 8).map((task) => post(`/api/conversion-tasks/${task.id}/done`, {})));
      expect(done.map((r) => r.status)).toEqual(done.map(() => 200));
    }
    expect((await activation(a.id)).status).toBe('closed');
  }, 180_000);

  it('two overlapping plans: a site stays in emergency while any active activation covers it', async () => {
    const [s0, s1, s2] = centers;
    expect((await post('/api/plans', testPlan('t_o1', [[s0.code], [s1.code]]))).status).toBe(201);
    expect((await post('/api/plans', testPlan('t_o2', [[s1.code, s2.code]]))).status).toBe(201);
    const aRes = await post('/api/plans/t_o1/activations', { level: 4, reason: '甲预案' });
    expect({ status: aRes.status, body: aRes.body }).toMatchObject({ status: 201 });
    const a = aRes.body as Activation; // s0
    const b = (await post('/api/plans/t_o2/activations', { level: 4, reason: '乙预案' })).body as Activation; // s1, s2
    expect(a.sites.map((s) => s.facilityId)).toEqual([s0.id]);
    expect(sorted(b.sites.map((s) => s.facilityId))).toEqual(sorted([s1.id, s2.id]));
    const up = await post(`/api/activations/${a.id}/level`, { level: 3, reason: '甲升级' });
    expect(up.body).toMatchObject({ level: 3 });
    const aUp = up.body as Activation; // s0, s1 (s1 already in emergency)
    expect(aUp.sites.find((s) => s.facilityId === s1.id)).toMatchObject({ switched: false, conversion: 'ready' });
    expect(await emergencyIds()).toEqual(sorted([s0.id, s1.id, s2.id]));
    // De-escalating a releases s1, which b still covers.
    await post(`/api/activations/${a.id}/level`, { level: 4, reason: '甲降级' });
    expect(await emergencyIds()).toEqual(sorted([s0.id, s1.id, s2.id]));
    await post(`/api/activations/${a.id}/level`, { level: 3, reason: '甲再升级' });
    // b stands down: s1 stays (a covers it), s2 returns.
    const bDown = await post(`/api/activations/${b.id}/stand-down`, { reason: '乙解除' });
    expect(bDown.status).toBe(200);
    expect(await emergencyIds()).toEqual(sorted([s0.id, s1.id]));
    const [stood] = await ds.query(`SELECT payload FROM events WHERE type = 'plan.stood_down' ORDER BY id DESC LIMIT 1`);
    expect(stood.payload).toMatchObject({ sitesReturned: 1, sitesStillCovered: 1 });
    await post(`/api/activations/${a.id}/stand-down`, { reason: '甲解除' });
    expect(await emergencyIds()).toEqual([]);
  });

  it('叫应 on activation: the switched sites’ managers and the standby squads’ leaders must answer; a manager marks only their own site’s tasks done', async () => {
    const [s0, s1] = centers;
    expect((await post('/api/plans', testPlan('t_calls', [[s0.code, s1.code]]))).status).toBe(201);
    const a = (await post('/api/plans/t_calls/activations', { level: 4, reason: '叫应测试' })).body as Activation;
    expect(a.standbySquads.length).toBeGreaterThan(0);
    // This activation's rounds: their messages name the plan (earlier tests' rounds are still open).
    const rounds = (await get('/api/roll-calls?open=true', commander)).body as { source: string; message: string; entries: { username: string }[] }[];
    const names = (source: string) => sorted(rounds.filter((r) => r.source === source && r.message.includes('t_calls')).flatMap((r) => r.entries.map((e) => e.username)));
    expect(names('switchover')).toEqual(expect.arrayContaining([`mgr-${s0.code.toLowerCase()}`, `mgr-${s1.code.toLowerCase()}`]));
    const leaders: { username: string }[] = await ds.query('SELECT username FROM users WHERE role = $1 AND squad_id = ANY($2::uuid[]) ORDER BY username', ['squad_leader', a.standbySquads]);
    expect(leaders.length).toBeGreaterThan(0);
    expect(names('plan')).toEqual(sorted(leaders.map((l) => l.username)));

    const manager = await t.login(`mgr-${s0.code.toLowerCase()}`);
    const [own] = await tasksOf(`activationId=${a.id}&facilityId=${s0.id}`);
    const [others] = await tasksOf(`activationId=${a.id}&facilityId=${s1.id}`);
    expect((await post(`/api/conversion-tasks/${own.id}/done`, {}, manager)).status).toBe(200);
    const refused = await post(`/api/conversion-tasks/${others.id}/done`, {}, manager);
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 403, code: 'SITE.NOT_YOUR_SITE' });
    expect((await tasksOf(`activationId=${a.id}&facilityId=${s1.id}`)).every((task) => task.status === 'open')).toBe(true);
    expect((await post(`/api/conversion-tasks/${others.id}/done`, {}, viewer)).status).toBe(403);
    const down = await post(`/api/activations/${a.id}/stand-down`, { reason: '叫应测试结束' });
    expect({ status: down.status, body: down.body }).toMatchObject({ status: 200 });
    expect(await emergencyIds()).toEqual([]);
  });

  it('concurrent activations, level changes and stand-downs of overlapping plans leave every site covered exactly when in emergency', async () => {
    const fengli: { code: string }[] = await ds.query(`SELECT code FROM facilities WHERE area_code = 'fengli' AND type = 'service_station' ORDER BY code`);
    expect(fengli.length).toBeGreaterThanOrEqual(3);
    const [x, y, z] = fengli.map((f) => f.code);
    const plan = (code: string, codes: string[][]) => ({ ...testPlan(code, codes), levels: testPlan(code, codes).levels.map((l) => ({ ...l, checklists: {} })) });
    expect((await post('/api/plans', plan('t_c1', [[x, y], [z]]))).status).toBe(201);
    expect((await post('/api/plans', plan('t_c2', [[y, z]]))).status).toBe(201);
    const covered = async (): Promise<string[]> =>
      (await ds.query(
        `SELECT DISTINCT s.facility_id AS id FROM activation_sites s JOIN plan_activations a ON a.id = s.activation_id
         WHERE a.status = 'active' AND NOT a.exercise AND s.released_at IS NULL ORDER BY 1`,
      )).map((r: { id: string }) => r.id);
    for (let round = 0; round < 3; round++) {
      const [r1, r2] = await Promise.all([
        post('/api/plans/t_c1/activations', { level: 4, reason: `并发甲 ${round}` }),
        post('/api/plans/t_c2/activations', { level: 4, reason: `并发乙 ${round}` }),
      ]);
      expect([r1.status, r2.status]).toEqual([201, 201]);
      expect(await emergencyIds()).toEqual(await covered());
      const [u1, d2] = await Promise.all([
        post(`/api/activations/${r1.body.id}/level`, { level: 3, reason: '并发升级' }),
        post(`/api/activations/${r2.body.id}/stand-down`, { reason: '并发解除' }),
      ]);
      expect([u1.status, d2.status]).toEqual([200, 200]);
      expect(await emergencyIds()).toEqual(await covered());
      const d1 = await post(`/api/activations/${r1.body.id}/stand-down`, { reason: '并发全部解除' });
      expect(d1.status).toBe(200);
      expect(await emergencyIds()).toEqual([]);
    }
  });

  it('a site is ready when its tasks are done, with its time to ready; one past its expected time is overdue, alerted once; the report counts both', async () => {
    const [, , , s3, s4] = centers;
    expect((await post('/api/plans', testPlan('t_fast', [[s3.code, s4.code]], 0.05))).status).toBe(201); // 2 × 3 s per site
    const a = (await post('/api/plans/t_fast/activations', { level: 4, reason: '计时' })).body as Activation;
    const tasks = await tasksOf(`activationId=${a.id}&facilityId=${s3.id}`);
    expect(tasks.map((x) => x.expectedMinutes)).toEqual([0.05, 0.05]);
    expect((await post(`/api/conversion-tasks/${tasks[0].id}/done`, { note: '好了' })).status).toBe(200);
    expect((await post(`/api/conversion-tasks/${tasks[0].id}/done`, {})).body).toMatchObject({ statusCode: 409, code: 'PLAN.TASK_DONE' });
    expect((await post(`/api/conversion-tasks/${tasks[1].id}/done`, {}, viewer)).status).toBe(403);
    expect((await post(`/api/conversion-tasks/${tasks[1].id}/done`, {}, coordinator)).status).toBe(403);
    expect((await post(`/api/conversion-tasks/${tasks[1].id}/done`, {})).status).toBe(200);
    const ready = (await activation(a.id)).sites.find((s) => s.facilityId === s3.id)!;
    expect(ready).toMatchObject({ conversion: 'ready' });
    expect(ready.timeToReadySeconds).toBeLessThan(6);
    // s4 is expected in 6 s: past that, the sweep marks it overdue and raises one warning.
    await sleep(7000);
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && (await one(`SELECT count(*)::int FROM events WHERE type = 'conversion.overdue' AND payload->>'activationId' = $1`, [a.id])) === 0) await sleep(200);
    await sleep(600);
    const overdue: { severity: string; facility_id: string }[] = await ds.query(
      `SELECT severity, facility_id FROM events WHERE type = 'conversion.overdue' AND payload->>'activationId' = $1`,
      [a.id],
    );
    expect(overdue).toEqual([{ severity: 'warning', facility_id: s4.id }]);
    expect((await activation(a.id)).sites.find((s) => s.facilityId === s4.id)!.conversion).toBe('overdue');
    const alerts = (await get('/api/alerts?open=true')).body as { type: string }[];
    expect(alerts.some((x) => x.type === 'conversion.overdue')).toBe(true);

    const report = (await get(`/api/activations/${a.id}/report`)).body;
    expect(report.timeToReady).toMatchObject({ switched: 2, ready: 1, overdue: 1, medianSeconds: ready.timeToReadySeconds, worstSeconds: ready.timeToReadySeconds });
    expect(report.shortfallsAtActivation).toEqual(expect.any(Array));
    expect(report.timeline.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['plan.activated', 'facility.ready', 'conversion.overdue']));
    const csv = await get(`/api/activations/${a.id}/report?format=csv`).buffer(true).parse(asText);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body as string).toContain(s3.code);
    await post(`/api/activations/${a.id}/stand-down`, { reason: '结束计时' });
  }, 120_000);

  it('an exercise activation (coordinator) changes no real mode and no squad, and is marked exercise, in CAP too', async () => {
    expect((await post('/api/plans/typhoon/activations', { level: 4, reason: '演练' }, coordinator)).body).toMatchObject({ statusCode: 403, code: 'PLAN.EXERCISE_ONLY' });
    const squadsBefore = await ds.query('SELECT id, status FROM squads ORDER BY id');
    const res = await post('/api/plans/typhoon/activations', { level: 3, reason: '台风演练', exercise: true }, coordinator);
    expect(res.status).toBe(201);
    const a = res.body as Activation;
    expect(a.exercise).toBe(true);
    expect(a.sites.length).toBeGreaterThan(0);
    expect(a.sites.every((s) => s.conversion === 'converting')).toBe(true);
    expect(await emergencyIds()).toEqual([]);
    expect(await ds.query('SELECT id, status FROM squads ORDER BY id')).toEqual(squadsBefore);
    const [ev] = await ds.query(`SELECT id::text AS id, exercise FROM events WHERE type = 'plan.activated' ORDER BY id DESC LIMIT 1`);
    expect(ev.exercise).toBe(true);
    const cap = await get(`/api/alerts/${ev.id}/cap`, commander).buffer(true).parse(asText);
    expect((await validateCap(cap.body as string)).valid).toBe(true);
    expect(childText(parseXml(cap.body as string), 'status')).toBe('Exercise');
    const task = (await tasksOf(`activationId=${a.id}`))[0];
    expect((await post(`/api/conversion-tasks/${task.id}/done`, {}, coordinator)).status).toBe(200);
    expect((await post(`/api/activations/${a.id}/level`, { level: 4, reason: '演练降级' }, coordinator)).status).toBe(200);
    expect((await post(`/api/activations/${a.id}/stand-down`, { reason: '演练结束' }, coordinator)).status).toBe(200);
    expect(await emergencyIds()).toEqual([]);
    expect(await one(`SELECT count(*)::int FROM events WHERE payload->>'activationId' = $1 AND NOT exercise`, [a.id])).toBe(0);
  });
});
