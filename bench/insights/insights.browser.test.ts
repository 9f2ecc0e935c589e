// The page in a real browser (Debian's chromium via playwright-core): it loads with no network request leaving the
// file, every chart draws marks, the console stays clean, and a screenshot is kept beside the report.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkInBrowser } from '../lib/browser.ts';
import { writeFixture } from './fixtures.ts';
import { writeInsightsReport } from './report.ts';

describe('insights page in headless chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'insights-browser-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads offline, draws every chart, logs no error, and leaves a screenshot beside the report', async () => {
    await writeFixture({ dir: join(dir, 'out') });
    const { reportPath, findings } = await writeInsightsReport({ outDir: join(dir, 'out') });
    const check = await checkInBrowser(reportPath, join(dir, 'out', 'insights.png'), { width: 1360, count: '#findings li' });

    expect(check.requests).toEqual([]); // nothing but the page itself
    expect(check.consoleErrors).toEqual([]);
    // 6 activity + 3 sessions + 3×3 segment + 2 quality + 2 versions/hot users
    expect(check.charts.map((c) => c.id)).toHaveLength(22);
    for (const c of check.charts) {
      expect(c.marks, `chart ${c.id} has marks`).toBeGreaterThan(0);
      expect(c.drawn, `chart ${c.id} draws visible marks`).toBe(c.marks);
    }
    expect(check.counted).toBe(findings.length);
    expect(existsSync(check.screenshot) && statSync(check.screenshot).size).toBeGreaterThan(20_000);
  });
});
