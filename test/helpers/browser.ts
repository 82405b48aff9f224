import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { DEMO_PASSWORD, startTestApp, type TestApp } from './test-app.js';

/** Debian's Chromium (apt-get install -y chromium); `npx playwright install` cannot work offline. */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

/** `describe` for browser tests: skipped, saying why, where no Chromium is installed. */
export const describeInBrowser = hasChromium ? describe : describe.skip;
if (!hasChromium) console.warn(`browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
      '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}

/** A fresh browser context (its own localStorage), logged in to the dashboard at `path`. */
export async function loggedInPage(
  browser: Browser,
  baseUrl: string,
  username: string,
  path = '/',
  readySelector = '[data-testid=connection][data-state=connected]',
  options: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ ...options, baseURL: baseUrl });
  // Map tiles cannot load here (no network): answer them with nothing, at once.
  await context.route(/tile\.openstreetmap\.org/, (route) => route.abort());
  const page = await context.newPage();
  await page.goto(path);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', DEMO_PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector(readySelector);
  return { context, page };
}

/** A test app and a Chromium for the whole describe block; both closed after it. */
export function appAndBrowser(env: Record<string, string> = {}): { t: TestApp; browser: Browser } {
  const ctx = {} as { t: TestApp; browser: Browser };
  beforeAll(async () => {
    ctx.t = await startTestApp(env);
    ctx.browser = await launchBrowser();
  });
  afterAll(async () => {
    await ctx.browser?.close();
    await ctx.t?.close();
  });
  return ctx;
}
