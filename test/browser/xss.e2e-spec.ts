import type { Page } from 'playwright-core';
import { appAndBrowser, describeInBrowser, loggedInPage } from '../helpers/browser.js';

/** Markup that runs script the moment it is parsed as HTML (the image /x does not exist). */
const NAME = '<img src=x onerror="window.__xss=1">';
const AREA = 'xss_area';

/** Every cell quoted, quotes doubled: the name holds quotes. */
const csv = (rows: (string | number)[][]) => rows.map((r) => r.map((c) => `"${String(c).replace(/"/g, '""')}"`).join(',')).join('\n');

// Functions, not strings, for what runs in the page (its CSP forbids eval).
const injected = (page: Page) => page.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss);
const images = (page: Page) => page.$$eval('img[src=x]', (els) => els.length);

describeInBrowser('imported names are shown as text, never run as HTML (browser)', () => {
  const ctx = appAndBrowser();
  let siteId: string;

  beforeAll(async () => {
    const token = await ctx.t.login('commander');
    const post = async (kind: string, body: string) => {
      const res = await ctx.t.http().post(`/api/imports/${kind}?fileName=${encodeURIComponent(NAME)}`)
        .set('authorization', `Bearer ${token}`).set('content-type', 'text/csv').send(body);
      expect(`${res.status} ${JSON.stringify(res.body)}`).toMatch(/^201 /);
    };
    // A new area named by the import, a site in it, and a squad based there (so the map draws it).
    await post('facilities', csv([
      ['code', 'name', 'type', 'areaCode', 'areaName', 'lat', 'lng'],
      ['XSS-1', NAME, 'elder_canteen', AREA, NAME, 24.75, 118.64],
    ]));
    await post('squads', csv([
      ['squadCode', 'squadName', 'areaCode', 'baseSiteCode', 'memberName', 'isLeader'],
      ['XSS-SQ', NAME, AREA, 'XSS-1', NAME, 'true'],
    ]));
    const sites = await ctx.t.http().get('/api/facilities').set('authorization', `Bearer ${token}`);
    siteId = (sites.body as { id: string; code: string }[]).find((f) => f.code === 'XSS-1')!.id;
  });

  it('site panel, stock form, switchover dialog, area filter and squad tooltip show the name literally', async () => {
    // Without the CSP, so that only the escaping stands between the name and a running script.
    const { page, context } = await loggedInPage(ctx.browser, ctx.t.url, 'commander', '/', undefined, { bypassCSP: true });
    const filters = '[data-testid=facility-filters]';
    expect(await page.textContent(`${filters} select[name=area] option[value="${AREA}"]`)).toBe(NAME);

    // The site panel (its title) and the stock form (the transfer list names every site).
    await page.selectOption(`${filters} select[name=area]`, AREA);
    const marker = page.locator(`[data-testid=facility-marker][data-facility-id="${siteId}"]`);
    await marker.click();
    await page.waitForSelector('[data-testid=site-panel]:not([hidden]) [data-testid=stock-form]');
    expect(await page.textContent('[data-testid=site-panel] h2')).toBe(NAME);
    expect(await page.textContent(`[data-testid=stock-form] select[name=to] option[value="${siteId}"]`)).toBe(`XSS-1 ${NAME}`);

    // The switchover dialog: this site in the scope, the new area in the area list.
    await page.click('[data-testid=site-panel] [data-action=switch]');
    const dialog = '[data-testid=switchover-dialog]';
    await page.waitForSelector(`${dialog}[open]`);
    expect(await page.textContent(`${dialog} select[name=scope] option[value=site]`)).toBe(`此阵地：${NAME}`);
    expect(await page.textContent(`${dialog} select[name=area] option[value="${AREA}"]`)).toBe(NAME);
    await page.click(`${dialog} button[value=cancel]`);

    // The squad's tooltip: it sits beside the site's marker (its base); hide the sites and hover it.
    await page.selectOption(`${filters} select[name=mode]`, 'emergency');
    await marker.waitFor({ state: 'detached' });
    await page.hover('[data-testid=squad-marker][data-squad-code="XSS-SQ"]');
    await page.waitForSelector('.leaflet-tooltip');
    expect(await page.textContent('.leaflet-tooltip')).toBe(`XSS-SQ ${NAME} · 待命`);

    // Nothing was parsed as markup: no image element, so no error handler that could have run.
    expect(await images(page)).toBe(0);
    await page.waitForTimeout(300); // an injected image's failed load would have run its handler by now
    expect(await injected(page)).toBeUndefined();
    await context.close();
  });

  it('the import page (file name, new area) and the drills page (squad list) show the name literally', async () => {
    const { page, context } = await loggedInPage(ctx.browser, ctx.t.url, 'commander', '/imports/', '[data-testid=recent-imports] tr[data-import-id]', { bypassCSP: true });
    const cells = await page.$$eval('[data-testid=recent-imports] tr[data-import-id] td', (tds) => tds.map((td) => td.textContent));
    expect(cells.filter((c) => c === NAME).length).toBeGreaterThanOrEqual(2); // the file names of both imports
    expect(await images(page)).toBe(0);

    await page.goto('/drills/');
    await page.waitForSelector('[data-testid=drill-form]');
    await page.fill('[data-testid=squad-search]', 'XSS-SQ');
    const squad = await page.$$eval('[data-testid=squad-pick] label[data-squad-code="XSS-SQ"]', (ls) => ls.map((l) => l.textContent?.replace(/\s+/g, ' ').trim()));
    expect(squad).toHaveLength(1);
    expect(squad[0]).toContain(`XSS-SQ ${NAME}`);
    expect(await images(page)).toBe(0);
    await page.waitForTimeout(300);
    expect(await injected(page)).toBeUndefined();
    await context.close();
  });
});
