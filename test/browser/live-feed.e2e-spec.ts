import { appAndBrowser, describeInBrowser, loggedInPage } from '../helpers/browser.js';
import { postNotice } from '../helpers/events.js';

describeInBrowser('dashboard live feed in Chromium (browser)', () => {
  const ctx = appAndBrowser();
  let commander: string;
  beforeAll(async () => {
    commander = await ctx.t.login('commander');
  });

  const post = (title: string) => postNotice(ctx.t, commander, title);

  it('shows an event created through the API within 2 s, and after going offline shows each missed event exactly once', async () => {
    const { context, page } = await loggedInPage(ctx.browser, ctx.t.url, 'viewer');
    await page.waitForSelector('[data-testid=feed]');

    const first = await post('台风蓝色预警 <测试> & "引号"');
    await page.waitForSelector(`[data-testid=feed-item][data-event-id="${first}"]`, { timeout: 2000 });
    expect(await page.textContent(`[data-event-id="${first}"] .what`)).toContain('台风蓝色预警 <测试> & "引号"');

    await context.setOffline(true);
    await page.waitForSelector('[data-testid=connection]:not([data-state=connected])', { timeout: 30_000 });
    const missed = [await post('离线期间 1'), await post('离线期间 2'), await post('离线期间 3')];
    // Really cut off: nothing arrives while offline; what follows comes through replay.
    await page.waitForTimeout(500);
    expect(await page.$(`[data-event-id="${missed[0]}"]`)).toBeNull();
    await context.setOffline(false);
    await page.waitForSelector(`[data-event-id="${missed[2]}"]`, { timeout: 20_000 });
    await page.waitForSelector('[data-testid=connection][data-state=connected]');

    const shown = await page.$$eval('[data-testid=feed-item]', (els) => els.map((el) => el.getAttribute('data-event-id')));
    // Newest first, each exactly once (older events the feed loaded at login follow).
    expect(shown.slice(0, 4)).toEqual([...missed].reverse().concat(first));
    expect(new Set(shown).size).toBe(shown.length);

    // A reload keeps the feed (it loads the recent events) and resumes from the stored id: nothing is
    // shown twice, the next event arrives.
    await page.reload();
    await page.waitForSelector('[data-testid=connection][data-state=connected]');
    const next = await post('重新加载之后');
    await page.waitForSelector(`[data-event-id="${next}"]`, { timeout: 2000 });
    const afterReload = await page.$$eval('[data-testid=feed-item]', (els) => els.map((el) => el.getAttribute('data-event-id')));
    expect(afterReload.slice(0, 5)).toEqual([next, ...[...missed].reverse(), first]);
    expect(new Set(afterReload).size).toBe(afterReload.length);
    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/live-feed.png` });
    await context.close();
  });
});
