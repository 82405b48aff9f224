import { appAndBrowser, describeInBrowser, loggedInPage } from '../helpers/browser.js';

describeInBrowser('creating an incident on the map (browser)', () => {
  const ctx = appAndBrowser();

  it('places with a crosshair, cancels with the button or Esc, takes a marker click as the place, with checkbox skills and a moderate default', async () => {
    const token = await ctx.t.login('commander');
    const { context, page } = await loggedInPage(ctx.browser, ctx.t.url, 'commander');
    const cursor = () => page.$eval('#map', (el) => (globalThis as unknown as { getComputedStyle(e: unknown): { cursor: string } }).getComputedStyle(el).cursor);
    expect(await cursor()).not.toBe('crosshair');

    // Armed: a crosshair, a visible cancel; Esc disarms.
    await page.click('[data-action=new-incident]');
    await page.waitForSelector('[data-testid=placing-banner]');
    expect(await cursor()).toBe('crosshair');
    expect(await page.isVisible('[data-testid=placing-banner] [data-action=cancel-placing]')).toBe(true);
    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/placing.png` });
    await page.keyboard.press('Escape');
    expect(await page.$('[data-testid=placing-banner]')).toBeNull();
    expect(await cursor()).not.toBe('crosshair');
    // The cancel button disarms too: a map click afterwards creates nothing.
    await page.click('[data-action=new-incident]');
    await page.click('[data-testid=placing-banner] [data-action=cancel-placing]');
    expect(await page.$('[data-testid=placing-banner]')).toBeNull();
    await page.mouse.click(700, 500);
    expect(await page.isVisible('[data-testid=incident-panel]')).toBe(false);

    // A click on a site marker places the incident at the site, and does not open the site.
    await page.selectOption('[data-testid=facility-filters] select[name=area]', 'xiangzhi');
    await page.waitForSelector('[data-testid=facility-marker]');
    await page.click('[data-action=new-incident]');
    const facilityId = (await page.getAttribute('[data-testid=facility-marker] >> nth=0', 'data-facility-id'))!;
    await page.click(`[data-testid=facility-marker][data-facility-id="${facilityId}"]`);
    await page.waitForSelector('[data-testid=incident-panel]:not([hidden]) form');
    expect(await page.isVisible('[data-testid=site-panel]')).toBe(false);
    expect(await page.$('[data-testid=placing-banner]')).toBeNull();
    const site = (await ctx.t.http().get(`/api/facilities/${facilityId}`).set('authorization', `Bearer ${token}`)).body as { lat: number; lng: number };
    expect(await page.textContent('[data-testid=incident-panel] form .muted')).toBe(`${site.lat.toFixed(5)}, ${site.lng.toFixed(5)}`);

    // Severity defaults to moderate; skills are labelled checkboxes.
    expect(await page.inputValue('[data-testid=incident-panel] select[name=severity]')).toBe('moderate');
    expect(await page.$('[data-testid=incident-panel] select[multiple]')).toBeNull();
    await page.getByLabel('水上救援').check();
    await page.getByLabel('急救').check();
    await page.fill('[data-testid=incident-panel] input[name=title]', '阵地门口积水');
    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/incident-form.png` });
    await page.click('[data-testid=incident-panel] button[type=submit]');
    await page.waitForSelector('[data-testid=incident-panel] [data-testid=recommendation], [data-testid=incident-panel] h3');
    const open = (await ctx.t.http().get('/api/incidents?status=open').set('authorization', `Bearer ${token}`)).body as
      { title: string; severity: string; requiredSkills: string[]; lat: number; lng: number }[];
    const created = open.find((i) => i.title === '阵地门口积水')!;
    expect(created.severity).toBe('moderate');
    expect([...created.requiredSkills].sort()).toEqual(['first_aid', 'water_rescue']);
    expect(created.lat).toBeCloseTo(site.lat, 6);
    expect(created.lng).toBeCloseTo(site.lng, 6);

    // A click on the map itself still places it there.
    await page.click('[data-testid=incident-panel] [data-action=close]');
    await page.click('[data-action=new-incident]');
    const box = (await page.$('#map'))!;
    const rect = (await box.boundingBox())!;
    await page.mouse.click(rect.x + 200, rect.y + rect.height - 60);
    await page.waitForSelector('[data-testid=incident-panel]:not([hidden]) form');
    expect(await page.textContent('[data-testid=incident-panel] form .muted')).toMatch(/^\d+\.\d{5}, \d+\.\d{5}$/);
    await context.close();
  });
});
