import type { FacilityView } from '../../src/contracts/facilities.js';
import { appAndBrowser, describeInBrowser, loggedInPage } from '../helpers/browser.js';

// The dashboard's first load reads the recent events, then the map's snapshots, then connects and
// replays from the newest of those events. A change that lands after a snapshot was read must still
// reach the map: were the events read after the snapshots, the replay would start past the change.
describeInBrowser('the dashboard’s first load misses no change (browser)', () => {
  const ctx = appAndBrowser();

  it('a site switched while the map’s snapshot is on its way shows in emergency once the page is live', async () => {
    const commander = await ctx.t.login('commander');
    const sites = (await ctx.t.http().get('/api/facilities').set('authorization', `Bearer ${commander}`)).body as FacilityView[];
    const site = sites.find((f) => f.areaCode === 'xiangzhi' && f.mode === 'normal')!;

    // A new tab of a signed-in browser: it has the session, but no resume point of its own yet.
    const { context, page: first } = await loggedInPage(ctx.browser, ctx.t.url, 'viewer');
    await first.close();
    const page = await context.newPage();
    let held = false;
    // The snapshot is read from the server, then the site is switched, then the old snapshot is handed over.
    await page.route(/\/api\/facilities$/, async (route) => {
      const snapshot = await route.fetch();
      if (!held) {
        held = true;
        const res = await ctx.t.http().post('/api/switchovers').set('authorization', `Bearer ${commander}`)
          .send({ mode: 'emergency', reason: '首次加载时的转换', scope: { facilityIds: [site.id] } });
        expect(res.status).toBe(201);
      }
      await route.fulfill({ response: snapshot });
    });
    await page.goto('/');
    await page.waitForSelector('[data-testid=connection][data-state=connected]');
    expect(held).toBe(true);
    await page.selectOption('[data-testid=facility-filters] select[name=area]', 'xiangzhi');
    await page.waitForSelector(`[data-testid=facility-marker][data-facility-id="${site.id}"][data-mode=emergency]`, { timeout: 5000 });
    await context.close();
  });
});
