import type { Browser, Page } from 'playwright-core';
import { describeInBrowser, launchBrowser, loggedInPage } from '../helpers/browser.js';
import { createIncident, leaderOf, squadsByCode } from '../helpers/squads.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

/** A code on screen: lower-case words joined by _ or . (water_rescue, stock.low). */
const RAW_CODE = /\b[a-z]+[._][a-z_.]+\b/;

describeInBrowser('the feed remembers and says what, where and who (browser)', () => {
  // The stock check runs soon after start (as it does within a minute in production): its alerts are what a command center meets first.
  const ctx = {} as { t: TestApp; browser: Browser };
  beforeAll(async () => {
    ctx.t = await startTestApp({ STOCK_CHECK_INTERVAL_MS: '300' });
    ctx.browser = await launchBrowser();
  });
  afterAll(async () => {
    await ctx.browser?.close();
    await ctx.t?.close();
  });

  const lines = (page: Page) => page.$$eval('[data-testid=feed-item] .what', (els) => els.map((el) => el.textContent ?? ''));
  const ids = (page: Page) => page.$$eval('[data-testid=feed-item]', (els) => els.map((el) => el.getAttribute('data-event-id')));

  it('shows the stock alerts of the start, a dispatch line naming squad and place, after a reload and after the language toggle', async () => {
    const viewer = await ctx.t.login('viewer');
    const stockEvents = async () => ((await ctx.t.http().get('/api/events?latest=true&limit=200').set('authorization', `Bearer ${viewer}`)).body as { type: string }[])
      .filter((e) => e.type.startsWith('stock.')).length;
    for (let i = 0; i < 100 && (await stockEvents()) < 50; i++) await new Promise((r) => setTimeout(r, 200));
    expect(await stockEvents()).toBeGreaterThanOrEqual(50);
    const { context, page } = await loggedInPage(ctx.browser, ctx.t.url, 'viewer');
    // The stock alerts raised at start are there at once, with site and item names.
    await page.waitForSelector('[data-testid=feed-item][data-type="stock.expiring"], [data-testid=feed-item][data-type="stock.low"]');
    const stock = await page.$$eval('[data-testid=feed-item][data-type^="stock."] .what', (els) => els.map((el) => el.textContent ?? ''));
    expect(stock.length).toBeGreaterThan(50);
    for (const line of stock) {
      expect(line).toMatch(/^.+：.+(过期|储备要求)/);
      expect(line).not.toMatch(RAW_CODE);
    }

    // A dispatch through its states, as the API does it.
    const commander = await ctx.t.login('commander');
    const squad = (await squadsByCode(ctx.t, commander)).get('SQ-017')!;
    const incident = await createIncident(ctx.t, commander, { title: '渔船进水', lat: 24.781, lng: 118.762 });
    const dispatched = await ctx.t.http().post(`/api/incidents/${incident}/dispatches`).set('authorization', `Bearer ${commander}`).send({ squadIds: [squad.id] });
    expect(dispatched.status).toBe(201);
    const leader = await ctx.t.login(leaderOf('SQ-017'));
    const ack = await ctx.t.http().post(`/api/dispatches/${dispatched.body[0].id}/ack`).set('authorization', `Bearer ${leader}`).send({ accept: true });
    expect(ack.status).toBeLessThan(300);
    await page.waitForSelector('[data-testid=feed-item][data-type="dispatch.accepted"]');
    const live = await lines(page);
    expect(live).toContain('SQ-017 已接受：祥芝镇 渔船进水');
    expect(live).toContain('SQ-017 已调度：祥芝镇 渔船进水，待确认');
    expect(live.some((l) => /^SQ-017 .+：待命 → 已指派$/.test(l))).toBe(true);
    expect(live.some((l) => l.startsWith('新事件 祥芝镇 渔船进水（严重）'))).toBe(true);
    for (const line of live) expect(line).not.toMatch(RAW_CODE);
    const before = await ids(page);
    expect(new Set(before).size).toBe(before.length);

    // A reload keeps everything, each once.
    await page.reload();
    await page.waitForSelector('[data-testid=connection][data-state=connected]');
    await page.waitForSelector('[data-testid=feed-item][data-type="dispatch.accepted"]');
    const after = await ids(page);
    expect(after).toEqual(before);

    // The language toggle: the same events, now in English.
    await page.click('[data-action=lang]');
    await page.waitForSelector('[data-testid=connection][data-state=connected]');
    await page.waitForSelector('[data-testid=feed-item][data-type="dispatch.accepted"]');
    expect(await ids(page)).toEqual(before);
    const english = await lines(page);
    expect(english).toContain('SQ-017 accepted: Xiangzhi Town 渔船进水');
    expect(english.some((l) => /^SQ-017 .+: Available → Assigned$/.test(l))).toBe(true);
    const stockEn = await page.$$eval('[data-testid=feed-item][data-type="stock.expiring"] .what', (els) => els.map((el) => el.textContent ?? ''));
    for (const line of stockEn) expect(line).toMatch(/expire on \d{4}-\d\d-\d\d$/);
    for (const line of english) expect(line).not.toMatch(RAW_CODE);
    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/feed-en.png` });
    await context.close();
  });
});
