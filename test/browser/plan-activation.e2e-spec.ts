import { appAndBrowser, describeInBrowser, loggedInPage } from '../helpers/browser.js';

describeInBrowser('activating a response plan from the dashboard (browser)', () => {
  const ctx = appAndBrowser();
  const panel = '[data-testid=plan-activation]';

  it('reads the dry run, confirms typhoon Ⅳ, sees a site turn ready, escalates to Ⅲ and stands down', async () => {
    const token = await ctx.t.login('commander');
    const auth = { authorization: `Bearer ${token}` };
    const { context, page } = await loggedInPage(ctx.browser, ctx.t.url, 'commander', '/', '[data-testid=connection][data-state=connected]', { viewport: { width: 1440, height: 900 } });
    await page.click('[data-testid=ind-alerts]');
    await page.click('[data-testid=tab-plans]');
    await page.waitForSelector(`${panel} [data-testid=plan-code] option[value=typhoon]`, { state: 'attached' });
    await page.selectOption(`${panel} [data-testid=plan-code]`, 'typhoon');
    await page.selectOption(`${panel} [data-testid=plan-level]`, '4');
    await page.fill(`${panel} [data-testid=plan-reason]`, '台风蓝色预警');
    await page.click(`${panel} [data-testid=plan-dry-run]`);
    const dry = await page.textContent(`${panel} [data-testid=plan-dry-result]`, { timeout: 15_000 });
    expect(dry).toMatch(/^将转换 \d+ 个阵地/);
    // Nothing changed by reading it.
    expect((await ctx.t.http().get('/api/activations?active=true').set(auth)).body).toEqual([]);

    await page.click(`${panel} [data-testid=plan-confirm]`);
    const row = `${panel} [data-testid=activation-typhoon]`;
    await page.waitForSelector(row);
    expect(await page.textContent(`${row} [data-testid=activation-progress]`)).toMatch(/转换中 \d+ · ✓ 就绪 0/);

    // One site's tasks done: it turns ready on the dashboard, live.
    const [activation] = (await ctx.t.http().get('/api/activations?active=true').set(auth)).body as { id: string; sites: { facilityId: string }[] }[];
    const site = activation.sites[0].facilityId;
    const tasks = (await ctx.t.http().get(`/api/conversion-tasks?activationId=${activation.id}&facilityId=${site}`).set(auth)).body as { id: string }[];
    for (const task of tasks) expect((await ctx.t.http().post(`/api/conversion-tasks/${task.id}/done`).set(auth).send({})).status).toBe(200);
    await page.waitForSelector(`${row} [data-testid=activation-progress]:has-text("就绪 1")`, { timeout: 15_000 });

    // Escalate to Ⅲ, then stand down.
    await page.selectOption(`${row} select[name=activation-level]`, '3');
    await page.fill(`${row} input[name=activation-reason]`, '升级为黄色预警');
    await page.click(`${row} [data-action=change-level]`);
    await page.waitForSelector(`${row} strong:has-text("Ⅲ级")`, { timeout: 15_000 });
    await page.fill(`${row} input[name=activation-reason]`, '台风解除');
    await page.click(`${row} [data-action=stand-down]`);
    await page.waitForSelector(row, { state: 'detached', timeout: 15_000 });
    const after = (await ctx.t.http().get(`/api/activations/${activation.id}`).set(auth)).body as { status: string };
    expect(after.status).toBe('standing_down');
    await context.close();
  }, 180_000);
});
