import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { appAndBrowser, describeInBrowser, loggedInPage } from '../helpers/browser.js';
import { postNotice } from '../helpers/events.js';

/** The page's sessionStorage, seen from the test (which has no DOM types). */
type Store = { sessionStorage: { setItem(k: string, v: string): void; getItem(k: string): string | null } };
const KEY = 'pingji.resume.viewer';

/**
 * The resume point is per tab (sessionStorage) and goes with the log's epoch: two tabs of one user
 * each get every event, and a tab holding an id from another log (a reset database) starts afresh.
 */
describeInBrowser('two tabs of one user, and a resume point from another log (browser)', () => {
  const ctx = appAndBrowser();
  let commander: string;
  beforeAll(async () => {
    commander = await ctx.t.login('commander');
  });

  const post = (title: string) => postNotice(ctx.t, commander, title);
  const feedIds = (page: Page) => page.$$eval('[data-testid=feed-item]', (els) => els.map((el) => el.getAttribute('data-event-id')));

  it('shows every event in both tabs of one user (one browser context: shared localStorage)', async () => {
    const { context, page: first } = await loggedInPage(ctx.browser, ctx.t.url, 'viewer');
    const second = await context.newPage();
    await second.goto('/');
    await second.waitForSelector('[data-testid=connection][data-state=connected]');

    const posted: string[] = [];
    for (let i = 0; i < 8; i++) posted.push(await post(`两个标签页 ${i}`));
    for (const page of [first, second]) {
      await page.waitForSelector(`[data-testid=feed-item][data-event-id="${posted.at(-1)}"]`, { timeout: 5000 });
      // Give a late event the time to show, then every one must be there, once.
      await page.waitForTimeout(200);
      const shown = await feedIds(page);
      for (const id of posted) expect(shown).toContain(id);
      expect(new Set(shown).size).toBe(shown.length);
    }
    // Each tab keeps its own resume point; a reload of one tab resumes from it and misses nothing.
    await second.reload();
    await second.waitForSelector('[data-testid=connection][data-state=connected]');
    const next = await post('重新加载之后');
    for (const page of [first, second]) await page.waitForSelector(`[data-event-id="${next}"]`, { timeout: 5000 });
    await context.close();
  });

  it('forgets a resume point from another epoch (a reset database): events below its id are shown', async () => {
    const { context, page } = await loggedInPage(ctx.browser, ctx.t.url, 'viewer');
    // This tab "remembers" an id far beyond this log, from another log: as after a database reset.
    await page.evaluate(([key, epoch]) => {
      (globalThis as unknown as Store).sessionStorage.setItem(key, JSON.stringify({ lastEventId: '999999999999', epoch }));
    }, [KEY, randomUUID()]);
    await page.reload();
    await page.waitForSelector('[data-testid=connection][data-state=connected]');
    const id = await post('数据库重置之后');
    await page.waitForSelector(`[data-testid=feed-item][data-event-id="${id}"]`, { timeout: 5000 });
    const stored = await page.evaluate((key) => JSON.parse((globalThis as unknown as Store).sessionStorage.getItem(key) ?? 'null'), KEY);
    const [{ epoch }] = await ctx.t.app.get(DataSource).query('SELECT epoch::text AS epoch FROM log_identity');
    // The new log's epoch and an id of it, the old one forgotten.
    expect(stored.epoch).toBe(epoch);
    expect(BigInt(stored.lastEventId)).toBeGreaterThanOrEqual(BigInt(id));
    expect(BigInt(stored.lastEventId)).toBeLessThan(999999999999n);
    await context.close();
  });
});
