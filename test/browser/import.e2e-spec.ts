import { readFile } from 'node:fs/promises';
import { appAndBrowser, describeInBrowser, loggedInPage } from '../helpers/browser.js';
import { asText } from '../helpers/text-body.js';

const FACILITY_HEADER = 'code,name,nameEn,type,kind,areaCode,areaName,gridZoneCode,lat,lng,capacity,openingHours,parentCode,emergencyFunction';
const SITES = 3000;

interface Site { id: string; areaCode: string; lat: number; lng: number }

// Functions, not strings, for everything evaluated in a page: its CSP forbids eval.
type Doc = { querySelectorAll(s: string): ArrayLike<{ querySelector(s: string): { getAttribute(n: string): string | null } | null }> };

/**
 * Whether the facilities layer draws `n` sites in the map's view: single markers plus the counts on
 * the cluster icons (zoomed out, markers are clustered, so counting marker elements alone would not do).
 * Self-contained: Playwright sends its source to the page.
 */
const viewShows = (n: number) => {
  const els = Array.from((globalThis as unknown as { document: Doc }).document.querySelectorAll('.leaflet-marker-pane > *'));
  const shown = els.reduce((a, el) => {
    const cluster = el.querySelector('[data-testid=site-cluster]');
    return a + (cluster ? Number(cluster.getAttribute('data-total')) : el.querySelector('[data-testid=facility-marker]') ? 1 : 0);
  }, 0);
  return shown === n;
};

