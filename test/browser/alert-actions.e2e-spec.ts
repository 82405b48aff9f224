import { DataSource } from 'typeorm';
import { appAndBrowser, describeInBrowser, loggedInPage } from '../helpers/browser.js';
import { createIncident, leaderOf, squadsByCode } from '../helpers/squads.js';

const DESKTOP = { viewport: { width: 1440, height: 900 } };

// Four kinds of alert that once offered only "acknowledge": each now has the button for its next step.
// Every one is raised the real way (the sweeps, run every 200 ms here), its due time brought forward.
describeInBrowser('an alert says what to do next, with the button to do it (browser)', () => {
  const ctx = appAndBrowser({ SWEEP_INTERVAL_MS: '200' });

  it('a missed check-in opens its incident, an overdue conversion its site, a plan activation the plans, an unanswered roll call its round', async () => {
    const { t, browser } = ctx;
    const commander = await t.login('commander');
    const post = (path: string, body: object, token = commander) => t.http().post(path).set('authorization', `Bearer ${token}`).send(body);
    const db = t.app.get(DataSource);

    // A squad on scene whose check-in is due now.
    const squad = (await squadsByCode(t, commander)).get('SQ-010')!;
    const title = '石狮港仓库进水';
    const incidentId = await createIncident(t, commander, { title });
    const made = await post(`/api/incidents/${incidentId}/dispatches`, { squadIds: [squad.id] });
    expect(made.status).toBe(201);
    const dispatchId = made.body[0].id as string;
    const leader = await t.login(leaderOf('SQ-010'));
    expect((await post(`/api/dispatches/${dispatchId}/ack`, { accept: true }, leader)).status).toBe(200);
    for (const status of ['en_route', 'on_scene']) expect((await post(`/api/dispatches/${dispatchId}/progress`, { status }, leader)).status).toBe(200);
    await db.query(`UPDATE dispatches SET check_in_due_at = now() - interval '1 second' WHERE id = $1`, [dispatchId]);

    // A plan activated (an alert of its own), one of its sites converting past its expected time.
    const activated = await post('/api/plans/typhoon/activations', { level: 4, reason: '台风蓝色预警' });
    expect(activated.status).toBe(201);
    // TypeORM answers an UPDATE … RETURNING with [rows, count].
    const [[late]]: [{ code: string }[], number] = await db.query(
      `UPDATE activation_sites s SET expected_ready_at = now() - interval '1 second' FROM facilities f
       WHERE f.id = s.facility_id AND s.activation_id = $1
         AND s.facility_id = (SELECT facility_id FROM activation_sites WHERE activation_id = $1 ORDER BY facility_id LIMIT 1)
       RETURNING f.code`,
      [activated.body.id],
    );

    // A roll call whose deadline has passed with nobody answered.
    const round = await post('/api/roll-calls', { message: '请确认阵地已开放', audience: { areas: ['xiangzhi'] }, answerWithinMinutes: 10 });
    expect(round.status).toBe(201);
    await db.query(`UPDATE roll_calls SET deadline = now() - interval '1 second' WHERE id = $1`, [round.body.id]);

    const { page, context } = await loggedInPage(browser, t.url, 'commander', '/', undefined, DESKTOP);
    await page.click('[data-testid=ind-alerts]');
    const alert = (type: string) => `[data-testid=alert][data-type="${type}"]`;
    for (const type of ['dispatch.check_in_missed', 'conversion.overdue', 'plan.activated', 'roll_call.escalated']) {
      await page.waitForSelector(alert(type), { timeout: 15_000 });
    }
    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/alert-actions.png` });

    // Who and where, then the incident, to send another squad.
    const missed = await page.textContent(alert('dispatch.check_in_missed'));
    expect(missed).toContain('SQ-010');
    expect(missed).toContain(title);
    await page.click(`${alert('dispatch.check_in_missed')} [data-action=open-incident]`);
    await page.waitForSelector(`[data-testid=incident-panel]:visible:has-text("${title}")`);

    // The late site's panel.
    await page.click('[data-testid=tab-alerts]');
    await page.click(`${alert('conversion.overdue')} [data-action=open-site]`);
    await page.waitForSelector(`[data-testid=site-panel]:visible:has-text("${late.code}")`);

    // The plans tab, where the activation's conversion is followed.
    await page.click('[data-testid=tab-alerts]');
    await page.click(`${alert('plan.activated')} [data-action=open-plans]`);
    await page.waitForSelector('[data-testid=tab-plans][aria-selected=true]');
    expect(await page.isVisible('[data-testid=plan-activation]')).toBe(true);

    // The round, in view and focused, naming who has not answered.
    await page.click('[data-testid=tab-alerts]');
    await page.click(`${alert('roll_call.escalated')} [data-action=open-roll-call]`);
    await page.waitForSelector('[data-testid=tab-rollCalls][aria-selected=true]');
    const shown = `[data-testid=roll-call-round][data-id="${round.body.id as string}"]`;
    await page.waitForSelector(`${shown}:focus`);
    expect(await page.$$eval(`${shown} [data-testid=unanswered]`, (els) => els.length)).toBe((round.body.entries as unknown[]).length);
    await context.close();
  }, 120_000);
});
