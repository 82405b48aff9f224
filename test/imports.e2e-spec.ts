import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { parseCsv, toCsv } from '../src/common/csv.js';
import { connectClient } from './helpers/sockets.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { asText } from './helpers/text-body.js';
import type { ImportProgress } from '../src/contracts/imports.js';

const FACILITY_HEADER = 'code,name,nameEn,type,kind,areaCode,areaName,gridZoneCode,lat,lng,capacity,openingHours,parentCode,emergencyFunction';
const SQUAD_HEADER = 'squadCode,squadName,areaCode,baseSiteCode,squadSkills,memberName,memberPhone,memberSkills,partyMember,isLeader';

describe('imports and exports (e2e)', () => {
  let t: TestApp;
  let commander: string;
  let viewer: string;
  let db: DataSource;
  beforeAll(async () => {
    t = await startTestApp();
    commander = await t.login('commander');
    viewer = await t.login('viewer');
    db = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t.close();
  });

  const upload = (kind: 'facilities' | 'squads', body: string, type = 'text/csv', query = '', token = commander) =>
    t.http().post(`/api/imports/${kind}${query}`).set('authorization', `Bearer ${token}`).set('content-type', type).send(body);
  const download = async (path: string, token = commander) => {
    const res = await t.http().get(path).set('authorization', `Bearer ${token}`).buffer(true).parse(asText);
    return { status: res.status, type: String(res.headers['content-type']), text: res.body as string };
  };
  const count = async (sql: string, params: unknown[] = []) => (await db.query(sql, params))[0].n as number;
  const importEvents = () => count(`SELECT count(*)::int AS n FROM events WHERE type = 'import.completed'`);

  it('imports the downloadable templates as they are, and importing them again changes nothing', async () => {
    const sites = await download('/api/imports/templates/facilities.csv');
    expect(sites.status).toBe(200);
    // Notes first (lines starting with #): the allowed codes with their names; then the header.
    const lines = sites.text.replace(/^\uFEFF/, '').split('\n').map((l) => l.trim());
    const notes = lines.filter((l) => l.startsWith('#'));
    expect(lines.find((l) => !l.startsWith('#'))).toBe(FACILITY_HEADER);
    expect(notes.join('\n')).toContain('elder_canteen = 长者食堂 / Elder canteen');
    expect(notes.join('\n')).toContain('fishing_port = 渔港 / Fishing port');
    expect(notes.join('\n')).toContain('first_aid_triage = 医疗救护点 / First-aid and triage point');
    expect(notes.join('\n')).toMatch(/xiangzhi = \S+/);
    const first = await upload('facilities', sites.text, 'text/csv', '?fileName=facilities.csv');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ kind: 'facilities', format: 'csv', rows: 2, created: 2, updated: 0, unchanged: 0, dryRun: false });
    const cabin = (await db.query(`SELECT f.updated_at, p.code AS parent FROM facilities f JOIN facilities p ON p.id = f.parent_id WHERE f.code = 'EX-HS-01'`))[0];
    expect(cabin.parent).toBe('EX-NC-01');

    const squads = await download('/api/imports/templates/squads.csv');
    expect(squads.text).toContain('water_rescue = 水上救援 / Water rescue');
    const squadImport = await upload('squads', squads.text);
    expect(squadImport.body).toMatchObject({ rows: 2, created: 1, updated: 0, unchanged: 0 });
    expect(await count(`SELECT count(*)::int AS n FROM squad_members m JOIN squads s ON s.id = m.squad_id WHERE s.code = 'EX-SQ-01'`)).toBe(2);

    const events = await importEvents();
    const again = await upload('facilities', sites.text);
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    expect((await upload('squads', squads.text)).body).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    const after = (await db.query(`SELECT updated_at FROM facilities WHERE code = 'EX-HS-01'`))[0];
    expect(after.updated_at).toEqual(cabin.updated_at);
    expect(await importEvents()).toBe(events + 2); // each import is recorded, even one that changed nothing

    const geo = await download('/api/imports/templates/facilities.geojson');
    expect(JSON.parse(geo.text).type).toBe('FeatureCollection');
    expect(JSON.parse(geo.text).allowedCodes.type.elder_canteen).toEqual({ zh: '长者食堂', en: 'Elder canteen' });
    expect((await upload('facilities', geo.text, 'application/geo+json')).body).toMatchObject({ format: 'geojson', unchanged: 2 });
  });

  it('reports every bad line of a CSV file and applies none of it', async () => {
    const lines = [
      FACILITY_HEADER,
      'BAD-01,好站点,,elder_canteen,,hubin,,,24.73,118.65,40,,,', // line 2: fine on its own
      'BAD-02,类型错误,,castle,,hubin,,,24.73,118.65,,,,', // 3: unknown type
      'BAD-03,纬度错误,,elder_canteen,,hubin,,,124.73,118.65,,,,', // 4: latitude out of range
      'BAD-01,重复,,elder_canteen,,hubin,,,24.73,118.65,,,,', // 5: duplicate code
      'BAD-04,未知区域,,elder_canteen,,atlantis,,,24.73,118.65,,,,', // 6: unknown area, no areaName
      'BAD-05,类别错误,,elder_canteen,fishing_port,hubin,,,24.73,118.65,,,,', // 7: kind on a canteen
      'BAD-06,"引号, 逗号",,elder_canteen,,hubin,,,24.73,118.65,,,NOPE-99,', // 8: unknown parent
      'BAD-07,多一列,,elder_canteen,,hubin,,,24.73,118.65,,,,,extra', // 9: an extra cell
      'BAD-08,容量,,elder_canteen,,hubin,,,24.73,118.65,lots,25:00-26:00,,', // 10: capacity and hours
    ];
    const before = await count('SELECT count(*)::int AS n FROM facilities');
    const events = await importEvents();
    const res = await upload('facilities', lines.join('\n'));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('IMPORT.INVALID_ROWS');
    expect(res.body.message).toMatch(/nothing was imported/);
    const byLine = (line: number) => (res.body.rows as { line: number; field?: string; message: string }[]).filter((r) => r.line === line);
    expect(byLine(2)).toEqual([]);
    expect(byLine(3)[0]).toMatchObject({ field: 'type' });
    expect(byLine(4)[0]).toMatchObject({ field: 'lat' });
    expect(byLine(5)[0].message).toMatch(/already on line 2/);
    expect(byLine(7)[0]).toMatchObject({ field: 'kind' });
    expect(byLine(9)[0].message).toMatch(/more cell/);
    expect(new Set(byLine(10).map((r) => r.field))).toEqual(new Set(['capacity', 'openingHours']));
    expect(await count('SELECT count(*)::int AS n FROM facilities')).toBe(before);

    // Rows that pass on their own are then checked against the database: areas and parents.
    const refs = await upload('facilities', [FACILITY_HEADER, lines[1], lines[5], lines[7]].join('\n'));
    expect(refs.status).toBe(400);
    expect(refs.body.rows).toEqual([
      expect.objectContaining({ line: 3, field: 'areaCode', message: expect.stringMatching(/atlantis is not a known area.*areaName/) }),
      expect.objectContaining({ line: 4, field: 'parentCode' }),
    ]);
    expect(await count('SELECT count(*)::int AS n FROM facilities')).toBe(before);
    expect(await importEvents()).toBe(events);
  });

  it('imports GeoJSON, creating a new area it names, and refuses bad files cleanly', async () => {
    const feature = (code: string, coordinates: unknown, extra: Record<string, unknown> = {}) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates },
      properties: { code, name: `晋江站点 ${code}`, type: 'warm_station', areaCode: 'jj_anhai', areaName: '安海镇', ...extra },
    });
    const collection = { type: 'FeatureCollection', features: [feature('JJ-WS-01', [118.46, 24.71]), feature('JJ-WS-02', [118.47, 24.72], { capacity: 30 })] };
    const res = await upload('facilities', JSON.stringify(collection, null, 2), 'application/geo+json');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ created: 2, areasCreated: ['jj_anhai'] });
    const area = (await db.query(`SELECT name, lat, lng FROM areas WHERE code = 'jj_anhai'`))[0];
    expect(area).toMatchObject({ name: '安海镇', lat: expect.closeTo(24.715, 6), lng: expect.closeTo(118.465, 6) });

    const polygon = { ...collection, features: [feature('JJ-WS-03', [118.46, 24.71]), { ...feature('JJ-WS-04', [0, 0]), geometry: { type: 'Polygon', coordinates: [] } }] };
    const bad = await upload('facilities', JSON.stringify(polygon, null, 2), 'application/geo+json');
    expect(bad.status).toBe(400);
    expect(bad.body.rows).toEqual([expect.objectContaining({ field: 'geometry', message: expect.stringMatching(/must be a Point.*Polygon/) })]);
    expect(bad.body.rows[0].line).toBeGreaterThan(10); // the line where the second feature starts, not 1

    const notJson = await upload('facilities', '{"type": "FeatureCollection", "features": [', 'application/geo+json');
    expect(notJson.status).toBe(400);
    expect(notJson.body.code).toBe('IMPORT.NOT_JSON');
    const notCollection = await upload('facilities', JSON.stringify({ type: 'Feature' }), 'application/geo+json');
    expect(notCollection.body.code).toBe('IMPORT.NOT_FEATURE_COLLECTION');
    expect((await upload('facilities', 'a,b\n1,2', 'application/pdf')).status).toBe(415);
    expect((await upload('facilities', '', 'text/csv')).status).toBe(400);
    expect((await upload('facilities', 'code,name\n"unterminated', 'text/csv')).body.code).toBe('IMPORT.BAD_CSV');
    expect((await upload('facilities', 'code,nmae\nX,Y', 'text/csv')).body.message).toMatch(/unknown columns "nmae"/);
    const tooBig = await upload('facilities', 'x'.repeat(50 * 1024 * 1024), 'text/csv');
    expect(tooBig.status).toBe(413);
    expect(tooBig.body).toMatchObject({ code: 'REQUEST.TOO_LARGE', message: expect.stringMatching(/20mb/) });
    expect((await upload('facilities', JSON.stringify(collection), 'application/geo+json', '', viewer)).status).toBe(403);
    expect((await t.http().post('/api/imports/facilities').set('content-type', 'text/csv').send('a')).status).toBe(401);
  });

  it('a dry run reports what would change and changes nothing', async () => {
    const csv = [FACILITY_HEADER, 'DRY-01,试运行,,elder_canteen,,hubin,,,24.73,118.65,,,,'].join('\n');
    const res = await upload('facilities', csv, 'text/csv', '?dryRun=true');
    expect(res.body).toMatchObject({ dryRun: true, created: 1 });
    expect(await count(`SELECT count(*)::int AS n FROM facilities WHERE code = 'DRY-01'`)).toBe(0);
  });

  it('two uploads of the same new file at once: one creates, the other finds everything there', async () => {
    const csv = [FACILITY_HEADER, ...Array.from({ length: 50 }, (_, i) => `TWIN-${i},并发 ${i},,warm_station,,hubin,,,24.7${i},118.6,,,,`)].join('\n');
    const results = await Promise.all([upload('facilities', csv), upload('facilities', csv)]);
    expect(results.map((r) => r.status)).toEqual([201, 201]);
    expect(results.map((r) => r.body.created).sort()).toEqual([0, 50]);
    expect(results.map((r) => r.body.unchanged).sort()).toEqual([0, 50]);
    expect(await count(`SELECT count(*)::int AS n FROM facilities WHERE code LIKE 'TWIN-%'`)).toBe(50);
  });

  it('imports 10,000 sites in one transaction, with progress on the uploader socket', async () => {
    const client = await connectClient(t.url, commander);
    await client.replayDone;
    const progress: ImportProgress[] = [];
    client.socket.on('import.progress', (p) => progress.push(p));
    const rows = Array.from({ length: 10_000 }, (_, i) => [`BIG-${i}`, `大批站点 ${i}`, null, 'self_service_area', null, 'big_city', i ? null : '大城', null,
      30 + (i % 100) / 1000, 120 + Math.floor(i / 100) / 1000, 10, '24h', null, null]);
    const csv = toCsv([FACILITY_HEADER.split(','), ...rows]);
    const importId = randomUUID();
    const res = await upload('facilities', csv, 'text/csv', `?importId=${importId}`);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ importId, created: 10_000, areasCreated: ['big_city'] });
    expect(await count(`SELECT count(*)::int AS n FROM facilities WHERE area_code = 'big_city'`)).toBe(10_000);
    // The 'done' message is sent before the response, but over another connection: wait for it.
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no 'done' progress; got ${JSON.stringify(progress.at(-1))}`)), 5000);
      const check = () => (progress.some((p) => p.phase === 'done') ? (clearTimeout(timer), resolve()) : setTimeout(check, 20));
      check();
    });
    client.close();
    const writing = progress.filter((p) => p.importId === importId && p.phase === 'writing').map((p) => p.done);
    expect(writing.length).toBeGreaterThanOrEqual(10); // a message per chunk of 1,000
    expect(writing).toEqual([...writing].sort((a, b) => a - b));
    expect(progress.at(-1)).toEqual({ importId, kind: 'facilities', phase: 'done', done: 10_000, total: 10_000 });
  });

  it('squads: bad lines are reported; an exported city imports back unchanged', async () => {
    const bad = [
      SQUAD_HEADER,
      'NEW-SQ-1,新队,hubin,,first_aid,王五,13900000001,,yes,yes', // 2: fine
      'NEW-SQ-1,新队,hubin,,first_aid,赵六,13900000002,,no,yes', // 3: a second leader
      'NEW-SQ-1,别的名字,hubin,,first_aid,钱七,13900000003,,no,no', // 4: squadName contradicts line 2
      'NEW-SQ-2,二队,hubin,NO-SUCH-SITE,juggling,孙八,call me,,maybe,no', // 5: skill, phone, boolean
      'NEW-SQ-3,三队,hubin,NO-SUCH-SITE,,周九,13900000004,,,', // 6: unknown base site (found in the database check)
    ];
    const res = await upload('squads', bad.join('\n'));
    expect(res.status).toBe(400);
    const fields = [...new Set((res.body.rows as { line: number; field: string }[]).map((r) => `${r.line}:${r.field}`))].sort();
    expect(fields).toEqual(['3:isLeader', '4:squadName', '5:memberPhone', '5:partyMember', '5:squadSkills']);
    expect(await count(`SELECT count(*)::int AS n FROM squads WHERE code LIKE 'NEW-SQ-%'`)).toBe(0);

    // Members' names, phones and party membership: commanders only.
    expect((await download('/api/exports/squads.csv', viewer)).status).toBe(403);
    const exported = await download('/api/exports/squads.csv', commander);
    expect(exported.status).toBe(200);
    expect(exported.type).toContain('text/csv');
    const lines = parseCsv(exported.text);
    expect(lines[0].join(',')).toBe(SQUAD_HEADER);
    const squadCount = await count('SELECT count(*)::int AS n FROM squads');
    expect(new Set(lines.slice(1).map((l) => l[0])).size).toBe(squadCount);
    const back = await upload('squads', exported.text);
    expect(back.body).toMatchObject({ created: 0, updated: 0, unchanged: squadCount });

    // One member's phone changes: that squad is updated, its members replaced, nothing else touched.
    expect(lines[1][6]).toMatch(/^1\d{10}$/);
    const changed = exported.text.replace(lines[1][6], '13700000000');
    expect((await upload('squads', changed)).body).toMatchObject({ created: 0, updated: 1, unchanged: squadCount - 1 });
  });

  it('exports the sites as CSV that imports back unchanged, parents included', async () => {
    const exported = await download('/api/exports/facilities.csv', viewer);
    expect(exported.status).toBe(200);
    const total = await count('SELECT count(*)::int AS n FROM facilities');
    expect(parseCsv(exported.text).length).toBe(total + 1);
    expect(await count('SELECT count(*)::int AS n FROM facilities WHERE parent_id IS NOT NULL')).toBeGreaterThan(0);
    const back = await upload('facilities', exported.text);
    expect(back.body).toMatchObject({ created: 0, updated: 0, unchanged: total });
  });

  it('neutralises formula-like text in exports (OWASP) and still imports the export back unchanged', async () => {
    const names = ['=HYPERLINK("http://evil.example","点我")', '+1+2', '-2+3', '@SUM(A1:A2)', '\t=tab', "'=quoted as a spreadsheet would"];
    // Raw formula text, written by hand (toCsv would neutralise it): imported as it is.
    const cell = (v: string) => `"${v.replace(/"/g, '""')}"`;
    const csv = [FACILITY_HEADER, ...names.map((name, i) => `FORMULA-${i},${cell(name)},,warm_station,,hubin,,,-33.8568,-151.2153,,,,`)].join('\n');
    const first = await upload('facilities', csv);
    expect(first.status).toBe(201);
    const stored = await db.query(`SELECT name, lat, lng FROM facilities WHERE code LIKE 'FORMULA-%' ORDER BY code`);
    // Trimmed as every cell is; a quote before a formula sign is read as a spreadsheet reads it (text).
    const expected = ['=HYPERLINK("http://evil.example","点我")', '+1+2', '-2+3', '@SUM(A1:A2)', '=tab', '=quoted as a spreadsheet would'];
    expect(stored.map((r: { name: string }) => r.name)).toEqual(expected);

    const exported = await download('/api/exports/facilities.csv', viewer);
    const rows = parseCsv(exported.text).filter((r) => r[0].startsWith('FORMULA-'));
    expect(rows.map((r) => r[1])).toEqual(expected.map((n) => `'${n}`));
    // Numbers are numbers: a negative coordinate is not text and keeps its minus sign.
    for (const r of rows) expect([r[8], r[9]]).toEqual(['-33.8568', '-151.2153']);
    expect(exported.text).not.toMatch(/(^|,)[=+@-][^0-9]/m);

    const total = await count('SELECT count(*)::int AS n FROM facilities');
    const back = await upload('facilities', exported.text);
    expect(back.body).toMatchObject({ created: 0, updated: 0, unchanged: total });
    expect(await db.query(`SELECT name, lat, lng FROM facilities WHERE code LIKE 'FORMULA-%' ORDER BY code`)).toEqual(stored);
  });

  it('exports the event log for a time range as CSV, for staff only', async () => {
    const from = new Date(Date.now() - 3600_000).toISOString();
    const res = await download(`/api/exports/events.csv?from=${encodeURIComponent(from)}`, viewer);
    expect(res.status).toBe(200);
    expect(res.type).toContain('text/csv');
    const [header, ...rows] = parseCsv(res.text);
    expect(header).toEqual(['id', 'at', 'type', 'severity', 'exercise', 'audience', 'actor', 'facilityId', 'squadId', 'dispatchId', 'incidentId', 'drillId', 'payload']);
    const imports = rows.filter((r) => r[2] === 'import.completed');
    expect(imports.length).toBe(await importEvents());
    expect(JSON.parse(imports[0][12])).toMatchObject({ kind: 'facilities' });
    const ids = rows.map((r) => BigInt(r[0]));
    expect(ids.every((id, i) => i === 0 || id > ids[i - 1])).toBe(true);

    const future = new Date(Date.now() + 3600_000).toISOString();
    const later = new Date(Date.now() + 7200_000).toISOString();
    expect(parseCsv((await download(`/api/exports/events.csv?from=${encodeURIComponent(future)}&to=${encodeURIComponent(later)}`)).text)).toHaveLength(1);
    expect((await download('/api/exports/events.csv?from=yesterday')).status).toBe(400);
    expect((await download(`/api/exports/events.csv?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z`)).status).toBe(400);
    expect((await download(`/api/exports/events.csv?from=${encodeURIComponent(from)}`, await t.login('leader-001'))).status).toBe(403);
  });

  it('reports sites imported into an area in emergency, and they can be switched with the existing switchover', async () => {
    const sw = await t.http().post('/api/switchovers').set('authorization', `Bearer ${commander}`)
      .send({ mode: 'emergency', reason: '湖滨内涝', scope: { areas: ['hubin'] } });
    expect(sw.status).toBe(201);
    const file = [
      FACILITY_HEADER,
      'EMG-01,湖滨新站一,,elder_canteen,,hubin,,,24.73,118.65,40,,,',
      'EMG-02,湖滨新站二,,service_station,,hubin,,,24.731,118.651,,,,',
      'EMG-03,别处新站,,service_station,,xiangzhi,,,24.781,118.752,,,,',
    ].join('\n');
    const dry = await upload('facilities', file, 'text/csv', '?dryRun=true');
    expect(dry.status).toBe(201);
    expect(dry.body.inEmergencyAreas).toEqual([{ areaCode: 'hubin', facilityIds: expect.any(Array), codes: ['EMG-01', 'EMG-02'] }]);
    const res = await upload('facilities', file);
    expect(res.status).toBe(201);
    const [group] = res.body.inEmergencyAreas;
    expect(group.codes).toEqual(['EMG-01', 'EMG-02']);
    const switched = await t.http().post('/api/switchovers').set('authorization', `Bearer ${commander}`)
      .send({ mode: 'emergency', reason: '导入的阵地随区域转入急时', scope: { facilityIds: group.facilityIds } });
    expect(switched.status).toBe(201);
    expect(await count(`SELECT count(*)::int AS n FROM facilities WHERE code IN ('EMG-01', 'EMG-02') AND mode = 'emergency'`)).toBe(2);
    // Imported again, they are no longer reported.
    expect((await upload('facilities', file)).body.inEmergencyAreas).toEqual([]);
  });
});
