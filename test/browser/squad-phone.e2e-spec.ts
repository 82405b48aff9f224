import { DataSource } from 'typeorm';
import { appAndBrowser, describeInBrowser, loggedInPage } from '../helpers/browser.js';
import { createIncident, squadsByCode } from '../helpers/squads.js';

describeInBrowser("the squad leader's phone view in Chromium (browser)", () => {
  const ctx = appAndBrowser();
  let commander: string;
  beforeAll(async () => {
    commander = await ctx.t.login('commander');
  });

  const dispatchTo = async (code: string) => {
    const squad = (await squadsByCode(ctx.t, commander)).get(code)!;
    const incident = await createIncident(ctx.t, commander, { title: `${code} 渔港救援` });
    const res = await ctx.t.http().post(`/api/incidents/${incident}/dispatches`).set('authorization', `Bearer ${commander}`).send({ squadIds: [squad.id] });
    expect(res.status).toBe(201);
    return res.body[0].id as string;
  };

  it('the commander dispatches SQ-017; leader-017 sees it within 2 s, accepts, and the dashboard shows accepted', async () => {
    const phone = await loggedInPage(ctx.browser, ctx.t.url, 'leader-017', '/squad/');
    const dashboard = await loggedInPage(ctx.browser, ctx.t.url, 'commander');
    await phone.page.waitForSelector('[data-testid=dispatch-card][data-status=none]');

    const id = await dispatchTo('SQ-017');
    await phone.page.waitForSelector(`[data-testid=dispatch-card][data-dispatch-id="${id}"][data-status=pending]`, { timeout: 2000 });
    expect(await phone.page.isVisible('[data-testid=banner]')).toBe(true);
    expect(await phone.page.textContent('[data-testid=countdown]')).toMatch(/\d+/);
    await phone.page.click('[data-action=accept]');
    await phone.page.waitForSelector(`[data-testid=dispatch-card][data-status=accepted]`);

    await dashboard.page.waitForSelector(`[data-testid=dispatch-row][data-dispatch-id="${id}"][data-status=accepted]`, { timeout: 3000 });
    if (process.env.SCREENSHOT_DIR) await phone.page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/phone-accepted.png` });
    await phone.context.close();
    await dashboard.context.close();
  });

  it('an accept made offline is queued, sent once when the phone is back, and applied once', async () => {
    const phone = await loggedInPage(ctx.browser, ctx.t.url, 'leader-018', '/squad/');
    const id = await dispatchTo('SQ-018');
    await phone.page.waitForSelector(`[data-testid=dispatch-card][data-dispatch-id="${id}"][data-status=pending]`, { timeout: 2000 });

    await phone.context.setOffline(true);
    await phone.page.click('[data-action=accept]');
    // The screen answers at once; the action waits in the queue.
    await phone.page.waitForSelector('[data-testid=dispatch-card][data-status=accepted]');
    await phone.page.waitForSelector('[data-testid=queue]:not([hidden])');
    await phone.page.waitForTimeout(500);
    const ds = ctx.t.app.get(DataSource);
    expect((await ds.query('SELECT status FROM dispatches WHERE id = $1', [id]))[0].status).toBe('pending');

    await phone.context.setOffline(false);
    await phone.page.waitForSelector('[data-testid=queue]', { state: 'hidden', timeout: 15_000 });
    expect((await ds.query('SELECT status FROM dispatches WHERE id = $1', [id]))[0].status).toBe('accepted');
    const accepted = await ds.query(`SELECT count(*)::int AS n FROM events WHERE type = 'dispatch.accepted' AND dispatch_id = $1`, [id]);
    expect(accepted[0].n).toBe(1);
    await phone.page.waitForSelector('[data-testid=dispatch-card][data-status=accepted] [data-action=progress]');
    await phone.context.close();
  });
});
