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
    // The year's statistics render as charts, with titles.
    await coordinator.page.waitForSelector('[data-testid=chart-month] .row');
    expect(await coordinator.page.$$eval('[data-testid=chart-month] .row', (rows) => rows.length)).toBe(12);
    expect(await coordinator.page.textContent('[data-testid=chart-month] figcaption')).toContain('每月');
    // The year selector offers the seeded years; the month view shows this drill today.
    expect(await coordinator.page.$$eval('[data-testid=year-select] option', (o) => o.length)).toBeGreaterThanOrEqual(2);
    await coordinator.page.waitForSelector(`[data-testid=calendar-drill][data-drill-id="${id}"]`);
    await coordinator.page.waitForSelector('[data-testid=live][data-state=connected]');

    // Started elsewhere (the API): the page follows the event, in words.
    await coordinator.page.waitForSelector('[data-testid=drill-status][data-status=planned]');
    expect(await coordinator.page.textContent(`[data-testid=drill-list] li[data-drill-id="${id}"]`)).toContain('已计划');
    await ctx.t.http().post(`/api/drills/${id}/start`).set('authorization', `Bearer ${coordinatorToken}`).send({});
    await coordinator.page.waitForSelector('[data-testid=drill-status][data-status=running]', { timeout: 5000 });
    await coordinator.page.waitForSelector(`[data-testid=drill-list] li[data-drill-id="${id}"][data-status=running]`, { timeout: 5000 });
    expect(await coordinator.page.textContent(`[data-testid=drill-list] li[data-drill-id="${id}"]`)).toContain('进行中');

    // The exercise dispatch goes to the chosen position and squads.
    await coordinator.page.fill('[data-testid=exercise-dispatch] [name=lat]', '24.7012');
    await coordinator.page.fill('[data-testid=exercise-dispatch] [name=lng]', '118.6543');
    await coordinator.page.click('[data-testid=exercise-dispatch] [data-action=send]');
    await phone.page.waitForSelector('[data-testid=dispatch-card][data-status=pending] [data-testid=drill-marker]', { timeout: 3000 });
    expect(await phone.page.textContent('[data-testid=drill-marker]')).toContain('演练');
    expect(await phone.page.getAttribute('[data-testid=map-link]', 'href')).toContain('24.701200');
    await phone.page.click('[data-action=accept]');
    await phone.page.waitForSelector('[data-testid=dispatch-card][data-status=accepted]');

    // The report follows live: seconds to acknowledge for SQ-090, charts titled with their unit.
    await coordinator.page.waitForSelector('[data-testid=chart-ack] .row[data-label="SQ-090"][data-value]:not([data-value=""])', { timeout: 5000 });
    const seconds = Number(await coordinator.page.getAttribute('[data-testid=chart-ack] .row[data-label="SQ-090"]', 'data-value'));
    expect(seconds).toBeGreaterThanOrEqual(0);
    expect(await coordinator.page.textContent('[data-testid=chart-ack] figcaption')).toContain('确认用时（秒）');
    expect(await coordinator.page.textContent('[data-testid=chart-arrive] figcaption')).toContain('到场用时（秒）');
    expect(await coordinator.page.textContent('[data-testid=drill-ack-median]')).toMatch(/\d/);
    await phone.context.close();
    await coordinator.context.close();
  });

  it('a coordinator plans a drill with a scenario, areas, local start and end, and squads found by area, skill and search', async () => {
    const coordinator = await loggedInPage(ctx.browser, ctx.t.url, 'coordinator', '/drills/', '[data-testid=drill-form]');
    const page = coordinator.page;
    await page.fill('[data-testid=drill-form] [name=title]', '祥芝渔港夜间转移演练');
    await page.selectOption('[data-testid=drill-form] [name=kind]', 'training');
    await page.fill('[data-testid=drill-form] [name=scenario]', '台风夜间登陆，渔港人员转移');
    await page.check('[data-testid=drill-form] [name=areas][value=xiangzhi]');
    const year = new Date().getFullYear();
    await page.fill('[data-testid=drill-form] [name=start]', `${year}-12-20T19:30`);
    await page.fill('[data-testid=drill-form] [name=end]', `${year}-12-20T21:00`);
    await page.selectOption('[data-testid=squad-area]', 'xiangzhi');
    const shown = await page.$$eval('[data-testid=squad-pick] label', (l) => l.length);
    expect(shown).toBeGreaterThan(0);
    await page.fill('[data-testid=squad-search]', 'SQ-0');
    await page.click('[data-action=select-shown]');
    const picked = Number((await page.textContent('[data-testid=squads-selected]'))!.match(/\d+/)![0]);
    expect(picked).toBeGreaterThan(0);
    await page.click('[data-testid=drill-form] > button');
    await page.waitForSelector('[data-testid=drill-detail] [data-testid=drill-status][data-status=planned]');
    expect(await page.textContent('[data-testid=drill-detail]')).toContain('台风夜间登陆');

    const token = await ctx.t.login('coordinator');
    const drills = (await ctx.t.http().get(`/api/drills?year=${year}`).set('authorization', `Bearer ${token}`)).body as { title: string; kind: string; areas: string[]; plannedStart: string; plannedEnd: string; squadIds: string[] }[];
    const drill = drills.find((d) => d.title === '祥芝渔港夜间转移演练')!;
    expect(drill.kind).toBe('training');
    expect(drill.areas).toEqual(['xiangzhi']);
    expect(drill.squadIds.length).toBe(picked);
    // The browser's local time, sent as the instant it means.
    const offset = await page.evaluate((y) => new Date(`${y}-12-20T19:30`).toISOString(), year);
    expect(drill.plannedStart).toBe(offset);
    expect(new Date(drill.plannedEnd).getTime() - new Date(drill.plannedStart).getTime()).toBe(90 * 60_000);
    // The month view shows December with it.
    expect(await page.textContent('[data-testid=calendar-month]')).toContain('12');
    expect(await page.textContent('[data-testid=drill-calendar]')).toContain('祥芝渔港夜间转移演练');
    await coordinator.context.close();
  });
});
