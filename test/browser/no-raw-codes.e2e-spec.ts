import type { Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { appAndBrowser, describeInBrowser, loggedInPage } from '../helpers/browser.js';
import { createIncident, leaderOf, squadsByCode } from '../helpers/squads.js';
import { DISPATCH_STATUSES, INCIDENT_KINDS, INCIDENT_SEVERITIES, INCIDENT_STATUSES } from '../../src/contracts/dispatch.js';
import { DRILL_KINDS, DRILL_STATUSES } from '../../src/contracts/drills.js';
import { SEVERITIES } from '../../src/contracts/events.js';
import { AREAS, FACILITY_TYPES, MODES } from '../../src/contracts/facilities.js';
import { SKILLS, SQUAD_STATUSES } from '../../src/contracts/squads.js';

// Functions, not strings, for what runs in the page (its CSP forbids eval); self-contained, as they are sent as source.
type Doc = {
  document: {
    title: string;
    body: { innerText: string };
    querySelectorAll(s: string): ArrayLike<{ getAttribute(a: string): string | null; tagName: string; className: string; dataset: Record<string, string | undefined> }>;
  };
  localStorage: { setItem(k: string, v: string): void };
};

/** Everything a person reads or hears on the page: the visible text, the title, and the labels and hints of its controls. */
function visibleTexts(): { where: string; text: string }[] {
  const { document } = globalThis as unknown as Doc;
  const out = [{ where: 'title', text: document.title }, { where: 'body', text: document.body.innerText }];
  const els = document.querySelectorAll('[title],[aria-label],[placeholder]');
  for (let i = 0; i < els.length; i++) {
    const el = els[i];
    for (const attr of ['title', 'aria-label', 'placeholder']) {
      const v = el.getAttribute(attr);
      if (v) out.push({ where: `${el.tagName.toLowerCase()}${el.dataset.testid ? `[data-testid=${el.dataset.testid}]` : ''}.${attr}`, text: v });
    }
  }
  return out;
}

const SNAKE = /\b[a-z]+(?:_[a-z]+)+\b/g;
const DOTTED = /\b[a-z]+\.[a-z_]+\b/g;
// Genuine non-codes: web addresses and API paths, and the names of downloadable files.
const ALLOWED = [/\bhttps?:\/\/\S+/g, /(?:^|\s)\/api\/\S*/g, /\b[\w-]+\.(?:csv|geojson|json|xml)\b/g];

/** The raw codes on the page now, each with where it was found and the text around it. */
async function rawCodes(page: Page, label: string): Promise<string[]> {
  const found: string[] = [];
  for (const { where, text } of await page.evaluate(visibleTexts)) {
    let clean = text;
    for (const a of ALLOWED) clean = clean.replace(a, ' ');
    if (label.startsWith('zh-CN')) {
      for (const m of clean.matchAll(/\b[a-z]+\b/g)) {
        if (!ONE_WORD_CODES.has(m[0])) continue;
        const at = m.index ?? 0;
        found.push(`${label} ${where}: "${m[0]}" in …${clean.slice(Math.max(0, at - 30), at + m[0].length + 30).replace(/\s+/g, ' ')}…`);
      }
    }
    for (const re of [SNAKE, DOTTED]) {
      for (const m of clean.matchAll(re)) {
        const at = m.index ?? 0;
        found.push(`${label} ${where}: "${m[0]}" in …${clean.slice(Math.max(0, at - 30), at + m[0].length + 30).replace(/\s+/g, ' ')}…`);
      }
    }
  }
  return found;
}

const LANGS = ['zh-CN', 'en'] as const;

// On a Chinese page a code that is one plain word (planned, baogai, training) is raw too: every value
// of the catalogue's enumerations, and the seeded area codes. Not the roles: the demo users are called
// commander, coordinator and viewer, and a username is a name.
const ONE_WORD_CODES = new Set<string>(
  [...DISPATCH_STATUSES, ...SQUAD_STATUSES, ...DRILL_STATUSES, ...DRILL_KINDS, ...INCIDENT_STATUSES, ...INCIDENT_KINDS, ...INCIDENT_SEVERITIES, ...MODES, ...SEVERITIES, ...SKILLS, ...FACILITY_TYPES, ...AREAS.map((a) => a.code)].filter(
    (c) => !c.includes('_'),
  ),
);

describeInBrowser('no raw codes on any page, in either language (browser)', () => {
  const ctx = appAndBrowser();
  let commander: string;

  beforeAll(async () => {
    commander = await ctx.t.login('commander');
    const coordinator = await ctx.t.login('coordinator');
    const squad = (await squadsByCode(ctx.t, commander)).get('SQ-018')!;
    // Something in every panel: an open incident with a dispatch, a planned drill.
    await dispatchTo('SQ-018');
    const drill = await ctx.t.http().post('/api/drills').set('authorization', `Bearer ${coordinator}`).send({
      title: '防汛转移演练', kind: 'drill', plannedStart: new Date(Date.now() + 3_600_000).toISOString(), plannedEnd: new Date(Date.now() + 7_200_000).toISOString(), squadIds: [squad.id],
    });
    expect(drill.status).toBe(201);
  });

  const dispatchTo = async (code: string) => {
    const squad = (await squadsByCode(ctx.t, commander)).get(code)!;
    const incident = await createIncident(ctx.t, commander, { title: `${code} 渔港救援` });
    const res = await ctx.t.http().post(`/api/incidents/${incident}/dispatches`).set('authorization', `Bearer ${commander}`).send({ squadIds: [squad.id] });
    expect(res.status).toBe(201);
  };

  /** A logged-in page in `lang` (as the switch leaves it: remembered in localStorage). */
  async function open(lang: (typeof LANGS)[number], username: string, path: string, ready: string) {
    const context = await ctx.browser.newContext({ baseURL: ctx.t.url });
    await context.route(/tile\.openstreetmap\.org/, (route) => route.abort());
    await context.addInitScript((l) => (globalThis as unknown as Doc).localStorage.setItem('pingji.lang', l), lang);
    const page = await context.newPage();
    await page.goto(path);
    await page.waitForSelector('[data-testid=login-form]');
    const problems = await rawCodes(page, `${lang} ${path} login`);
    await page.fill('input[name=username]', username);
    await page.fill('input[name=password]', 'pingji-demo');
    await page.click('button[type=submit]');
    await page.waitForSelector(ready);
    return { context, page, problems };
  }

  it('the dashboard, its panels and its login, in Chinese and in English', async () => {
    const problems: string[] = [];
    for (const lang of LANGS) {
      const { context, page, problems: atLogin } = await open(lang, 'commander', '/', '[data-testid=connection][data-state=connected]');
      problems.push(...atLogin);
      await page.waitForSelector('[data-testid=feed-item]');
      problems.push(...(await rawCodes(page, `${lang} / (map)`)));
      await page.click('[data-testid=ind-alerts]');
      for (const tab of ['alerts', 'incidents', 'roster', 'readiness']) {
        await page.click(`[data-testid=tab-${tab}]`);
        await page.waitForTimeout(300);
        problems.push(...(await rawCodes(page, `${lang} / tab ${tab}`)));
      }
      // A marker under the feed cannot be clicked by the mouse: the site panel opens on its click event.
      await page.$eval('[data-testid=facility-marker]', (el) => (el as unknown as { click(): void }).click());
      await page.waitForTimeout(500);
      problems.push(...(await rawCodes(page, `${lang} / site panel`)));
      await page.click('header [data-action=switchover]');
      await page.waitForTimeout(300);
      problems.push(...(await rawCodes(page, `${lang} / switchover dialog`)));
      await context.close();
    }
    expect(problems).toEqual([]);
  }, 240_000);

  it.each([
    ['/drills/', '[data-testid=drill-stats]'],
    ['/imports/', '[data-testid=imports-page]'],
  ])('the page %s, in Chinese and in English', async (path, ready) => {
    const problems: string[] = [];
    for (const lang of LANGS) {
      const { context, page, problems: atLogin } = await open(lang, 'commander', path, ready);
      problems.push(...atLogin);
      await page.waitForTimeout(500);
      problems.push(...(await rawCodes(page, `${lang} ${path}`)));
      await context.close();
    }
    expect(problems).toEqual([]);
  }, 240_000);

  it("the squad leader's phone with a dispatch, in Chinese and in English", async () => {
    const problems: string[] = [];
    for (const [lang, n] of [['zh-CN', '017'], ['en', '021']] as const) {
      await dispatchTo(`SQ-${n}`);
      const { context, page, problems: atLogin } = await open(lang, `leader-${n}`, '/squad/', '[data-testid=dispatch-card]');
      await page.waitForTimeout(1000);
      problems.push(...atLogin);
      problems.push(...(await rawCodes(page, `${lang} /squad/`)));
      await context.close();
    }
    expect(problems).toEqual([]);
  }, 240_000);

  it("a response plan under way: the Plans tab with a dry run, the 叫应与容量 tab, a site manager's /site/ and a standby leader's phone, in Chinese and in English", async () => {
    const auth = { authorization: `Bearer ${commander}` };
    const res = await ctx.t.http().post('/api/plans/typhoon/activations').set(auth).send({ level: 4, reason: '台风蓝色预警' });
    expect(res.status).toBe(201);
    const activation = res.body as { sites: { facilityId: string; switched: boolean }[]; standbySquads: string[] };
    const round = await ctx.t.http().post('/api/roll-calls').set(auth)
      .send({ message: '请确认阵地已开放', audience: { areas: ['xiangzhi'] }, answerWithinMinutes: 10 });
    expect(round.status).toBe(201);
    const [manager]: { username: string }[] = await ctx.t.app.get(DataSource).query(
      `SELECT u.username FROM user_facilities uf JOIN users u ON u.id = uf.user_id
       WHERE uf.facility_id = ANY($1::uuid[]) AND u.username LIKE 'mgr-%' ORDER BY u.username LIMIT 1`,
      [activation.sites.filter((s) => s.switched).map((s) => s.facilityId)],
    );
    expect(manager).toBeDefined();
    const standby = [...(await squadsByCode(ctx.t, commander)).values()].find((s) => activation.standbySquads.includes(s.id))!;
    const problems: string[] = [];
    for (const lang of LANGS) {
      const { context, page, problems: atLogin } = await open(lang, 'commander', '/', '[data-testid=connection][data-state=connected]');
      problems.push(...atLogin);
      await page.click('[data-testid=ind-alerts]');
      await page.click('[data-testid=tab-plans]');
      const panel = '[data-testid=plan-activation]';
      await page.waitForSelector(`${panel} [data-testid=activation-typhoon]`);
      await page.selectOption(`${panel} [data-testid=plan-code]`, 'rainstorm');
      await page.selectOption(`${panel} [data-testid=plan-level]`, '3');
      await page.fill(`${panel} [data-testid=plan-reason]`, '暴雨黄色预警');
      await page.click(`${panel} [data-testid=plan-dry-run]`);
      await page.waitForSelector(`${panel} [data-testid=plan-dry-result]`, { timeout: 15_000 });
      expect(await page.textContent(`${panel} [data-testid=plan-dry-result]`)).toMatch(lang === 'en' ? /sites to switch/ : /将转换/);
      problems.push(...(await rawCodes(page, `${lang} / tab plans (dry run)`)));
      await page.click('[data-testid=tab-rollCalls]');
      await page.waitForSelector('[data-testid=roll-call-round]');
      await page.waitForTimeout(300);
      problems.push(...(await rawCodes(page, `${lang} / tab rollCalls`)));
      await context.close();

      const site = await open(lang, manager.username, '/site/', '[data-testid=site-tasks] [data-testid=task]');
      problems.push(...site.problems);
      await site.page.waitForTimeout(500);
      expect(await site.page.textContent('[data-testid=site-tasks] [data-action=task-done]')).toBe(lang === 'en' ? 'Done' : '完成');
      expect(await site.page.textContent('[data-testid=lang-switch]')).toBe(lang === 'en' ? '中文' : 'English');
      problems.push(...(await rawCodes(site.page, `${lang} /site/`)));
      await site.context.close();

      const phone = await open(lang, leaderOf(standby.code), '/squad/', '[data-testid=standby-plan]');
      await phone.page.waitForTimeout(500);
      expect(await phone.page.textContent('[data-testid=standby]')).toMatch(lang === 'en' ? /Standby[\s\S]*Typhoon response plan level Ⅳ/ : /待命[\s\S]*台风/);
      problems.push(...(await rawCodes(phone.page, `${lang} /squad/ on standby`)));
      await phone.context.close();
    }
    expect(problems).toEqual([]);
  }, 240_000);

  it('one switch on every page, remembered; the dashboard keeps its feed across a switch', async () => {
    const { context, page } = await loggedInPage(ctx.browser, ctx.t.url, 'commander');
    await page.waitForSelector('[data-testid=feed-item]');
    const before = await page.$$eval('[data-testid=feed-item]', (items) => items.map((i) => (i as unknown as { dataset: { eventId: string } }).dataset.eventId));
    await page.click('[data-testid=lang-switch]');
    await page.waitForSelector('[data-testid=connection][data-state=connected]');
    await page.waitForFunction(() => (globalThis as unknown as { document: { documentElement: { lang: string } } }).document.documentElement.lang === 'en');
    await page.waitForSelector('[data-testid=feed-item]');
    const after = await page.$$eval('[data-testid=feed-item]', (items) => items.map((i) => (i as unknown as { dataset: { eventId: string } }).dataset.eventId));
    // The same events (the feed keeps its newest 200: events that came meanwhile push the oldest out).
    const oldestShown = BigInt(after.at(-1)!);
    expect(after).toEqual(expect.arrayContaining(before.filter((id) => BigInt(id) >= oldestShown)));
    expect(after.length).toBeGreaterThanOrEqual(before.length);
    expect(await page.textContent('[data-testid=lang-switch]')).toBe('中文');
    for (const [path, ready] of [['/drills/', '[data-testid=drill-stats]'], ['/imports/', '[data-testid=imports-page]']]) {
      await page.goto(path);
      await page.waitForSelector(ready);
      expect([path, await page.textContent('[data-testid=lang-switch]')]).toEqual([path, '中文']);
    }
    await context.close();
  }, 120_000);
});
