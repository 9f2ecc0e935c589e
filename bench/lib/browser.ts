// Opens a report in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core), reports what rendered,
// every console error and every network request, and saves a full-page screenshot. Used by the report test and by
// `bench report --screenshot`. A fresh user-data-dir each time: no profile state leaks between runs.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface RenderedChart {
  readonly id: string;
  readonly width: number;
  readonly height: number;
  /** Drawn data marks (class="mark") with non-zero area. */
  readonly marks: number;
  /** The chart says all its values are zero (no marks expected). */
  readonly allZero: boolean;
}

export interface RenderedImage {
  readonly alt: string;
  /** 0 when the browser could not decode the picture (or the CSP blocked it). */
  readonly naturalWidth: number;
}

export interface BrowserCheck {
  readonly charts: readonly RenderedChart[];
  readonly images: readonly RenderedImage[];
  readonly consoleErrors: readonly string[];
  /** Every request other than the report file itself. A self-contained report makes none. */
  readonly requests: readonly string[];
  readonly screenshot: string;
}

export async function checkInBrowser(htmlPath: string, screenshotPath: string): Promise<BrowserCheck> {
  const { chromium } = await import('playwright-core');
  const userDataDir = await mkdtemp(join(tmpdir(), 'bench-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, viewport: { width: 1200, height: 900 } });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const url = pathToFileURL(resolve(htmlPath)).href;
    const consoleErrors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    context.on('request', (r) => {
      if (r.url() !== url) requests.push(r.url());
    });
    await page.goto(url, { waitUntil: 'load' });
    const charts = await page.$$eval('svg.chart', (svgs) =>
      svgs.map((svg) => {
        const box = svg.getBoundingClientRect();
        const marks = [...svg.querySelectorAll('.mark')].filter((m) => {
          const b = m.getBoundingClientRect();
          return b.width > 0 && b.height > 0;
        }).length;
        return { id: svg.getAttribute('data-chart') ?? '', width: box.width, height: box.height, marks, allZero: svg.getAttribute('data-all-zero') === 'true' };
      }),
    );
    const images = await page.$$eval('img', (imgs) => imgs.map((img) => ({ alt: img.alt, naturalWidth: img.naturalWidth })));
    await page.screenshot({ path: screenshotPath, fullPage: true });
    return { charts, images, consoleErrors, requests, screenshot: screenshotPath };
  } finally {
    await context.close();
    await rm(userDataDir, { recursive: true, force: true });
  }
}
