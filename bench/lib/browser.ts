// bench's one browser launcher: Debian's /usr/bin/chromium, driven by playwright-core, headless, offline flags, a fresh
// user-data-dir each time (no profile state leaks between runs), never left running (closed in finally).
// checkInBrowser opens a page (the run report, the insights page), reports what rendered, every console error and
// every network request, and saves a full-page screenshot: the report and insights tests, `bench report
// --screenshot`, and anyone refreshing docs/img/insights.png. The Spark UI capture launches with the same constants.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface RenderedChart {
  readonly id: string;
  readonly width: number;
  readonly height: number;
  /** Data marks (class="mark") in the chart. */
  readonly marks: number;
  /** Of those, the ones the browser drew with a non-zero extent (a flat line has width but no height). */
  readonly drawn: number;
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
  /** Elements matching options.count (0 without it). */
  readonly counted: number;
}

export interface BrowserCheckOptions {
  /** Viewport width in CSS pixels (default 1200). */
  readonly width?: number;
  /** A CSS selector whose matches to count, e.g. "#findings li". */
  readonly count?: string;
}

export async function checkInBrowser(htmlPath: string, screenshotPath: string, options: BrowserCheckOptions = {}): Promise<BrowserCheck> {
  const { chromium } = await import('playwright-core');
  const userDataDir = await mkdtemp(join(tmpdir(), 'bench-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: options.width ?? 1200, height: 900 },
  });
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
        const marks = [...svg.querySelectorAll('.mark')];
        const drawn = marks.filter((m) => {
          const b = m.getBoundingClientRect();
          return b.width > 0 || b.height > 0;
        }).length;
        return {
          id: svg.getAttribute('data-chart') ?? '',
          width: box.width,
          height: box.height,
          marks: marks.length,
          drawn,
          allZero: svg.getAttribute('data-all-zero') === 'true',
        };
      }),
    );
    const images = await page.$$eval('img', (imgs) => imgs.map((img) => ({ alt: img.alt, naturalWidth: img.naturalWidth })));
    const counted = options.count === undefined ? 0 : await page.$$eval(options.count, (els) => els.length);
    await page.screenshot({ path: screenshotPath, fullPage: true });
    return { charts, images, consoleErrors, requests, screenshot: screenshotPath, counted };
  } finally {
    await context.close();
    await rm(userDataDir, { recursive: true, force: true });
  }
}
