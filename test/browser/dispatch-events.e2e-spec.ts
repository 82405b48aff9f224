import type { Page } from 'playwright-core';
import { appAndBrowser, describeInBrowser, loggedInPage } from '../helpers/browser.js';
import { createIncident, squadsByCode } from '../helpers/squads.js';

/** The API requests a page makes from now on. */
function countApiRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.startsWith('/api/')) seen.push(`${r.method()} ${new URL(r.url()).pathname}`);
  });
  return seen;
}

// With 5,000 dashboards open, one dispatch must not become 5,000 requests: screens apply the events.
describeInBrowser('screens apply dispatch events instead of asking the server again (browser)', () => {
  const ctx = appAndBrowser();

  it('a dispatch and its acceptance reach two dashboards and the phone with no API request from any of them', async () => {
    const commander = await ctx.t.login('commander');
    const leader = await ctx.t.login('leader-021');
    const dashboards = [await loggedInPage(ctx.browser, ctx.t.url, 'commander'), await loggedInPage(ctx.browser, ctx.t.url, 'viewer')];
    const phone = await loggedInPage(ctx.browser, ctx.t.url, 'leader-021', '/squad/');
    await phone.page.waitForSelector('[data-testid=dispatch-card][data-status=none]');
    for (const { page } of [...dashboards, phone]) await page.waitForLoadState('networkidle');
    const requests = [...dashboards, phone].map(({ page }) => countApiRequests(page));

    const squad = (await squadsByCode(ctx.t, commander)).get('SQ-021')!;
    const incident = await createIncident(ctx.t, commander, { title: '锦尚镇 内涝 SQ-021' });
    const created = await ctx.t.http().post(`/api/incidents/${incident}/dispatches`).set('authorization', `Bearer ${commander}`).send({ squadIds: [squad.id] });
    expect(created.status).toBe(201);
    const id = created.body[0].id as string;
    for (const { page } of dashboards) await page.waitForSelector(`[data-testid=dispatch-row][data-dispatch-id="${id}"][data-status=pending]`);
    await phone.page.waitForSelector(`[data-testid=dispatch-card][data-dispatch-id="${id}"][data-status=pending]`);

    const ack = await ctx.t.http().post(`/api/dispatches/${id}/ack`).set('authorization', `Bearer ${leader}`).send({ accept: true });
    expect(ack.status).toBe(200);
    for (const { page } of dashboards) await page.waitForSelector(`[data-testid=dispatch-row][data-dispatch-id="${id}"][data-status=accepted]`);
    await phone.page.waitForSelector(`[data-testid=dispatch-card][data-dispatch-id="${id}"][data-status=accepted]`);

    expect(requests).toEqual([[], [], []]);
    for (const { context } of [...dashboards, phone]) await context.close();
  });
});
