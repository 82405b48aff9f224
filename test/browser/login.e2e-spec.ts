import { appAndBrowser, describeInBrowser, loggedInPage } from '../helpers/browser.js';

// Functions, not strings, for what runs in the page (its CSP forbids eval); self-contained, as they are sent as source.
type Store = { localStorage: { setItem(k: string, v: string): void; getItem(k: string): string | null; removeItem(k: string): void } };

describeInBrowser('the login every page shares (browser)', () => {
  const ctx = appAndBrowser();

  it('the phone view names itself on its login form and refuses someone who leads no squad', async () => {
    const context = await ctx.browser.newContext({ baseURL: ctx.t.url });
    const page = await context.newPage();
    await page.goto('/squad/');
    expect(await page.textContent('[data-testid=login-form] h2')).toBe('平急 · 先锋队队长手机端');
    await page.fill('input[name=username]', 'viewer');
    await page.fill('input[name=password]', 'pingji-demo');
    await page.click('button[type=submit]');
    await page.waitForSelector('.phone-message');
    expect(await page.textContent('.phone-message')).toBe('此页面供先锋队队长使用。');
    await context.close();
  });

  it('a token the server refuses (401) brings the login form back', async () => {
    const { context, page } = await loggedInPage(ctx.browser, ctx.t.url, 'commander');
    expect(await page.$('[data-testid=login-form]')).toBeNull();
    await page.selectOption('[data-testid=facility-filters] select[name=area]', 'xiangzhi');
    // The session is over (the token refused and nothing to renew it with): the next request is refused.
    await page.evaluate(() => {
      const { localStorage } = globalThis as unknown as Store;
      localStorage.setItem('pingji.token', 'not-a-token');
      localStorage.removeItem('pingji.refreshToken');
    });
    await page.click('[data-testid=facility-marker] >> nth=0');
    await page.waitForSelector('[data-testid=login-form]');
    expect(await page.textContent('[data-testid=login-form] h2')).toBe('平急 · 指挥中心');
    expect(await page.evaluate(() => (globalThis as unknown as Store).localStorage.getItem('pingji.token'))).toBeNull();
    await context.close();
  });
});
