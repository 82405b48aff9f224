import { DataSource } from 'typeorm';
import { appAndBrowser, describeInBrowser, loggedInPage } from '../helpers/browser.js';
import { createIncident, squadsByCode } from '../helpers/squads.js';
import { until } from '../helpers/until.js';

describeInBrowser("the squad leader's phone view in Chromium (browser)", () => {
  const ctx = appAndBrowser({ COMMAND_CENTER_PHONE: '0595-8888 1234', MAP_LINK_URL: 'https://maps.example.org/?lat={lat}&lng={lng}' });
  let commander: string;
  beforeAll(async () => {
    commander = await ctx.t.login('commander');
  });

  const dispatchTo = async (code: string, note?: string) => {
    const squad = (await squadsByCode(ctx.t, commander)).get(code)!;
    const incident = await createIncident(ctx.t, commander, { title: `${code} 渔港救援` });
    const res = await ctx.t.http().post(`/api/incidents/${incident}/dispatches`).set('authorization', `Bearer ${commander}`).send({ squadIds: [squad.id], ...(note ? { note } : {}) });
    expect(res.status).toBe(201);
    return res.body[0].id as string;
  };

  it('the commander dispatches SQ-017; leader-017 sees it within 2 s, accepts, and the dashboard shows accepted', async () => {
    const phone = await loggedInPage(ctx.browser, ctx.t.url, 'leader-017', '/squad/');
    const dashboard = await loggedInPage(ctx.browser, ctx.t.url, 'commander');
    await phone.page.waitForSelector('[data-testid=dispatch-card][data-status=none]');

    const id = await dispatchTo('SQ-017', '从北侧码头进入，带救生衣');
    await phone.page.waitForSelector(`[data-testid=dispatch-card][data-dispatch-id="${id}"][data-status=pending]`, { timeout: 2000 });
    expect(await phone.page.isVisible('[data-testid=banner]')).toBe(true);
    expect(await phone.page.textContent('[data-testid=countdown]')).toMatch(/\d+/);
    // What a volunteer needs: kind, severity, skills, a landmark, the commander's note, a call and a map link.
    expect(await phone.page.textContent('[data-testid=incident-facts]')).toMatch(/救援[\s\S]*严重/);
    expect(await phone.page.textContent('[data-testid=required-skills]')).toContain('水上救援');
    expect(await phone.page.textContent('[data-testid=landmark]')).toMatch(/附近|一带/);
    expect(await phone.page.textContent('[data-testid=commander-note]')).toContain('从北侧码头进入，带救生衣');
    expect(await phone.page.getAttribute('[data-testid=call-command-center]', 'href')).toBe('tel:059588881234');
    expect(await phone.page.getAttribute('[data-testid=map-link]', 'href')).toBe('https://maps.example.org/?lat=24.781000&lng=118.762000');
    await phone.page.click('[data-action=accept]');
    await phone.page.waitForSelector(`[data-testid=dispatch-card][data-status=accepted]`);
    // Acting on the dispatch answers the banner.
    expect(await phone.page.isVisible('[data-testid=banner]')).toBe(false);

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

  it('declining asks why and Cancel leaves the dispatch pending; the reason reaches the board', async () => {
    const phone = await loggedInPage(ctx.browser, ctx.t.url, 'leader-019', '/squad/');
    const id = await dispatchTo('SQ-019');
    await phone.page.waitForSelector(`[data-testid=dispatch-card][data-dispatch-id="${id}"][data-status=pending]`, { timeout: 2000 });
    await phone.page.click('[data-action=decline]');
    await phone.page.waitForSelector('[data-testid=decline-form]');
    await phone.page.fill('[data-testid=decline-reason]', '车辆故障');
    await phone.page.click('[data-action=cancel-step]');
    await phone.page.waitForSelector(`[data-testid=dispatch-card][data-status=pending] [data-action=accept]`);
    await phone.page.waitForTimeout(300);
    const ds = ctx.t.app.get(DataSource);
    expect((await ds.query('SELECT status FROM dispatches WHERE id = $1', [id]))[0].status).toBe('pending');

    await phone.page.click('[data-action=decline]');
    await phone.page.fill('[data-testid=decline-reason]', '车辆故障');
    await phone.page.click('[data-action=confirm-decline]');
    await phone.page.waitForSelector('[data-testid=queue]', { state: 'hidden' });
    await expect(ds.query('SELECT status, decline_reason FROM dispatches WHERE id = $1', [id])).resolves.toEqual([{ status: 'declined', decline_reason: '车辆故障' }]);
    await phone.context.close();
  });

  it('"done" asks to confirm, waits to be sent, and can be undone', async () => {
    const phone = await loggedInPage(ctx.browser, ctx.t.url, 'leader-020', '/squad/');
    const id = await dispatchTo('SQ-020');
    const ds = ctx.t.app.get(DataSource);
    const status = async () => (await ds.query('SELECT status FROM dispatches WHERE id = $1', [id]))[0].status as string;
    await phone.page.waitForSelector(`[data-testid=dispatch-card][data-dispatch-id="${id}"][data-status=pending]`, { timeout: 2000 });
    await phone.page.click('[data-action=accept]');
    for (const s of ['accepted', 'en_route']) {
      await phone.page.waitForSelector(`[data-testid=dispatch-card][data-status=${s}] [data-action=progress]`);
      await phone.page.click('[data-action=progress]');
    }
    await phone.page.waitForSelector('[data-testid=dispatch-card][data-status=on_scene] [data-action=progress]');
    // Done → confirm → cancel: nothing happens.
    await phone.page.click('[data-action=progress]');
    await phone.page.click('[data-testid=confirm-complete] [data-action=cancel-step]');
    await phone.page.waitForSelector('[data-testid=dispatch-card][data-status=on_scene] [data-action=progress]');
    // Done → confirm → undo within the window: still on scene.
    await phone.page.click('[data-action=progress]');
    await phone.page.click('[data-action=confirm-complete]');
    expect(await phone.page.textContent('[data-testid=undo-complete]')).toMatch(/\d+ 秒/);
    await phone.page.waitForTimeout(1500);
    await phone.page.click('[data-action=undo-complete]');
    await phone.page.waitForSelector('[data-testid=dispatch-card][data-status=on_scene] [data-action=progress]');
    await expect(status()).resolves.toBe('on_scene');
    // Done → confirm → send now.
    await phone.page.click('[data-action=progress]');
    await phone.page.click('[data-action=confirm-complete]');
    await phone.page.click('[data-action=send-now]');
    await phone.page.waitForSelector('[data-testid=squad-status][data-status=returning]');
    // The phone shows "returning" as soon as the action is queued; the server has it a moment later.
    await until('the server has the dispatch completed', 5000, async () => (await status()) === 'completed');
    await phone.context.close();
  });

  it("the board shows a leader's phone gone for over a minute as offline", async () => {
    const ds = ctx.t.app.get(DataSource);
    const phone = await loggedInPage(ctx.browser, ctx.t.url, 'leader-021', '/squad/');
    const id = await dispatchTo('SQ-021');
    await phone.page.waitForSelector(`[data-testid=dispatch-card][data-dispatch-id="${id}"][data-status=pending]`, { timeout: 2000 });
    await phone.page.click('[data-action=accept]');
    await phone.page.waitForSelector('[data-testid=queue]', { state: 'hidden' });
    const presence = async () => (await ds.query(`SELECT phone_online FROM squads WHERE code = 'SQ-021'`))[0].phone_online as boolean;
    await expect(presence()).resolves.toBe(true);

    const dashboard = await loggedInPage(ctx.browser, ctx.t.url, 'commander');
    const row = `[data-testid=dispatch-row][data-dispatch-id="${id}"]`;
    await dashboard.page.waitForSelector(`${row}[data-status=accepted]`);
    expect(await dashboard.page.isVisible(`${row} [data-testid=phone-offline]`)).toBe(false);
    await phone.context.close();
    for (let i = 0; i < 50 && (await presence()); i++) await new Promise((r) => setTimeout(r, 100));
    await expect(presence()).resolves.toBe(false);
    // Gone a moment: not yet flagged (a tunnel, a lift).
    await dashboard.page.waitForSelector(`${row} [data-testid=phone-offline]`, { state: 'attached' });
    expect(await dashboard.page.isVisible(`${row} [data-testid=phone-offline]`)).toBe(false);
    // Gone for two minutes (as the dashboard reads it when it opens).
    await ds.query(`UPDATE squads SET phone_changed_at = now() - interval '2 minutes' WHERE code = 'SQ-021'`);
    await dashboard.page.reload();
    await dashboard.page.waitForSelector(`${row} [data-testid=phone-offline]`, { state: 'visible' });
    expect(await dashboard.page.textContent(`${row} [data-testid=phone-offline]`)).toContain('离线');
    await dashboard.context.close();
  });
});
