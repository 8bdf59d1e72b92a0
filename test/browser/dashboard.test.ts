import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, testClock, type TestService } from '../helpers/test-service.js';
import { driveSyntheticTraffic } from '../reports/synthetic-traffic.js';

const CHROMIUM = '/usr/bin/chromium';
const OUTPUT_DIR = new URL('../output/', import.meta.url);
const available = existsSync(CHROMIUM);
if (!available && process.env['CI'] === 'true') throw new Error(`CI=true but ${CHROMIUM} is missing: .ci/run installs it`);
if (!available) console.warn(`Skipping the dashboard browser test: ${CHROMIUM} is not installed (apt-get install chromium).`);

describe.skipIf(!available)('the dashboard in headless Chromium', () => {
  const clock = testClock('2026-06-01T00:00:00.000Z');
  let service: TestService;
  let browser: Browser;

  beforeAll(async () => {
    service = await startTestService({ backend: 'embedded', now: clock.now });
    await driveSyntheticTraffic(service, clock, { surface: 'home', days: 7, decisionsPerDay: 120, seed: 'dashboard' });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it('shows every policy arm, draws the chart, the split and the leaderboard', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${service.url}/dashboard/`);
    await page.fill('#api-key', service.adminKey);
    await page.dispatchEvent('#api-key', 'change');
    await page.waitForSelector('#surface option[value="home"]', { state: 'attached' });
    await page.selectOption('#surface', 'home');
    await page.waitForSelector('#comparison tbody tr');

    const rows = await page.$$eval('#comparison tbody tr', (trs) => trs.map((tr) => tr.querySelector('td')?.textContent));
    expect(rows).toEqual(['linucb', 'lints', 'control (control)']);
    const lifts = await page.$$eval('#comparison tbody tr td:nth-child(8)', (tds) => tds.map((td) => td.textContent));
    expect(lifts[0]).toMatch(/%/);

    // uPlot draws on a canvas: some pixel of it must differ from the background.
    const inked = await page.$eval('#chart canvas', (canvas) => {
      const c = canvas as HTMLCanvasElement;
      const pixels = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let count = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) count++;
      return count;
    });
    expect(inked).toBeGreaterThan(1000);
    expect(await page.$$eval('.u-legend .u-series', (series) => series.length)).toBe(4);

    expect(await page.textContent('#srm')).toMatch(/split as configured|sample-ratio mismatch/);
    expect(await page.$$eval('#leaderboard tbody tr', (trs) => trs.length)).toBe(3);
    expect(errors).toEqual([]);

    await mkdir(OUTPUT_DIR, { recursive: true });
    await page.screenshot({ path: new URL('dashboard.png', OUTPUT_DIR).pathname, fullPage: true });
  });
});
