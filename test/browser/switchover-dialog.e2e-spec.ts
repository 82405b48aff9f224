import { appAndBrowser, describeInBrowser, loggedInPage } from '../helpers/browser.js';

const RAW_CODE = /\b[a-z]+_[a-z_]+\b|\b(blanket|water|rice|flashlight|raincoat)\b/;

describeInBrowser('a safe switchover dialog (browser)', () => {
  const ctx = appAndBrowser();
  const dlg = '[data-testid=switchover-dialog]';

  it('takes its scope from the map filter, shows only that scope, names the shortfalls, and says what happened', async () => {
    const token = await ctx.t.login('commander');
    const xiangzhi = (await ctx.t.http().get('/api/facilities?area=xiangzhi').set('authorization', `Bearer ${token}`)).body as { id: string }[];
    const { context, page } = await loggedInPage(ctx.browser, ctx.t.url, 'commander', '/', '[data-testid=connection][data-state=connected]', { viewport: { width: 1440, height: 900 } });
    await page.selectOption('[data-testid=facility-filters] select[name=area]', 'xiangzhi');
    await page.waitForSelector('[data-testid=facility-marker]');
    await page.click('[data-action=switchover]');

    // Prefilled from the filter; the type field is not shown for an area.
    expect(await page.inputValue(`${dlg} select[name=scope]`)).toBe('area');
    expect(await page.inputValue(`${dlg} select[name=area]`)).toBe('xiangzhi');
    expect(await page.isVisible(`${dlg} select[name=area]`)).toBe(true);
    expect(await page.isVisible(`${dlg} select[name=type]`)).toBe(false);
    expect(await page.inputValue(`${dlg} select[name=mode]`)).toBe('emergency');
    expect(await page.textContent('[data-testid=switchover-preview]')).toBe(`将有 ${xiangzhi.length} 个阵地转入急时（范围内共 ${xiangzhi.length} 个，其余已是急时）`);

    // The shortfalls before confirming, in words: site, item, have/need.
    await page.waitForSelector(`${dlg} [data-testid=switchover-readiness] [data-testid=shortfall]`);
    const short = await page.$$eval(`${dlg} [data-testid=switchover-readiness] [data-testid=shortfall]`, (els) => els.map((el) => el.textContent ?? ''));
    expect(short.length).toBeGreaterThan(0);
    for (const line of short) {
      expect(line).toMatch(/^祥芝镇.+：.+现有 \d+，需 \d+/);
      expect(line).not.toMatch(RAW_CODE);
    }
    expect(await page.textContent(`${dlg} [data-testid=switchover-readiness] h3`)).toBe(`范围内 ${short.length} / ${xiangzhi.length} 个阵地储备不足：`);
    await page.fill(`${dlg} textarea[name=reason]`, '台风橙色预警');
    if (process.env.DOCS_SCREENSHOTS) await page.screenshot({ path: 'docs/switchover-dialog.png' });

    await page.click(`${dlg} [data-action=confirm]`);
    await page.waitForSelector('[data-testid=switchover-result]:not([hidden]) [data-testid=switchover-done]');
    expect(await page.textContent('[data-testid=switchover-done]')).toContain(`已转换 ${xiangzhi.length} 个阵地为急时`);
    expect(await page.getAttribute('[data-testid=switchover-done]', 'data-switched')).toBe(String(xiangzhi.length));
    const after = await page.$$eval('[data-testid=switchover-result] [data-testid=shortfall]', (els) => els.map((el) => el.textContent ?? ''));
    expect(after).toEqual(short);
    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/switchover-done.png` });
    await page.click('[data-testid=switchover-result] [data-action=close]');
    expect(await page.isVisible(dlg)).toBe(false);

    // Opened again on the area, now all in emergency: the target is normal.
    await page.click('[data-action=switchover]');
    expect(await page.inputValue(`${dlg} select[name=mode]`)).toBe('normal');
    // A type scope shows the type field only, and the target follows it (not all of a type are in emergency).
    await page.selectOption(`${dlg} select[name=scope]`, 'type');
    expect(await page.isVisible(`${dlg} select[name=type]`)).toBe(true);
    expect(await page.isVisible(`${dlg} select[name=area]`)).toBe(false);
    expect(await page.inputValue(`${dlg} select[name=mode]`)).toBe('emergency');
    await page.click(`${dlg} button[value=cancel]`);

    // From a site in emergency: the site's scope and the opposite mode.
    await page.waitForSelector('[data-testid=facility-marker][data-mode=emergency]');
    await page.click('[data-testid=facility-marker][data-mode=emergency] >> nth=0');
    await page.click('[data-testid=site-panel]:not([hidden]) [data-action=switch]');
    expect(await page.inputValue(`${dlg} select[name=scope]`)).toBe('site');
    expect(await page.inputValue(`${dlg} select[name=mode]`)).toBe('normal');
    expect(await page.isVisible(`${dlg} select[name=area]`)).toBe(false);
    expect(await page.isVisible(`${dlg} select[name=type]`)).toBe(false);
    expect(await page.textContent('[data-testid=switchover-preview]')).toContain('将有 1 个阵地转入平时');
    await page.fill(`${dlg} textarea[name=reason]`, '预警解除');
    await page.click(`${dlg} [data-action=confirm]`);
    await page.waitForSelector('[data-testid=switchover-result]:not([hidden]) [data-testid=switchover-done]');
    expect(await page.textContent('[data-testid=switchover-done]')).toContain('已转换 1 个阵地为平时');
    await context.close();
  });

  it('takes a type from the map filter, and refuses to confirm a switch that changes nothing', async () => {
    const { context, page } = await loggedInPage(ctx.browser, ctx.t.url, 'commander');
    await page.selectOption('[data-testid=facility-filters] select[name=type]', 'warm_station');
    await page.click('[data-action=switchover]');
    expect(await page.inputValue(`${dlg} select[name=scope]`)).toBe('type');
    expect(await page.inputValue(`${dlg} select[name=type]`)).toBe('warm_station');
    expect(await page.isVisible(`${dlg} select[name=area]`)).toBe(false);
    await page.selectOption(`${dlg} select[name=scope]`, 'area');
    await page.selectOption(`${dlg} select[name=area]`, 'hubin');
    await page.selectOption(`${dlg} select[name=mode]`, 'normal');
    // Every site of Hubin is in peacetime: nothing would change.
    expect(await page.textContent('[data-testid=switchover-preview]')).toMatch(/^将有 0 个阵地转入平时/);
    expect(await page.isDisabled(`${dlg} [data-action=confirm]`)).toBe(true);
    await context.close();
  });
});
