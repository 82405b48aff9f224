import type { Page } from 'playwright-core';
import { appAndBrowser, describeInBrowser, loggedInPage } from '../helpers/browser.js';

describeInBrowser('switchover on the dashboard in Chromium (browser)', () => {
  const ctx = appAndBrowser();

  const showArea = async (page: Page, area: string) => {
    await page.selectOption('[data-testid=facility-filters] select[name=area]', area);
    await page.waitForSelector('[data-testid=facility-marker]');
  };
  const modes = (page: Page) =>
    page.$$eval('[data-testid=facility-marker]', (els) => els.map((el) => el.getAttribute('data-mode')));

  it('the commander switches Xiangzhi to emergency; a viewer sees its markers turn red without reload', async () => {
    const viewer = await loggedInPage(ctx.browser, ctx.t.url, 'viewer');
    await showArea(viewer.page, 'xiangzhi');
    const xiangzhiCount = (await modes(viewer.page)).length;
    expect(xiangzhiCount).toBeGreaterThan(10);
    expect(new Set(await modes(viewer.page))).toEqual(new Set(['normal']));
    // A viewer has no switch controls.
    expect(await viewer.page.isVisible('[data-action=switchover]')).toBe(false);

    const commander = await loggedInPage(ctx.browser, ctx.t.url, 'commander');
    await commander.page.click('[data-action=switchover]');
    await commander.page.selectOption('[data-testid=switchover-dialog] select[name=scope]', 'area');
    await commander.page.selectOption('[data-testid=switchover-dialog] select[name=area]', 'xiangzhi');
    await commander.page.selectOption('[data-testid=switchover-dialog] select[name=mode]', 'emergency');
    // The dialog says how many sites will change before anyone confirms.
    expect(await commander.page.textContent('[data-testid=switchover-preview]')).toContain(String(xiangzhiCount));
    await commander.page.fill('[data-testid=switchover-dialog] textarea[name=reason]', '台风橙色预警，祥芝镇转入应急');
    const started = Date.now();
    await commander.page.click('[data-testid=switchover-dialog] [data-action=confirm]');

    // A function, not a string: the page's CSP forbids eval.
    await viewer.page.waitForFunction(
      (n) => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('[data-testid=facility-marker][data-mode=emergency]').length === n,
      xiangzhiCount,
      { timeout: 5000 },
    );
    expect(Date.now() - started).toBeLessThan(3000);
    expect(new Set(await modes(viewer.page))).toEqual(new Set(['emergency']));
    await viewer.page.waitForSelector('[data-testid=feed-item]');
    if (process.env.SCREENSHOT_DIR) await viewer.page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/switchover-viewer.png` });

    // The site panel shows the new mode and the history entry.
    await viewer.page.click('[data-testid=facility-marker] >> nth=0');
    await viewer.page.waitForSelector('[data-testid=site-panel]:not([hidden]) [data-testid=site-mode]');
    expect(await viewer.page.textContent('[data-testid=site-panel]')).toContain('台风橙色预警');
    if (process.env.SCREENSHOT_DIR) await viewer.page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/site-panel.png` });
    await viewer.context.close();
    await commander.context.close();
  });
});
