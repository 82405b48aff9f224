import { DataSource } from 'typeorm';
import { appAndBrowser, describeInBrowser, loggedInPage } from '../helpers/browser.js';

describeInBrowser('叫应 in Chromium: the commander asks, a manager answers on the phone, the rest are escalated (browser)', () => {
  const ctx = appAndBrowser();

  it("a roll call to Xiangzhi's site managers: one answers on /site/, the panel shows 1 answered and names the others, then escalates them", async () => {
    const { t, browser } = ctx;
    const commander = await t.login('commander');
    const desk = await loggedInPage(browser, t.url, 'commander');
    const phone = await loggedInPage(browser, t.url, 'mgr-xz-nc-01', '/site/');
    const other = await loggedInPage(browser, t.url, 'mgr-hb-nc-01', '/site/');
    await phone.page.waitForSelector('[data-testid=site][data-code="XZ-NC-01"]');
    expect(await phone.page.textContent('[data-testid=roll-calls]')).not.toContain('台风');

    const res = await t.http().post('/api/roll-calls').set('authorization', `Bearer ${commander}`)
      .send({ message: '台风红色预警：请确认阵地已开放', audience: { areas: ['xiangzhi'] }, answerWithinMinutes: 10 });
    expect(res.status).toBe(201);
    const { id, entries } = res.body as { id: string; entries: { username: string }[] };

    // The phone shows it live and answers with one tap; a manager of another area is not asked.
    const card = `[data-testid=roll-call][data-id="${id}"]`;
    await phone.page.waitForSelector(`${card} [data-action=answer]`, { timeout: 5000 });
    await phone.page.click(`${card} [data-action=answer]`);
    await phone.page.waitForSelector(`${card}:not(:has([data-action=answer]))`);
    await other.page.waitForTimeout(500);
    expect(await other.page.$(card)).toBeNull();

    // The commander's 叫应 tab: 1 answered of all, the others named.
    await desk.page.click('[data-testid=ind-alerts]');
    await desk.page.click('[data-testid=tab-rollCalls]');
    const round = `[data-testid=roll-call-round][data-id="${id}"]`;
    await desk.page.waitForSelector(round);
    expect(await desk.page.textContent(`${round} [data-testid=roll-call-count]`)).toContain(`1/${entries.length}`);
    const named = await desk.page.$$eval(`${round} [data-testid=unanswered]`, (els) => els.map((e) => e.textContent ?? ''));
    expect(named.length).toBe(entries.length - 1);
    expect(named.some((n) => n.includes('mgr-xz-nc-01'))).toBe(false);

    // The deadline passes (brought forward): the unanswered are escalated, and the panel marks them.
    await t.app.get(DataSource).query(`UPDATE roll_calls SET deadline = now() - interval '1 second' WHERE id = $1`, [id]);
    const marks = () => desk.page.$$eval(`${round} [data-testid=unanswered]`, (els) => els.map((e) => (e.textContent ?? '').includes('⚠')));
    const until = Date.now() + 10_000;
    while (!(await marks()).every(Boolean) && Date.now() < until) await desk.page.waitForTimeout(200);
    expect(await marks()).toEqual(named.map(() => true));
    for (const p of [desk, phone, other]) await p.context.close();
  }, 120_000);
});