describeInBrowser('importing sites on the import page in Chromium (browser)', () => {
  const ctx = appAndBrowser();
  let commander: string;
  beforeAll(async () => {
    commander = await ctx.t.login('commander');
  });

  const sites = async () => {
    const res = await ctx.t.http().get('/api/facilities').set('authorization', `Bearer ${commander}`);
    expect(res.status).toBe(200);
    return res.body as Site[];
  };
  const csvFile = (csv: string) => ({ name: 'sites.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });

  it('shows every bad line and imports nothing; then imports 3,000 sites with progress, and a dashboard reloads its map', async () => {
    const page = (await loggedInPage(ctx.browser, ctx.t.url, 'commander', '/imports/', '[data-testid=imports-page][data-socket=connected]')).page;
    expect(await page.textContent('h1')).toBe('导入与导出');

    // A template downloads through the page (fetched with the token, saved from a Blob).
    const [template] = await Promise.all([page.waitForEvent('download'), page.click('button[data-download$="templates/facilities.csv"]')]);
    expect(template.suggestedFilename()).toBe('facilities.csv');
    const templateText = await readFile((await template.path())!, 'utf8');
    // Notes listing the allowed codes with their names come first (lines starting with #), then the header.
    const templateLines = templateText.replace(/^\uFEFF/, '').split(/\r?\n/);
    expect(templateLines.find((l) => !l.startsWith('#'))).toBe(FACILITY_HEADER);
    expect(templateLines.filter((l) => l.startsWith('#')).join('\n')).toContain('elder_canteen = 长者食堂 / Elder canteen');

    // Two bad lines (3: an unknown type, 5: a latitude out of range): both listed, nothing imported.
    const before = (await sites()).length;
    const bad = [
      FACILITY_HEADER,
      'UI-OK-1,好站点,,elder_canteen,,hubin,,,24.73,118.65,40,,,',
      'UI-BAD-1,类型错误,,castle,,hubin,,,24.73,118.65,,,,',
      'UI-OK-2,好站点二,,elder_canteen,,hubin,,,24.731,118.651,,,,',
      'UI-BAD-2,纬度错误,,elder_canteen,,hubin,,,124.73,118.65,,,,',
    ].join('\n');
    await page.setInputFiles('input[type=file]', csvFile(bad));
    await page.click('[data-action=import]');
    await page.waitForSelector('[data-testid=import-errors]:not([hidden]) tr[data-line]');
    expect(await page.$$eval('[data-testid=import-errors] tr[data-line]', (rows) => rows.map((r) => r.getAttribute('data-line')))).toEqual(['3', '5']);
    expect(await page.textContent('[data-testid=import-errors] tr[data-line="3"]')).toMatch(/type/);
    expect(await page.textContent('[data-testid=import-message]')).toContain('未导入任何数据');
    expect(await page.isHidden('[data-testid=import-result]')).toBe(true);
    expect((await sites()).length).toBe(before);

    // A viewer's dashboard, open during the import, showing Hubin: every Hubin site is in view.
    const viewer = await loggedInPage(ctx.browser, ctx.t.url, 'viewer');
    const hubin = (await sites()).filter((s) => s.areaCode === 'hubin');
    await viewer.page.selectOption('[data-testid=facility-filters] select[name=area]', 'hubin');
    expect(hubin.length).toBeGreaterThan(10);
    await viewer.page.waitForFunction(viewShows, hubin.length);

    // 3,000 new Hubin sites, inside the box the existing ones span (so inside the viewer's view).
    const lat = { min: Math.min(...hubin.map((s) => s.lat)), max: Math.max(...hubin.map((s) => s.lat)) };
    const lng = { min: Math.min(...hubin.map((s) => s.lng)), max: Math.max(...hubin.map((s) => s.lng)) };
    const good = [FACILITY_HEADER];
    for (let i = 0; i < SITES; i++) {
      const y = lat.min + ((lat.max - lat.min) * (0.1 + 0.8 * ((i % 60) / 59)));
      const x = lng.min + ((lng.max - lng.min) * (0.1 + 0.8 * (Math.floor(i / 60) / 49)));
      good.push(`UI-${String(i).padStart(4, '0')},湖滨导入站点 ${i},Imported site ${i},service_station,,hubin,,,${y.toFixed(6)},${x.toFixed(6)},30,08:00-20:00,,`);
    }
    // The viewer's next fetch of the sites (a dry run must not cause one: the count below would be wrong).
    const reloaded = viewer.page.waitForResponse((r) => new URL(r.url()).pathname === '/api/facilities' && r.request().method() === 'GET');
    await page.setInputFiles('input[type=file]', csvFile(good.join('\n')));
    // Checking first (a dry run) says what would happen and changes nothing.
    await page.click('[data-action=dry-run]');
    await page.waitForSelector('[data-testid=import-result][data-dry-run=true]:not([hidden])', { timeout: 30_000 });
    expect(await page.textContent('[data-testid=import-result] [data-field=created]')).toBe(String(SITES));
    expect((await sites()).length).toBe(before);

    // Record every state the progress bar goes through (the socket's messages).
    await page.evaluate(() => {
      const g = globalThis as unknown as { seen: string[]; document: { querySelector(s: string): { getAttribute(a: string): string | null } }; MutationObserver: new (cb: () => void) => { observe(el: unknown, o: unknown): void } };
      g.seen = [];
      const bar = g.document.querySelector('[data-testid=import-progress]');
      new g.MutationObserver(() => g.seen.push(`${bar.getAttribute('data-phase')} ${bar.getAttribute('value')}/${bar.getAttribute('max')}`))
        .observe(bar, { attributes: true });
    });
    await page.click('[data-action=import]');
    await page.waitForSelector('[data-testid=import-result][data-dry-run=false]:not([hidden])', { timeout: 30_000 });

    expect(await page.textContent('[data-testid=import-result] [data-field=created]')).toBe(String(SITES));
    expect(await page.textContent('[data-testid=import-result] [data-field=updated]')).toBe('0');
    expect(await page.isHidden('[data-testid=import-errors]')).toBe(true);
    const bar = await page.$eval('[data-testid=import-progress]', (el) => ({ value: (el as unknown as { value: number }).value, max: (el as unknown as { max: number }).max }));
    expect(bar).toEqual({ value: SITES, max: SITES });
    const seen = await page.evaluate(() => (globalThis as unknown as { seen: string[] }).seen);
    // The socket's progress messages moved the bar while writing.
    expect(seen).toContain(`writing 0/${SITES}`);
    expect(seen.some((s) => new RegExp(`^writing ([1-9]\\d*)/${SITES}$`).test(s))).toBe(true);
    expect(await page.textContent('[data-testid=import-progress-text]')).toBe(`完成 ${SITES} / ${SITES}`);
    expect((await sites()).length).toBe(before + SITES);

    // The viewer's map fetched the sites again and shows the new ones without a reload.
    expect(((await (await reloaded).json()) as Site[]).length).toBe(before + SITES);
    await viewer.page.waitForFunction(viewShows, hubin.length + SITES, { timeout: 10_000 });

    // The list of recent imports shows this one.
    await page.waitForSelector('[data-testid=recent-imports] tr[data-import-id]');
    expect(await page.textContent('[data-testid=recent-imports] tbody tr:first-child')).toContain('sites.csv');
    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/imports.png`, fullPage: true });
    await viewer.context.close();
    await page.context().close();
  });

  it('a viewer sees the page read-only: exports and recent imports, no upload form', async () => {
    // The templates import as they are (the squad's base is the example site).
    for (const kind of ['facilities', 'squads']) {
      const template = await ctx.t.http().get(`/api/imports/templates/${kind}.csv`).set('authorization', `Bearer ${commander}`).buffer(true).parse(asText);
      const imported = await ctx.t.http().post(`/api/imports/${kind}?fileName=${kind}-template.csv`).set('authorization', `Bearer ${commander}`)
        .set('content-type', 'text/csv').send(template.body as string);
      expect(imported.status).toBe(201);
    }
    const { context, page } = await loggedInPage(ctx.browser, ctx.t.url, 'viewer', '/imports/', '[data-testid=recent-imports] tr');
    expect(await page.$('[data-testid=import-form]')).toBeNull();
    expect(await page.$('input[type=file]')).toBeNull();
    expect(await page.isVisible('[data-testid=read-only]')).toBe(true);
    expect(await page.textContent('[data-testid=recent-imports]')).toContain('squads-template.csv');
    // The event log of the last 7 days (the default range) holds that import.
    const [events] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=event-export] button')]);
    expect(events.suggestedFilename()).toMatch(/^events-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = await readFile((await events.path())!, 'utf8');
    expect(text).toContain('import.completed');
    await context.close();
  });

  it('sites imported into an area in emergency are reported, and switched with one click', async () => {
    const sw = await ctx.t.http().post('/api/switchovers').set('authorization', `Bearer ${commander}`)
      .send({ mode: 'emergency', reason: '永宁镇内涝', scope: { areas: ['yongning'] } });
    expect(sw.status).toBe(201);
    const { page, context } = await loggedInPage(ctx.browser, ctx.t.url, 'commander', '/imports/', '[data-testid=imports-page][data-socket=connected]');
    await page.setInputFiles('input[type=file]', csvFile([
      FACILITY_HEADER,
      'YN-NEW-1,永宁新站一,,elder_canteen,,yongning,,,24.70,118.70,40,,,',
      'YN-NEW-2,永宁新站二,,service_station,,yongning,,,24.701,118.701,,,,',
    ].join('\n')));
    await page.click('[data-action=import]');
    await page.waitForSelector('[data-testid=import-in-emergency]:not([hidden])', { timeout: 30_000 });
    expect(await page.textContent('[data-testid=import-in-emergency]')).toContain('2 个阵地位于已转入急时的区域（永宁镇）');
    await page.click('[data-testid=switch-imported]');
    await page.waitForSelector('[data-testid=import-in-emergency][data-switched=true]');
    const modes = (await sites()).filter((f) => ['YN-NEW-1', 'YN-NEW-2'].includes((f as Site & { code: string }).code)) as (Site & { mode: string })[];
    expect(modes.map((f) => f.mode)).toEqual(['emergency', 'emergency']);
    await context.close();
  });
});
