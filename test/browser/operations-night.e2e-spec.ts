import type { Browser, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { describeInBrowser, launchBrowser, loggedInPage } from '../helpers/browser.js';
import { createIncident, leaderOf, squadsByCode } from '../helpers/squads.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

const DESKTOP = { viewport: { width: 1440, height: 900 } };
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const shot = async (page: Page, name: string) => {
  if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/${name}.png` });
};

// Issue 14's night, played through in two browsers: the commander's desktop and a squad leader's phone.
describeInBrowser('a typhoon night: command center and squad phone (browser)', () => {
  let t: TestApp;
  let browser: Browser;
  let commander: string;
  const auth = () => ({ authorization: `Bearer ${commander}` });

  beforeAll(async () => {
    // A short acknowledgement deadline, swept often, so the unanswered dispatch expires within the test;
    // stock checked at once, so the alerts panel holds the seed's many stock alerts, as on a real night.
    t = await startTestApp({ DISPATCH_ACK_TIMEOUT_SECONDS: '10', SWEEP_INTERVAL_MS: '200', STOCK_CHECK_INTERVAL_MS: '1000' });
    browser = await launchBrowser();
    commander = await t.login('commander');
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const squadStatus = async (code: string) => (await squadsByCode(t, commander)).get(code)!.status;

  /** Dispatches the squad, and its leader takes the job to done over the API: the squad is returning. */
  const finishJob = async (code: string) => {
    const squad = (await squadsByCode(t, commander)).get(code)!;
    const lead = { authorization: `Bearer ${await t.login(leaderOf(code))}` };
    const incidentId = await createIncident(t, commander, { title: `积水 ${code}`, severity: 'moderate' });
    const made = await t.http().post(`/api/incidents/${incidentId}/dispatches`).set(auth()).send({ squadIds: [squad.id] });
    expect(made.status).toBe(201);
    const id = made.body[0].id as string;
    expect((await t.http().post(`/api/dispatches/${id}/ack`).set(lead).send({ accept: true })).status).toBe(200);
    for (const status of ['en_route', 'on_scene', 'completed']) {
      expect((await t.http().post(`/api/dispatches/${id}/progress`).set(lead).send({ status })).status).toBe(200);
    }
    await expect(squadStatus(code)).resolves.toBe('returning');
  };

  it('switch Xiangzhi, dispatch, the squad comes back, is sent again, lets it expire; the alert sends the next squad; the incident is resolved', async () => {
    const switched = await t.http().post('/api/switchovers').set(auth()).send({ mode: 'emergency', reason: '台风橙色预警，祥芝镇转入应急', scope: { areas: ['xiangzhi'] } });
    expect(switched.status).toBe(201);
    const xiangzhi = (switched.body.switched as string[]).length;
    expect(xiangzhi).toBeGreaterThan(10);

    const desk = await loggedInPage(browser, t.url, 'commander', '/', undefined, DESKTOP);
    // The indicator strip counts Xiangzhi's sites in emergency.
    await desk.page.waitForSelector(`[data-testid=ind-emergency][data-value="${xiangzhi}"]`);

    const title = '祥芝渔港码头 渔船进水 3人被困';
    const incidentId = await createIncident(t, commander, { title, severity: 'severe', lat: 24.781, lng: 118.762 });
    const recs = await t.http().get(`/api/incidents/${incidentId}/recommendations`).set(auth());
    const first = recs.body[0].code as string;
    const phone = await loggedInPage(browser, t.url, leaderOf(first), '/squad/', undefined, PHONE);
    await phone.page.waitForSelector('[data-testid=dispatch-card][data-status=none]');

    // The incident list (from the indicator strip) opens the incident's recommendations; dispatch the first.
    await desk.page.click('[data-testid=ind-incidents]');
    const row = `[data-testid=incident-row][data-incident-id="${incidentId}"]`;
    await desk.page.waitForSelector(`${row}[data-status=open]`);
    expect(await desk.page.textContent(row)).toContain(title);
    await desk.page.click(`${row} [data-action=open-incident]`);
    await desk.page.waitForSelector('[data-testid=recommendation]');
    expect(await desk.page.getAttribute('[data-testid=recommendation] >> nth=0', 'data-squad-code')).toBe(first);
    await desk.page.click(`[data-testid=recommendation][data-squad-code="${first}"] [data-action=dispatch]`);

    // The phone: accept, en route, on scene, done.
    await phone.page.waitForSelector('[data-testid=dispatch-card][data-status=pending]');
    await phone.page.click('[data-action=accept]');
    for (const status of ['accepted', 'en_route', 'on_scene']) {
      await phone.page.waitForSelector(`[data-testid=dispatch-card][data-status=${status}] [data-action=progress]`);
      await phone.page.click('[data-action=progress]');
    }
    // "Done" is confirmed, then sent at once instead of after the undo window.
    await phone.page.click('[data-action=confirm-complete]');
    await phone.page.click('[data-action=send-now]');
    // The incident list shows the squad and its progress, applied from events.
    await desk.page.waitForSelector(`${row} [data-testid=incident-squad][data-squad-code="${first}"][data-dispatch-status=completed]`);

    // The job is done: the squad is returning, and the phone offers the way back.
    await phone.page.waitForSelector('[data-testid=squad-status][data-status=returning] [data-testid=squad-available]');
    await shot(phone.page, 'phone-returning');
    expect(await phone.page.isVisible('[data-testid=squad-status] [data-testid=squad-unavailable]')).toBe(true);
    await expect(squadStatus(first)).resolves.toBe('returning');
    await phone.page.click('[data-testid=squad-available]');
    await phone.page.waitForSelector('[data-testid=dispatch-card][data-status=none]');
    await phone.page.waitForSelector('[data-testid=squad-status][data-status=available]');
    await expect(squadStatus(first)).resolves.toBe('available');

    // The same squad is recommended again, and dispatched again; this time nobody answers.
    await desk.page.click(`${row} [data-action=open-incident]`);
    await desk.page.waitForSelector(`[data-testid=recommendation][data-squad-code="${first}"]`);
    expect(await desk.page.getAttribute('[data-testid=recommendation] >> nth=0', 'data-squad-code')).toBe(first);
    await desk.page.click(`[data-testid=recommendation][data-squad-code="${first}"] [data-action=dispatch]`);
    await phone.page.waitForSelector('[data-testid=dispatch-card][data-status=pending]');

    // The deadline passes: the alerts panel names the squad and the incident and offers the next squad.
    await desk.page.click('[data-testid=ind-alerts]');
    const alert = desk.page.locator('[data-testid=alert][data-type="dispatch.expired"]');
    await alert.waitFor({ timeout: 20_000 });
    const text = await alert.textContent();
    expect(text).toContain(first);
    expect(text).toContain(title);
    expect(await desk.page.getAttribute('[data-testid=ind-alerts]', 'class')).toContain('critical');
    // Critical first, above the stock alerts.
    expect(await desk.page.getAttribute('[data-testid=alert] >> nth=0', 'data-type')).toBe('dispatch.expired');
    expect(await desk.page.$$eval('[data-testid=alert][data-type="stock.low"]', (els) => els.length)).toBeGreaterThan(10);
    // The critical alert beeped (nothing muted).
    expect(Number(await desk.page.getAttribute('html', 'data-alert-beeps'))).toBeGreaterThanOrEqual(1);
    // The board keeps the expired dispatch.
    await desk.page.waitForSelector(`[data-testid=dispatch-row][data-status=expired]`);
    const next = alert.locator('[data-testid=dispatch-next]').first();
    const nextCode = (await next.getAttribute('data-squad-code'))!;
    expect(nextCode).not.toBe(first);
    await shot(desk.page, 'alerts-panel');
    await next.click();
    await alert.locator('[data-testid=dispatched]').waitFor();
    const nextDispatch = (await t.http().get('/api/dispatches?limit=50').set(auth())).body.find(
      (d: { squadCode: string; incidentId: string; status: string }) => d.squadCode === nextCode && d.incidentId === incidentId,
    );
    expect(nextDispatch?.status).toBe('pending');
    await desk.page.waitForSelector(`[data-testid=dispatch-row][data-dispatch-id="${nextDispatch.id}"]`);

    // Resolve the incident from the incident list, with a confirmation.
    await desk.page.click('[data-testid=tab-incidents]');
    await desk.page.click(`${row} [data-testid=resolve]`);
    expect(await desk.page.textContent(`${row} .confirm`)).toMatch(/1/);
    await desk.page.click(`${row} [data-testid=confirm-yes]`);
    await desk.page.waitForSelector(`${row}[data-status=resolved]`);
    const incident = await t.http().get(`/api/incidents/${incidentId}`).set(auth());
    expect(incident.body.status).toBe('resolved');
    const ended = (await t.http().get('/api/dispatches?limit=50').set(auth())).body.find((d: { id: string }) => d.id === nextDispatch.id);
    expect(ended.status).toBe('cancelled');
    await expect(squadStatus(nextCode)).resolves.toBe('available');
    // The expired alert no longer offers a dispatch to a closed incident.
    await desk.page.click('[data-testid=tab-alerts]');
    await alert.locator('text=事件已结束').waitFor();
    expect(await alert.locator('[data-testid=dispatch-next]').count()).toBe(0);

    await phone.context.close();
    await desk.context.close();
  });

  it('the roster sets a returning squad available', async () => {
    await finishJob('SQ-040');

    const desk = await loggedInPage(browser, t.url, 'commander', '/', undefined, DESKTOP);
    await desk.page.click('[data-testid=ind-committed]');
    // SQ-040's area, every status: the returning squad among the others, marked in words.
    await desk.page.selectOption('[data-testid=roster-status]', '');
    await desk.page.selectOption('[data-testid=roster-area]', 'lingxiu');
    await desk.page.waitForSelector('[data-testid=roster-row][data-squad-code="SQ-040"][data-status=returning]');
    expect(await desk.page.$$eval('[data-testid=roster-row]', (els) => els.length)).toBeGreaterThan(3);
    await shot(desk.page, 'roster');
    await desk.page.selectOption('[data-testid=roster-area]', '');
    await desk.page.selectOption('[data-testid=roster-status]', 'returning');
    await desk.page.fill('[data-testid=roster-search]', 'SQ-04');
    const row = `[data-testid=roster-row][data-squad-code="SQ-040"]`;
    await desk.page.waitForSelector(`${row}[data-status=returning]`);
    // Status in words, not only a colour; the area by name.
    expect(await desk.page.textContent(`${row} [data-testid=roster-status-word]`)).toContain('返回中');
    expect(await desk.page.textContent(row)).not.toMatch(/\b(fengli|hubin|baogai|lingxiu|hanjiang|xiangzhi|hongshan|jinshang|yongning)\b/);
    await desk.page.click(`${row} [data-testid=set-available]`);
    // Filtered on returning, the squad leaves the list once it is available.
    await desk.page.waitForSelector(row, { state: 'detached' });
    await expect(squadStatus('SQ-040')).resolves.toBe('available');
    await desk.page.selectOption('[data-testid=roster-status]', 'available');
    await desk.page.waitForSelector(`${row}[data-status=available] [data-testid=set-unavailable]`);
    await desk.context.close();
  });

  it('acknowledging an alert removes it on every dashboard; viewers see it without the button; the mute is remembered', async () => {
    const desk = await loggedInPage(browser, t.url, 'commander', '/', undefined, DESKTOP);
    const viewer = await loggedInPage(browser, t.url, 'viewer', '/', undefined, DESKTOP);
    for (const { page } of [desk, viewer]) await page.click('[data-testid=ind-alerts]');

    // A decline is a warning alert: it names the squad, the reason and the incident.
    const squad = (await squadsByCode(t, commander)).get('SQ-055')!;
    const incidentId = await createIncident(t, commander, { title: '鸿山 山体滑坡 SQ-055', severity: 'moderate', lat: 24.745, lng: 118.75 });
    const made = await t.http().post(`/api/incidents/${incidentId}/dispatches`).set(auth()).send({ squadIds: [squad.id] });
    const leader = await t.login(leaderOf('SQ-055'));
    const declined = await t.http().post(`/api/dispatches/${made.body[0].id}/ack`).set({ authorization: `Bearer ${leader}` }).send({ accept: false, reason: '车辆故障' });
    expect(declined.status).toBe(200);
    const alertId = (await t.http().get('/api/alerts?open=true').set(auth())).body.find((a: { type: string; dispatchId?: string }) =>
      a.type === 'dispatch.declined' && a.dispatchId === made.body[0].id).id as string;

    const sel = `[data-testid=alert][data-alert-id="${alertId}"]`;
    for (const { page } of [desk, viewer]) await page.waitForSelector(sel);
    const text = await desk.page.textContent(sel);
    expect(text).toContain('SQ-055');
    expect(text).toContain('车辆故障');
    expect(text).toContain('鸿山 山体滑坡');
    expect(await viewer.page.$(`${sel} [data-testid=ack]`)).toBeNull();
    const before = Number(await desk.page.getAttribute('[data-testid=ind-alerts]', 'data-value'));

    await desk.page.click(`${sel} [data-testid=ack]`);
    for (const { page } of [desk, viewer]) await page.waitForSelector(sel, { state: 'detached' });
    await desk.page.waitForSelector(`[data-testid=ind-alerts][data-value="${before - 1}"]`);
    const open = (await t.http().get('/api/alerts?open=true&limit=1000').set(auth())).body as { id: string }[];
    expect(open.some((a) => a.id === alertId)).toBe(false);

    // Supply alerts come by the hundred: with the supply filter, one confirmed click acknowledges them all.
    await desk.page.selectOption('[data-testid=alert-filter]', 'stock');
    const stock = await desk.page.$$eval('[data-testid=alert]', (els) => els.length);
    expect(stock).toBeGreaterThan(10);
    expect(await viewer.page.$('[data-testid=ack-all]')).toBeNull();
    await desk.page.click('[data-testid=ack-all]');
    await desk.page.click('[data-testid=ack-all-yes]');
    await desk.page.waitForSelector('[data-testid=alerts-empty]:not([hidden])', { timeout: 30_000 });
    const left = (await t.http().get('/api/alerts?open=true&limit=1000').set(auth())).body as { type: string }[];
    expect(left.filter((a) => a.type.startsWith('stock.'))).toEqual([]);
    // A function, not a string: the page's CSP forbids eval.
    await viewer.page.waitForFunction(
      () => !(globalThis as unknown as { document: { querySelector(s: string): unknown } }).document.querySelector('[data-testid=alert][data-type^="stock."]'),
      undefined,
      { timeout: 15_000 },
    );

    // Mute the sound, reload: still muted.
    expect(await desk.page.getAttribute('[data-testid=alert-mute]', 'aria-pressed')).toBe('true');
    await desk.page.click('[data-testid=alert-mute]');
    await desk.page.reload();
    await desk.page.waitForSelector('[data-testid=alert-mute][aria-pressed=false]');
    await desk.context.close();
    await viewer.context.close();
    // Two hundred acknowledgements, each an event to both dashboards: more than the default minute on a slow runner.
  }, 180_000);

  it('a confirmed switchover in the dialog shows its shortfalls, by site and item name, on the readiness board', async () => {
    const desk = await loggedInPage(browser, t.url, 'commander', '/', undefined, DESKTOP);
    await desk.page.click('[data-action=switchover]');
    await desk.page.selectOption('[data-testid=switchover-dialog] select[name=scope]', 'area');
    await desk.page.selectOption('[data-testid=switchover-dialog] select[name=area]', 'yongning');
    await desk.page.selectOption('[data-testid=switchover-dialog] select[name=mode]', 'emergency');
    await desk.page.fill('[data-testid=switchover-dialog] textarea[name=reason]', '风暴潮预警，永宁镇转入应急');
    await desk.page.click('[data-testid=switchover-dialog] [data-action=confirm]');
    // The dialog says what it did; closing it leaves the readiness board with the switch's shortfalls.
    await desk.page.click('[data-testid=switchover-result] [data-action=close]');
    await desk.page.waitForSelector('[data-testid=readiness-board] [data-testid=switchover-shortfalls]');
    const items = await desk.page.$$eval('[data-testid=switchover-shortfall]', (els) => els.map((el) => el.textContent ?? ''));
    expect(items.length).toBeGreaterThan(0);
    // Names, not codes: "永宁镇 · …邻里中心 (YN-NC-01)：毛毯 9/20 条", never "blanket".
    expect(items.join('\n')).toContain('永宁镇');
    expect(items.join('\n')).not.toMatch(/\b(blanket|water|rice|first_aid_kit|life_jacket)\b/);
    expect(items.join('\n')).toMatch(/\d+\/\d+/);
    // Every area's summary is there; opening Yongning lists its sites with their modes in words.
    await desk.page.click('[data-testid=readiness-area][data-area=yongning] summary');
    await desk.page.waitForSelector('[data-testid=readiness-area][data-area=yongning] [data-testid=readiness-site]');
    expect(await desk.page.textContent('[data-testid=readiness-area][data-area=yongning] table')).toContain('急时');
    await shot(desk.page, 'readiness');
    await desk.page.emulateMedia({ media: 'print' });
    expect(await desk.page.isVisible('#map')).toBe(false);
    expect(await desk.page.isVisible('[data-testid=readiness-board]')).toBe(true);
    await desk.page.emulateMedia({ media: 'screen' });
    await desk.context.close();
  });

  it('back, available tapped offline on the phone is queued and sent when the phone is online again', async () => {
    await finishJob('SQ-041');
    const phone = await loggedInPage(browser, t.url, leaderOf('SQ-041'), '/squad/', undefined, PHONE);
    await phone.page.waitForSelector('[data-testid=squad-status][data-status=returning]');
    await phone.context.setOffline(true);
    await phone.page.click('[data-testid=squad-available]');
    // The screen answers at once; the action waits in the queue.
    await phone.page.waitForSelector('[data-testid=squad-status][data-status=available]');
    await phone.page.waitForSelector('[data-testid=queue]:not([hidden])');
    await expect(squadStatus('SQ-041')).resolves.toBe('returning');
    await phone.context.setOffline(false);
    await phone.page.waitForSelector('[data-testid=queue]', { state: 'hidden', timeout: 15_000 });
    await expect(squadStatus('SQ-041')).resolves.toBe('available');
    // Available, the phone still offers a way to stand down.
    await phone.page.waitForSelector('[data-testid=squad-status][data-status=available] [data-testid=squad-unavailable]');
    await phone.context.close();
  });

  it('drill incidents are hidden from the incident list unless asked for, and then marked 演练', async () => {
    const squad = (await squadsByCode(t, commander)).get('SQ-060')!;
    const drill = await t.http().post('/api/drills').set(auth()).send({
      title: '蚶江镇防汛演练', kind: 'drill', plannedStart: new Date().toISOString(), plannedEnd: new Date(Date.now() + 3_600_000).toISOString(), squadIds: [squad.id],
    });
    expect(drill.status).toBe(201);
    expect((await t.http().post(`/api/drills/${drill.body.id}/start`).set(auth()).send({})).status).toBeLessThan(300);
    const desk = await loggedInPage(browser, t.url, 'commander', '/', undefined, DESKTOP);
    await desk.page.click('[data-testid=ind-incidents]');
    await desk.page.waitForSelector('[data-testid=incident-row]');
    const sent = await t.http().post(`/api/drills/${drill.body.id}/dispatches`).set(auth()).send({ squadIds: [squad.id], title: '码头人员转移', lat: 24.8, lng: 118.68 });
    expect(sent.status).toBeLessThan(300);
    const drillIncident = (await t.http().get('/api/incidents?status=open&exercise=true').set(auth())).body[0].id as string;
    const row = `[data-testid=incident-row][data-incident-id="${drillIncident}"]`;
    await desk.page.check('[data-testid=show-drills]');
    await desk.page.waitForSelector(`${row}.exercise`);
    expect(await desk.page.textContent(`${row} .drill-badge`)).toContain('演练');
    // Off again (the default): gone from the list, and never counted among the open incidents.
    await desk.page.uncheck('[data-testid=show-drills]');
    await desk.page.waitForSelector(row, { state: 'detached' });
    const realOpen = (await t.http().get('/api/incidents?status=open&exercise=false').set(auth())).body.length;
    expect(await desk.page.getAttribute('[data-testid=ind-incidents]', 'data-value')).toBe(String(realOpen));
    await desk.context.close();
  });

  it('a squad returning too long: the alert names it and sets it available; the roster marks its time in status', async () => {
    await finishJob('SQ-042');
    await t.app.get(DataSource).query(`UPDATE squads SET status_changed_at = now() - interval '61 minutes' WHERE code = 'SQ-042'`);
    const desk = await loggedInPage(browser, t.url, 'commander', '/', undefined, DESKTOP);
    await desk.page.click('[data-testid=ind-alerts]');
    const alert = desk.page.locator('[data-testid=alert][data-type="squad.return_overdue"]');
    await alert.waitFor({ timeout: 10_000 });
    expect(await alert.textContent()).toMatch(/SQ-042 .+返回中 6\d 分钟/);

    await desk.page.click('[data-testid=tab-roster]');
    await desk.page.fill('[data-testid=roster-search]', 'SQ-042');
    const over = '[data-testid=roster-row][data-squad-code="SQ-042"][data-status=returning] td.over';
    await desk.page.waitForSelector(over);
    expect(await desk.page.textContent(over)).toContain('⚠');

    await desk.page.click('[data-testid=tab-alerts]');
    await alert.locator('[data-action=squad-status][data-status=available]').click();
    await alert.locator('[data-action=squad-status]').first().waitFor({ state: 'detached' });
    expect(await alert.textContent()).toContain('待命');
    await expect(squadStatus('SQ-042')).resolves.toBe('available');
    await desk.context.close();
  });
});
