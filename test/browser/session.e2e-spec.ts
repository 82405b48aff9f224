import { JwtService } from '@nestjs/jwt';
import { launchBrowser, describeInBrowser, loggedInPage } from '../helpers/browser.js';
import { postNotice } from '../helpers/events.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import type { Browser } from 'playwright-core';

describeInBrowser('a session in Chromium: short tokens renewed, an ended session back at the login (browser)', () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    // Access tokens of 4 s: a page open for 10 s has outlived two of them.
    t = await startTestApp({ JWT_TTL: '4s' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const post = async (title: string) => postNotice(t, await t.login('commander'), title);

  it('keeps the dashboard live across expiring tokens, renews an expired one on load, and shows the login when the user is disabled', async () => {
    const { context, page } = await loggedInPage(browser, t.url, 'coordinator');
    await page.waitForTimeout(10_000);
    const id = await post('令牌过期之后 after two token lifetimes');
    await page.waitForSelector(`[data-testid=feed-item][data-event-id="${id}"]`, { timeout: 5000 });
    await page.waitForSelector('[data-testid=connection][data-state=connected]', { timeout: 5000 });
    expect(await page.$('[data-testid=login-form]')).toBeNull();

    // A stored access token that has expired: the page renews it instead of asking for a password.
    const me = await t.http().post('/api/auth/login').send({ username: 'coordinator', password: 'pingji-demo' });
    const expired = new JwtService({ secret: t.config.jwtSecret }).sign({
      sub: me.body.user.id, username: 'coordinator', role: 'coordinator', squadId: null, ver: 0, exp: Math.floor(Date.now() / 1000) - 60,
    });
    await page.evaluate(`localStorage.setItem('pingji.token', ${JSON.stringify(expired)})`);
    await page.reload();
    // A whole dashboard reload, renewal and replay: over 10 s once on a loaded two-core CI machine.
    await page.waitForSelector('[data-testid=connection][data-state=connected]', { timeout: 20_000 });
    expect(await page.$('[data-testid=login-form]')).toBeNull();
    expect(await page.evaluate("localStorage.getItem('pingji.token')")).not.toBe(expired);

    // Disabled by a commander: the socket is ended and the page goes back to the login, saying why.
    const commander = await t.login('commander');
    const disabled = await t.http().post(`/api/users/${me.body.user.id}/disable`).set('authorization', `Bearer ${commander}`);
    expect(disabled.status).toBe(200);
    await page.waitForSelector('[data-testid=login-form]', { timeout: 10_000 });
    expect(await page.textContent('[data-testid=session-ended]')).toContain('disabled');
    expect(await page.evaluate("[localStorage.getItem('pingji.token'), localStorage.getItem('pingji.refreshToken')]")).toEqual([null, null]);
    await context.close();
  });
});
