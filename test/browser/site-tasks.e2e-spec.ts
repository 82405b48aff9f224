import { DataSource } from 'typeorm';
import { appAndBrowser, describeInBrowser, loggedInPage } from '../helpers/browser.js';

describeInBrowser("A site manager's conversion tasks on /site/ (browser)", () => {
  const ctx = appAndBrowser();

  it('typhoon Ⅳ switches a site: its manager sees its open tasks, marks each done, and the site turns ready', async () => {
    const { t, browser } = ctx;
    const commander = await t.login('commander');
    const res = await t.http().post('/api/plans/typhoon/activations').set('authorization', `Bearer ${commander}`)
      .send({ level: 4, reason: '台风蓝色预警' });
    expect(res.status).toBe(201);
    const activation = res.body as { id: string; sites: { facilityId: string; code: string; switched: boolean }[] };
    const switched = activation.sites.filter((s) => s.switched).map((s) => s.facilityId);
    expect(switched.length).toBeGreaterThan(0);

    // A manager of one switched site (the demo managers are mgr- + their neighborhood center's code).
    const [manager]: { username: string; facility_id: string; code: string }[] = await t.app.get(DataSource).query(
      `SELECT u.username, uf.facility_id, f.code FROM user_facilities uf JOIN users u ON u.id = uf.user_id JOIN facilities f ON f.id = uf.facility_id
       WHERE uf.facility_id = ANY($1::uuid[]) AND u.username LIKE 'mgr-%' ORDER BY u.username, f.code LIMIT 1`,
      [switched],
    );
    expect(manager).toBeDefined();
    const open = await t.http().get(`/api/conversion-tasks?facilityId=${manager.facility_id}&status=open`).set('authorization', `Bearer ${commander}`);
    const taskIds = (open.body as { id: string }[]).map((k) => k.id);
    expect(taskIds.length).toBeGreaterThan(0);

    const phone = await loggedInPage(browser, t.url, manager.username, '/site/');
    const site = `[data-testid=site-tasks][data-code="${manager.code}"]`;
    await phone.page.waitForSelector(`${site} [data-testid=conversion][data-state=converting]`);
    for (const id of taskIds) {
      const task = `${site} [data-testid=task][data-id="${id}"]`;
      await phone.page.waitForSelector(`${task} [data-action=task-done]`);
      await phone.page.click(`${task} [data-action=task-done]`);
      await phone.page.waitForSelector(task, { state: 'detached' });
    }
    // Every task done: the site is ready, in words, and no task is left on the phone.
    await phone.page.waitForSelector(`${site} [data-testid=conversion][data-state=ready]`);
    expect(await phone.page.$$(`${site} [data-testid=task]`)).toHaveLength(0);
    expect(await phone.page.textContent(`${site} [data-testid=conversion]`)).toContain('已就绪');
    const after = await t.http().get(`/api/activations/${activation.id}`).set('authorization', `Bearer ${commander}`);
    expect((after.body as { sites: { facilityId: string; conversion: string }[] }).sites.find((s) => s.facilityId === manager.facility_id)?.conversion).toBe('ready');
    await phone.context.close();
  }, 120_000);
});
