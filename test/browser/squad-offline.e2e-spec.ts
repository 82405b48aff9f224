import { DataSource } from 'typeorm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describeInBrowser, launchBrowser, loggedInPage } from '../helpers/browser.js';
import { createIncident, squadsByCode } from '../helpers/squads.js';
import { DEMO_PASSWORD, startTestApp, type TestApp } from '../helpers/test-app.js';

/** A test app (with `env`) and a Chromium for the describe block. */
function appWith(env: Record<string, string> = {}): { t: TestApp; browser: Browser; commander: string } {
  const ctx = {} as { t: TestApp; browser: Browser; commander: string };
  beforeAll(async () => {
    ctx.t = await startTestApp(env);
    ctx.browser = await launchBrowser();
    ctx.commander = await ctx.t.login('commander');
  });
  afterAll(async () => {
    await ctx.browser?.close();
    await ctx.t?.close();
  });
  return ctx;
}

async function dispatchTo(ctx: { t: TestApp; commander: string }, code: string): Promise<string> {
  const squad = (await squadsByCode(ctx.t, ctx.commander)).get(code)!;
  const incident = await createIncident(ctx.t, ctx.commander, { title: `${code} 离线测试` });
  const res = await ctx.t.http().post(`/api/incidents/${incident}/dispatches`).set('authorization', `Bearer ${ctx.commander}`).send({ squadIds: [squad.id] });
  expect(res.status).toBe(201);
  return res.body[0].id as string;
}

const statusOf = async (t: TestApp, id: string): Promise<string> =>
  (await t.app.get(DataSource).query('SELECT status FROM dispatches WHERE id = $1', [id]))[0].status;

/** The phone's service worker is installed and has kept the shell. */
async function shellKept(page: Page): Promise<void> {
  const scope = await page.evaluate<string>('navigator.serviceWorker.ready.then((registration) => registration.scope)');
  expect(new URL(scope).pathname).toBe('/squad/');
}

async function acceptOffline(context: BrowserContext, page: Page, id: string): Promise<void> {
  await page.waitForSelector(`[data-testid=dispatch-card][data-dispatch-id="${id}"][data-status=pending]`, { timeout: 3000 });
  await context.setOffline(true);
  await page.click('[data-action=accept]');
  await page.waitForSelector('[data-testid=queue]:not([hidden])');
}

async function logIn(page: Page, username: string): Promise<void> {
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', DEMO_PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=connection][data-state=connected]');
}

describeInBrowser('the phone view without network (browser)', () => {
  const ctx = appWith();

  it('after one online visit, /squad/ reopens offline from the service worker with its queued action, which is sent once back online', async () => {
    const { context, page } = await loggedInPage(ctx.browser, ctx.t.url, 'leader-017', '/squad/');
    await shellKept(page);
    const id = await dispatchTo(ctx, 'SQ-017');
    await acceptOffline(context, page, id);
    await page.close();

    // Reopened with no network: the app, not the browser's error page.
    const again = await context.newPage();
    const res = await again.goto('/squad/');
    expect(res?.fromServiceWorker()).toBe(true);
    await again.waitForSelector('.phone-header');
    expect(await again.textContent('.phone-header b')).toBe('先锋队');
    await again.waitForSelector('[data-testid=queue]:not([hidden])');
    expect(await again.textContent('[data-testid=queue]')).toContain('1');
    expect(await again.isVisible('[data-testid=login-form]')).toBe(false);
    // (Not asserted here that nothing left meanwhile: Chromium's offline emulation does not cover the
    // requests a service-worker-controlled page makes, so the queue may already get through.)

    await context.setOffline(false);
    await again.waitForSelector('[data-testid=queue]', { state: 'hidden', timeout: 15_000 });
    expect(await statusOf(ctx.t, id)).toBe('accepted');
    const accepted = await ctx.t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM events WHERE type = 'dispatch.accepted' AND dispatch_id = $1`, [id]);
    expect(accepted[0].n).toBe(1);
    await context.close();
  });

  it("two leaders in one browser: leader-018's queued accept is neither sent nor shown for leader-019, and is sent once leader-018 is back", async () => {
    const { context, page } = await loggedInPage(ctx.browser, ctx.t.url, 'leader-018', '/squad/');
    await shellKept(page);
    const id = await dispatchTo(ctx, 'SQ-018');
    await acceptOffline(context, page, id);

    // leader-018 logs out (still offline: the shell comes from the service worker) and leader-019 logs in.
    await page.click('[data-action=logout]');
    await page.waitForSelector('[data-testid=login-form]');
    await context.setOffline(false);
    const sent: string[] = [];
    context.on('request', (r) => r.method() === 'POST' && r.url().includes('/api/dispatches/') && sent.push(r.url()));
    await logIn(page, 'leader-019');
    // Longer than the queue's 5 s retry: it would have been sent by now.
    await page.waitForTimeout(6000);
    expect(sent).toEqual([]);
    expect(await statusOf(ctx.t, id)).toBe('pending');
    expect(await page.isVisible('[data-testid=queue]')).toBe(false);
    expect(await page.isVisible('[data-testid=refused]')).toBe(false);

    // Its owner back: the accept goes out with leader-018's own token and is applied.
    await page.click('[data-action=logout]');
    await page.waitForSelector('[data-testid=login-form]');
    await logIn(page, 'leader-018');
    await page.waitForSelector('[data-testid=queue]', { state: 'hidden', timeout: 15_000 });
    for (let i = 0; i < 50 && (await statusOf(ctx.t, id)) !== 'accepted'; i++) await page.waitForTimeout(200);
    expect(await statusOf(ctx.t, id)).toBe('accepted');
    expect(sent).toHaveLength(1);
    await context.close();
  });
});

describeInBrowser('a queued action the server refuses (browser)', () => {
  const ctx = appWith({ DISPATCH_ACK_TIMEOUT_SECONDS: '4' });

  it('an accept queued offline past the deadline is refused and shown in words until dismissed', async () => {
    const { context, page } = await loggedInPage(ctx.browser, ctx.t.url, 'leader-017', '/squad/');
    const id = await dispatchTo(ctx, 'SQ-017');
    await acceptOffline(context, page, id);
    await page.waitForTimeout(4500); // the deadline passes while the phone is offline

    await context.setOffline(false);
    const refusal = page.locator('[data-testid=refused-action]');
    await refusal.waitFor({ timeout: 15_000 });
    expect(await refusal.getAttribute('data-code')).toBe('DISPATCH.EXPIRED');
    expect(await refusal.textContent()).toContain('超时已改派');
    expect(await page.isVisible('[data-testid=queue]')).toBe(false);
    expect(await statusOf(ctx.t, id)).not.toBe('accepted');

    // It stays: on the next screen update, and after a reload.
    await page.waitForTimeout(6000);
    expect(await refusal.isVisible()).toBe(true);
    await page.reload();
    await page.waitForSelector('[data-testid=connection][data-state=connected]');
    await refusal.waitFor();

    await refusal.locator('[data-action=dismiss-refusal]').click();
    await refusal.waitFor({ state: 'detached' });
    await page.reload();
    await page.waitForSelector('[data-testid=connection][data-state=connected]');
    expect(await page.locator('[data-testid=refused-action]').count()).toBe(0);
    await context.close();
  });
});
