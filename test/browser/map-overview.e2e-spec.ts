import type { Page } from 'playwright-core';
import { appAndBrowser, describeInBrowser, loggedInPage } from '../helpers/browser.js';
import { squadsByCode } from '../helpers/squads.js';

type Doc = { querySelectorAll(s: string): ArrayLike<{ getAttribute(n: string): string | null }> };

/** Sites in emergency the map shows: counted in clusters (data-emergency) plus single markers. */
const emergencyOnMap = (page: Page) =>
  page.evaluate(() => {
    const doc = (globalThis as unknown as { document: Doc }).document;
    const clusters = Array.from(doc.querySelectorAll('[data-testid=site-cluster]')).reduce((n, el) => n + Number(el.getAttribute('data-emergency')), 0);
    return clusters + doc.querySelectorAll('[data-testid=facility-marker][data-mode=emergency]').length;
  });

describeInBrowser('the map at a glance, without tiles (browser)', () => {
  const ctx = appAndBrowser();
  let commander: string;
  beforeAll(async () => {
    commander = await ctx.t.login('commander');
  });

  it('draws the areas outlined and named under the sites, squads above them, in the layer switcher', async () => {
    const { context, page } = await loggedInPage(ctx.browser, ctx.t.url, 'viewer');
    await page.waitForSelector('[data-testid=area-label]');
    const labels = await page.$$eval('[data-testid=area-label]', (els) => els.map((el) => el.textContent));
    expect(labels).toHaveLength(9);
    expect(labels).toEqual(expect.arrayContaining(['祥芝镇', '湖滨街道', '永宁镇']));
    expect(await page.$$eval('.leaflet-areas-pane path.area-shape', (els) => els.length)).toBe(9);
    const z = (pane: string) => page.$eval(`.leaflet-${pane}-pane`, (el) => Number((globalThis as unknown as { getComputedStyle(e: unknown): { zIndex: string } }).getComputedStyle(el).zIndex));
    // Areas under the sites, their names under the sites too; squads and incidents above the sites.
    expect(await z('areas')).toBeLessThan(await z('marker'));
    expect(await z('areaLabels')).toBeLessThan(await z('marker'));
    expect(await z('squads')).toBeGreaterThan(await z('marker'));
    expect(await z('incidents')).toBeGreaterThan(await z('squads'));
    expect(await page.$$eval('.leaflet-squads-pane [data-testid=squad-marker]', (els) => els.length)).toBeGreaterThan(100);
    // Squad status is a letter as well as a colour.
    expect(await page.textContent('.leaflet-squads-pane [data-testid=squad-marker][data-status=available]')).toBe('待');
    // The layer switcher turns the areas off and on.
    const toggle = page.locator('.leaflet-control-layers-overlays label', { hasText: '区域边界' }).locator('input');
    await page.hover('.leaflet-control-layers');
    await toggle.setChecked(false);
    expect(await page.$$eval('.leaflet-areas-pane path.area-shape', (els) => els.length)).toBe(0);
    // The names fade out (Leaflet removes a tooltip after its fade).
    await page.waitForFunction(() => (globalThis as unknown as { document: Doc }).document.querySelectorAll('[data-testid=area-label]').length === 0);
    await toggle.setChecked(true);
    expect(await page.$$eval('[data-testid=area-label]', (els) => els.length)).toBe(9);
    await context.close();
  });

  it("at city zoom a switch of Xiangzhi turns its clusters' ring red and says how many sites are in emergency", async () => {
    const { context, page } = await loggedInPage(ctx.browser, ctx.t.url, 'viewer', '/', '[data-testid=connection][data-state=connected]', { viewport: { width: 1440, height: 900 } });
    await page.waitForSelector('[data-testid=site-cluster]');
    expect(await emergencyOnMap(page)).toBe(0);
    expect(await page.$$('[data-testid=site-cluster].has-emergency')).toHaveLength(0);

    const sites = await ctx.t.http().get('/api/facilities?area=xiangzhi').set('authorization', `Bearer ${commander}`);
    const res = await ctx.t.http().post('/api/switchovers').set('authorization', `Bearer ${commander}`)
      .send({ mode: 'emergency', reason: '台风橙色预警', scope: { areas: ['xiangzhi'] } });
    expect(res.status).toBe(201);
    const xiangzhi = (sites.body as unknown[]).length;
    expect(res.body.switched).toHaveLength(xiangzhi);

    await page.waitForFunction((n) => {
      const doc = (globalThis as unknown as { document: Doc }).document;
      const clusters = Array.from(doc.querySelectorAll('[data-testid=site-cluster]')).reduce((s, el) => s + Number(el.getAttribute('data-emergency')), 0);
      return clusters + doc.querySelectorAll('[data-testid=facility-marker][data-mode=emergency]').length === n;
    }, xiangzhi, { timeout: 5000 });
    const red = await page.$$eval('[data-testid=site-cluster].has-emergency', (els) => els.map((el) => ({
      emergency: Number(el.getAttribute('data-emergency')), total: Number(el.getAttribute('data-total')), text: el.textContent ?? '',
      share: (el as unknown as { style: { getPropertyValue(p: string): string } }).style.getPropertyValue('--share'),
    })));
    expect(red.length).toBeGreaterThan(0);
    for (const c of red) {
      // The count in text (not colour alone) and a ring share in proportion.
      expect(c.text).toContain(`急${c.emergency}`);
      expect(c.share).toBe(`${Math.round((c.emergency / c.total) * 360)}deg`);
    }
    // Other areas' clusters stay without a red share.
    expect(await page.$$('[data-testid=site-cluster]:not(.has-emergency)')).not.toHaveLength(0);
    await page.waitForSelector('[data-testid=feed-item][data-type="switchover.completed"]');
    expect(await page.textContent('[data-testid=feed-item][data-type="switchover.completed"] .what')).toContain(`祥芝镇：${xiangzhi} 个阵地转入急时（台风橙色预警）`);
    if (process.env.DOCS_SCREENSHOTS) await page.screenshot({ path: 'docs/city-zoom.png' });
    await context.close();
  });

  it('with a filter on, an event redraws only the markers it concerns', async () => {
    const { context, page } = await loggedInPage(ctx.browser, ctx.t.url, 'viewer');
    await page.selectOption('[data-testid=facility-filters] select[name=area]', 'hongshan');
    await page.selectOption('[data-testid=facility-filters] select[name=mode]', 'normal');
    await page.waitForSelector('[data-testid=facility-marker]');
    // Mark the drawn icons: a marker drawn again loses its mark.
    const count = await page.$$eval('[data-testid=facility-marker]', (els) => els.map((el) => el.setAttribute('data-kept', 'yes')).length);
    expect(count).toBeGreaterThan(5);
    const kept = () => page.$$eval('[data-testid=facility-marker]', (els) => els.filter((el) => el.getAttribute('data-kept') === 'yes').length);

    // Another area switches: nothing on this map is drawn again.
    const other = await ctx.t.http().post('/api/switchovers').set('authorization', `Bearer ${commander}`)
      .send({ mode: 'emergency', reason: '永宁镇内涝', scope: { areas: ['yongning'] } });
    expect(other.status).toBe(201);
    await page.waitForSelector('[data-testid=feed-item][data-type="switchover.completed"] >> text=永宁镇内涝');
    // Changes are applied within a frame (at most 250 ms): give them time to show if they were to.
    await page.waitForTimeout(500);
    expect(await kept()).toBe(count);

    // One site of this area switches: it leaves the "normal" filter; the others stay as drawn.
    const one = (await page.getAttribute('[data-testid=facility-marker] >> nth=0', 'data-facility-id'))!;
    const res = await ctx.t.http().post('/api/switchovers').set('authorization', `Bearer ${commander}`)
      .send({ mode: 'emergency', reason: '单点转换', scope: { facilityIds: [one] } });
    expect(res.status).toBe(201);
    await page.waitForSelector(`[data-testid=facility-marker][data-facility-id="${one}"]`, { state: 'detached' });
    expect(await kept()).toBe(count - 1);
    await context.close();
  });

  it('stacked sites stay one cluster and spread out (spiderfy) on a click', async () => {
    // Two sites at one spot, imported at the same coordinates.
    const csv = 'code,name,type,areaCode,lat,lng\nST-A,叠放阵地甲,warm_station,hongshan,24.7501,118.7501\nST-B,叠放阵地乙,warm_station,hongshan,24.7501,118.7501\n';
    const imported = await ctx.t.http().post('/api/imports/facilities').set('authorization', `Bearer ${commander}`).set('content-type', 'text/csv').send(csv);
    expect(imported.status).toBeLessThan(300);
    const { context, page } = await loggedInPage(ctx.browser, ctx.t.url, 'viewer');
    await page.selectOption('[data-testid=facility-filters] select[name=area]', 'hongshan');
    await page.waitForSelector('[data-testid=facility-marker]');
    const stacked = page.locator('.leaflet-marker-icon[title^="叠放阵地"]');
    expect(await stacked.count()).toBe(0);
    const cluster = page.locator('[data-testid=site-cluster][data-total="2"]');
    await cluster.first().waitFor();
    await cluster.first().click();
    await page.waitForFunction(() => (globalThis as unknown as { document: Doc }).document.querySelectorAll('.leaflet-marker-icon[title^="叠放阵地"]').length === 2);
    // Both can now be clicked: the second opens its own panel.
    await stacked.nth(1).click();
    await page.waitForSelector('[data-testid=site-panel]:not([hidden]) h2');
    expect(await page.textContent('[data-testid=site-panel] h2')).toMatch(/叠放阵地[甲乙]/);
    await context.close();
  });

  it('draws a drill incident purple and labelled 演练, hidden from the real incidents until its layer is shown', async () => {
    const coordinator = await ctx.t.login('coordinator');
    const squads = await squadsByCode(ctx.t, coordinator);
    const drill = await ctx.t.http().post('/api/drills').set('authorization', `Bearer ${coordinator}`).send({
      title: '祥芝镇转移演练', kind: 'drill', plannedStart: new Date().toISOString(), plannedEnd: new Date(Date.now() + 3_600_000).toISOString(), squadIds: [squads.get('SQ-095')!.id],
    });
    expect((await ctx.t.http().post(`/api/drills/${drill.body.id}/start`).set('authorization', `Bearer ${coordinator}`).send({})).status).toBeLessThan(300);
    const sent = await ctx.t.http().post(`/api/drills/${drill.body.id}/dispatches`).set('authorization', `Bearer ${coordinator}`)
      .send({ squadIds: [squads.get('SQ-095')!.id], title: '渔港转移', lat: 24.78, lng: 118.76 });
    expect(sent.status).toBe(201);
    const real = await ctx.t.http().post('/api/incidents').set('authorization', `Bearer ${commander}`)
      .send({ kind: 'flood', severity: 'moderate', title: '真实内涝', lat: 24.74, lng: 118.65 });
    expect(real.status).toBe(201);

    const { context, page } = await loggedInPage(ctx.browser, ctx.t.url, 'viewer');
    await page.waitForSelector(`[data-testid=incident-marker][data-incident-id="${real.body.id}"]`);
    expect(await page.$$('[data-testid=incident-marker][data-exercise=true]')).toHaveLength(0);
    const toggle = page.locator('.leaflet-control-layers-overlays label', { hasText: '演练事件' }).locator('input');
    expect(await toggle.isChecked()).toBe(false);
    await page.hover('.leaflet-control-layers');
    await toggle.setChecked(true);
    const drillMarker = page.locator('[data-testid=incident-marker][data-exercise=true]');
    await drillMarker.first().waitFor();
    expect(await drillMarker.first().evaluate((el) => el.classList.contains('exercise'))).toBe(true);
    expect(await page.textContent('.leaflet-incidents-pane .drill-tag')).toBe('演练');
    // The real incident is not drawn as a drill.
    expect(await page.getAttribute(`[data-incident-id="${real.body.id}"]`, 'data-exercise')).toBe('false');
    await context.close();
  });
});
