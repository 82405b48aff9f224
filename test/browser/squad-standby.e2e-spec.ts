import { appAndBrowser, describeInBrowser, loggedInPage } from '../helpers/browser.js';
import { leaderOf, squadsByCode } from '../helpers/squads.js';

describeInBrowser("待命 on the squad leader's phone when a plan puts the squad on standby (browser)", () => {
  const ctx = appAndBrowser();

  it('typhoon Ⅳ: the standby squad’s phone says 待命 with the plan and level, live; Ⅲ updates it; the stand-down clears it; others never see it', async () => {
    const { t, browser } = ctx;
    const commander = await t.login('commander');
    const auth = { authorization: `Bearer ${commander}` };
    const dry = await t.http().post('/api/plans/typhoon/activations').set(auth).send({ level: 4, reason: '台风蓝色预警', dryRun: true });
    expect(dry.status).toBe(200);
    const standbyIds = new Set((dry.body as { standbySquads: string[] }).standbySquads);
    const squads = [...(await squadsByCode(t, commander)).values()];
    const onStandby = squads.find((s) => standbyIds.has(s.id))!;
    const notOnStandby = squads.find((s) => !standbyIds.has(s.id))!;
    expect(onStandby).toBeDefined();
    expect(notOnStandby).toBeDefined();

    const phone = await loggedInPage(browser, t.url, leaderOf(onStandby.code), '/squad/');
    const other = await loggedInPage(browser, t.url, leaderOf(notOnStandby.code), '/squad/');
    await phone.page.waitForSelector('[data-testid=dispatch-card]');
    expect(await phone.page.isVisible('[data-testid=standby]')).toBe(false);

    const res = await t.http().post('/api/plans/typhoon/activations').set(auth).send({ level: 4, reason: '台风蓝色预警' });
    expect(res.status).toBe(201);
    const id = (res.body as { id: string }).id;
    await phone.page.waitForSelector(`[data-testid=standby-plan][data-id="${id}"][data-level="4"]`, { timeout: 5000 });
    const words = await phone.page.textContent('[data-testid=standby]');
    expect(words).toContain('待命');
    expect(words).toContain('台风');
    expect(words).toContain('Ⅳ');

    // A reload reads it back from GET /api/activations?active=true (a squad leader may read it).
    await phone.page.reload();
    await phone.page.waitForSelector(`[data-testid=standby-plan][data-id="${id}"][data-level="4"]`);

    expect((await t.http().post(`/api/activations/${id}/level`).set(auth).send({ level: 3, reason: '升级为黄色预警' })).status).toBe(200);
    await phone.page.waitForSelector(`[data-testid=standby-plan][data-id="${id}"][data-level="3"]`, { timeout: 5000 });
    expect(await phone.page.textContent('[data-testid=standby]')).toContain('Ⅲ');

    expect((await t.http().post(`/api/activations/${id}/stand-down`).set(auth).send({ reason: '台风已过境' })).status).toBe(200);
    await phone.page.waitForSelector('[data-testid=standby]', { state: 'hidden', timeout: 5000 });
    expect(await other.page.isVisible('[data-testid=standby]')).toBe(false);
    for (const p of [phone, other]) await p.context.close();
  }, 120_000);
});
