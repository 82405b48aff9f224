import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { appAndBrowser, describeInBrowser, loggedInPage } from '../helpers/browser.js';
import { leaderOf } from '../helpers/squads.js';

/** axe-core's own rules for WCAG 2.0 and 2.1, levels A and AA. */
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  rule: string;
  targets: string[];
}

/** What axe finds on the page as it is now: each broken rule with the elements that break it. */
async function violations(page: Page): Promise<Violation[]> {
  // The callbacks run in the page: its globals, typed here by hand (the tests have no DOM types).
  type Axe = { run: (context: unknown, options: object) => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> };
  type PageGlobals = { axe?: Axe; document: unknown };
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async (tags) => {
    const g = globalThis as unknown as PageGlobals;
    const result = await g.axe!.run(g.document, { runOnly: { type: 'tag', values: tags } });
    return result.violations.map((v) => ({ rule: v.id, targets: v.nodes.map((n) => n.target.join(' ')) }));
  }, WCAG_AA);
}

// Every page, as its user meets it (the dashboard with each of its drawer's tabs open). The pages'
// Content-Security-Policy forbids inline scripts, so the test's contexts bypass it to inject axe.
describeInBrowser('axe-core (WCAG 2 A/AA) finds nothing on any page (browser)', () => {
  const ctx = appAndBrowser();
  const open = (username: string, path: string, ready?: string) =>
    loggedInPage(ctx.browser, ctx.t.url, username, path, ready, { bypassCSP: true });

  it('the login page and the dashboard, with each tab of its operations drawer', async () => {
    const login = await ctx.browser.newContext({ bypassCSP: true, baseURL: ctx.t.url });
    const loginPage = await login.newPage();
    await loginPage.goto('/');
    await loginPage.waitForSelector('input[name=username]');
    expect(await violations(loginPage)).toEqual([]);
    await login.close();

    const { page, context } = await open('commander', '/');
    expect(await violations(page)).toEqual([]);
    await page.click('[data-testid=ind-alerts]');
    for (const tab of ['alerts', 'incidents', 'roster', 'readiness', 'plans', 'rollCalls']) {
      await page.click(`[data-testid=tab-${tab}]`);
      await page.waitForSelector(`#ops-panel-${tab}:not([hidden])`);
      expect({ tab, found: await violations(page) }).toEqual({ tab, found: [] });
    }
    await context.close();
  }, 90_000);

  it('the squad phone, the site manager page, the drills page and the imports page', async () => {
    const pages: [string, string, string | undefined][] = [
      [leaderOf('SQ-041'), '/squad/', undefined],
      ['mgr-xz-nc-01', '/site/', '[data-testid=site]'],
      ['coordinator', '/drills/', '[data-testid=drill-form]'],
      ['commander', '/imports/', '[data-testid=imports-page][data-socket=connected]'],
    ];
    for (const [username, path, ready] of pages) {
      const { page, context } = await open(username, path, ready);
      expect({ path, found: await violations(page) }).toEqual({ path, found: [] });
      await context.close();
    }
  }, 90_000);
});
