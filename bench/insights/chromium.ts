// Opens a report in Debian's chromium (playwright-core, fresh profile, no network) and records what the page did:
// every request, console errors, each chart's drawn marks, and a full-page screenshot. Used by the tests and by
// anyone refreshing docs/img/insights.png; it never leaves a browser running (the context closes in finally).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const chromiumFlags = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export interface PageCheck {
  requests: string[];
  consoleErrors: string[];
  charts: { id: string; marks: number; drawn: number }[];
  findings: number;
  screenshotPath: string;
}

/** Opens a report in headless chromium with a fresh profile, records what it did, saves a full-page screenshot. */
export async function checkInChromium(reportPath: string, screenshotPath: string): Promise<PageCheck> {
  const profile = mkdtempSync(join(tmpdir(), 'insights-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: chromiumFlags,
    viewport: { width: 1360, height: 900 },
  });
  try {
    const requests: string[] = [];
    const consoleErrors: string[] = [];
    context.on('request', (r) => requests.push(r.url()));
    const page = await context.newPage();
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    await page.goto(pathToFileURL(reportPath).href, { waitUntil: 'load' });
    const charts = await page.$$eval('svg.chart', (svgs) =>
      svgs.map((svg) => {
        const marks = [...svg.querySelectorAll(".mark")] as unknown as { getBBox(): { width: number; height: number } }[];
        const drawn = marks.filter((m) => {
          const b = m.getBBox();
          return b.width > 0 || b.height > 0;
        }).length;
        return { id: svg.getAttribute('data-chart') ?? '', marks: marks.length, drawn };
      }),
    );
    const findings = await page.$$eval('#findings li', (lis) => lis.length);
    await page.screenshot({ path: screenshotPath, fullPage: true });
    return { requests, consoleErrors, charts, findings, screenshotPath };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
