import { appAndBrowser, describeInBrowser, loggedInPage } from '../helpers/browser.js';
import { squadsByCode } from '../helpers/squads.js';

describeInBrowser('a drill in Chromium (browser)', () => {
  const ctx = appAndBrowser();

  it("a coordinator runs a short drill; the leader's phone shows the dispatch as a DRILL and accepts; the report shows the time", async () => {
    const coordinatorToken = await ctx.t.login('coordinator');
    const squad = (await squadsByCode(ctx.t, coordinatorToken)).get('SQ-090')!;
    const planned = await ctx.t.http().post('/api/drills').set('authorization', `Bearer ${coordinatorToken}`).send({
      title: '鸿山镇防汛转移演练', kind: 'drill', plannedStart: new Date().toISOString(), plannedEnd: new Date(Date.now() + 3_600_000).toISOString(), squadIds: [squad.id],
    });
    const id = planned.body.id;
    const phone = await loggedInPage(ctx.browser, ctx.t.url, 'leader-090', '/squad/');
    const coordinator = await loggedInPage(ctx.browser, ctx.t.url, 'coordinator', `/drills/#${id}`, '[data-testid=drill-stats]');
    // The year's statistics render as charts.
    await coordinator.page.waitForSelector('[data-testid=chart-month] .row');
    expect(await coordinator.page.$$eval('[data-testid=chart-month] .row', (rows) => rows.length)).toBe(12);

    await coordinator.page.click('[data-testid=drill-detail] [data-action=start]');
    await coordinator.page.click('[data-testid=drill-detail] [data-action=dispatch]');
    await phone.page.waitForSelector('[data-testid=dispatch-card][data-status=pending] [data-testid=drill-marker]', { timeout: 3000 });
    expect(await phone.page.textContent('[data-testid=drill-marker]')).toContain('演练');
    await phone.page.click('[data-action=accept]');
    await phone.page.waitForSelector('[data-testid=dispatch-card][data-status=accepted]');

    await coordinator.page.reload();
    await coordinator.page.waitForSelector('[data-testid=chart-ack] .row[data-label="SQ-090"]');
    const seconds = Number(await coordinator.page.getAttribute('[data-testid=chart-ack] .row[data-label="SQ-090"]', 'data-value'));
    expect(seconds).toBeGreaterThanOrEqual(0);
    expect(await coordinator.page.textContent('[data-testid=drill-ack-median]')).toMatch(/\d/);
    await phone.context.close();
    await coordinator.context.close();
  });
});
