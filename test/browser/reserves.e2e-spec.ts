import { appAndBrowser, describeInBrowser, loggedInPage } from '../helpers/browser.js';

describeInBrowser('reserves on the dashboard in Chromium (browser)', () => {
  const ctx = appAndBrowser();

  it('the commander issues water from a ready elder canteen until it turns "not ready"', async () => {
    const commander = await ctx.t.login('commander');
    const readiness = (await ctx.t.http().get('/api/readiness?type=elder_canteen').set('authorization', `Bearer ${commander}`)).body;
    const site = readiness.sites.find((s: { ready: boolean }) => s.ready);
    const stock = (await ctx.t.http().get(`/api/facilities/${site.facilityId}/stock`).set('authorization', `Bearer ${commander}`)).body;
    const water = stock.find((l: { itemCode: string }) => l.itemCode === 'water');
    const spare = water.usable - water.required;

    const { page, context } = await loggedInPage(ctx.browser, ctx.t.url, 'commander');
    await page.selectOption('[data-testid=facility-filters] select[name=area]', site.areaCode);
    await page.click(`[data-testid=facility-marker][data-facility-id="${site.facilityId}"]`);
    await page.waitForSelector('[data-testid=site-readiness][data-ready=true]');

    const issue = async (quantity: number) => {
      await page.selectOption('[data-testid=stock-form] select[name=kind]', 'issue');
      await page.selectOption('[data-testid=stock-form] select[name=item]', 'water');
      await page.fill('[data-testid=stock-form] input[name=quantity]', String(quantity));
      await page.click('[data-testid=stock-form] button[type=submit]');
    };
    if (spare > 0) {
      await issue(spare); // exactly the requirement left: still ready
      await page.waitForSelector(`[data-testid=site-stock] li[data-item=water] .numbers >> text=${water.required}/${water.required}`);
      expect(await page.getAttribute('[data-testid=site-readiness]', 'data-ready')).toBe('true');
    }
    await issue(1);
    await page.waitForSelector('[data-testid=site-readiness][data-ready=false]');

    // Asking for more than there is: a clear message in the page's language (Chinese), nothing changed.
    await issue(100000);
    await page.waitForSelector('[data-testid=stock-form] .error:has-text("未做任何更改")');
    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/reserves.png` });
    const after = (await ctx.t.http().get(`/api/readiness?type=elder_canteen&area=${site.areaCode}`).set('authorization', `Bearer ${commander}`)).body;
    expect(after.sites.find((s: { facilityId: string }) => s.facilityId === site.facilityId).ready).toBe(false);
    await context.close();
  });
});
