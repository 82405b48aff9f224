import type { Browser, Page } from 'playwright-core';
import { appAndBrowser, describeInBrowser } from '../helpers/browser.js';
import { DEMO_PASSWORD } from '../helpers/test-app.js';
import { createIncident, squadsByCode } from '../helpers/squads.js';

/** A page in English at a given size, logged in. */
async function englishPage(browser: Browser, url: string, username: string, path: string, viewport: { width: number; height: number }, ready: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: url, viewport });
  await context.route(/tile\.openstreetmap\.org/, (route) => route.abort());
  await context.addInitScript({ content: "localStorage.setItem('pingji.lang', 'en')" });
  const page = await context.newPage();
  await page.goto(path);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', DEMO_PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector(ready);
  return page;
}

const shot = async (page: Page, name: string) => {
  if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/${name}.png` });
};

// The three screens the README shows, in English: the phone card, the drills planner, the dashboard.
describeInBrowser('the phone card, the drills planner and the dashboard in English (browser)', () => {
  const ctx = appAndBrowser({ COMMAND_CENTER_PHONE: '0595-8888 1234' });

  it('a phone card in English names the job, where it is, the note, and offers a call and a map', async () => {
    const commander = await ctx.t.login('commander');
    const squad = (await squadsByCode(ctx.t, commander)).get('SQ-031')!;
    const incident = await createIncident(ctx.t, commander, { title: 'Fishing boat taking water, 3 people aboard', requiredSkills: ['water_rescue', 'first_aid'] });
    const phone = await englishPage(ctx.browser, ctx.t.url, 'leader-031', '/squad/', { width: 390, height: 844 }, '[data-testid=connection][data-state=connected]');
    const res = await ctx.t.http().post(`/api/incidents/${incident}/dispatches`).set('authorization', `Bearer ${commander}`)
      .send({ squadIds: [squad.id], note: 'Enter from the north pier; bring life jackets' });
    expect(res.status).toBe(201);
    await phone.waitForSelector('[data-testid=dispatch-card][data-status=pending]');
    expect(await phone.textContent('[data-testid=incident-facts]')).toMatch(/Rescue[\s\S]*Severe/);
    expect(await phone.textContent('[data-testid=required-skills]')).toContain('Water rescue');
    expect(await phone.textContent('[data-testid=landmark]')).toMatch(/near|area/);
    expect(await phone.textContent('[data-testid=call-command-center]')).toContain('Call the command center');
    await shot(phone, 'phone-card-en');

    const dashboard = await englishPage(ctx.browser, ctx.t.url, 'commander', '/', { width: 1440, height: 900 }, '[data-testid=connection][data-state=connected]');
    await dashboard.waitForSelector(`[data-testid=dispatch-row][data-dispatch-id="${res.body[0].id}"]`);
    await dashboard.waitForTimeout(1500);
    await shot(dashboard, 'dashboard-en');
    await phone.context().close();
    await dashboard.context().close();
  });

  it('the drills planner in English: plan form, month view, year selector, titled charts', async () => {
    const page = await englishPage(ctx.browser, ctx.t.url, 'coordinator', '/drills/', { width: 1440, height: 900 }, '[data-testid=drill-form]');
    await page.waitForSelector('[data-testid=chart-month] .row');
    expect(await page.textContent('[data-testid=chart-month] figcaption')).toBe('Drills and trainings per month');
    expect(await page.textContent('[data-testid=drill-form] h2')).toBe('Plan a drill');
    await page.fill('[data-testid=drill-form] [name=title]', 'Xiangzhi harbour night evacuation');
    await page.fill('[data-testid=drill-form] [name=scenario]', 'Typhoon landfall at night: evacuate the fishing harbour');
    await page.check('[data-testid=drill-form] [name=areas][value=xiangzhi]');
    await page.selectOption('[data-testid=squad-area]', 'xiangzhi');
    await page.selectOption('[data-testid=squad-skill]', 'water_rescue');
    await page.click('[data-action=select-shown]');
    const list = (await page.textContent('[data-testid=drill-list]'))!;
    expect(list).not.toMatch(/\b(planned|finished|running|cancelled)\b/);
    await shot(page, 'drills-planner-en');
    await page.context().close();
  });
});
