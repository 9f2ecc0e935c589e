// bench report --ui's embedding, on the committed 16 MB study with pictures from a PNG fixture: no History Server, no
// JVM (the capture never runs in tests); the page is opened in headless Chromium to check the pictures decode under
// the report's CSP (img-src data:).
import { mkdtempSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../lib/paths.ts';
import { loadRun } from '../run/load.ts';
import { checkInBrowser } from '../../lib/browser.ts';
import { buildReport } from './html.ts';
import { pickRuns, type ReportPicture } from './ui.ts';

const study = join(REPO_ROOT, 'results', '2026-11-25-study-16mb');
const png = readFileSync(join(import.meta.dirname, 'fixtures', 'tiny.png'));
const pictures: ReportPicture[] = [
  { runKey: 'c02-pre-r1', page: 'jobs', png },
  { runKey: 'c02-pre-r1', page: 'stage', id: 39, png },
  { runKey: 'c02-pre-r1', page: 'sql', id: 2, png },
  { runKey: 'c02-post-r1', page: 'stage', id: 120, png },
];

describe('bench report --ui', () => {
  it('picks per job the first repeat of the fastest configuration and the stages its findings name', async () => {
    const picks = await pickRuns(await loadRun(study));
    expect(picks.map((p) => p.record.key).sort()).toEqual(['c02-post-r1', 'c02-pre-r1']);
    expect(picks.find((p) => p.record.job === 'pre')?.stageIds).toEqual([39, 35]); // the two spilling stages, worst first
    expect(picks.find((p) => p.record.job === 'post')?.stageIds).toEqual([120]); // the hot user
  });

  it('embeds the pictures as data: URIs under the findings of their run, each stage with its finding', async () => {
    const run = await loadRun(study);
    const html = await buildReport({ run, pictures });
    const findings = html.slice(html.indexOf('<h2>Findings'));
    expect(findings.match(/<img /g)).toHaveLength(4);
    const pre = findings.slice(findings.indexOf('<h3>pre · spark.sql.shuffle.partitions=8'));
    expect(pre.indexOf('Spark UI, jobs page')).toBeLessThan(pre.indexOf('Spark UI, stage 39'));
    expect(pre).toMatch(/Spark UI, stage 39 \(c02-pre-r1\) — spill: stage 39: spilled/);
    expect(findings).toContain(`src="data:image/png;base64,${png.toString('base64')}"`);
    expect(html).not.toMatch(/src="(?!data:)/);
    // Without pictures the report has none (and no capture ran).
    expect(await buildReport({ run })).not.toContain('<img');
  });

  it('the pictures decode in headless Chromium under the report CSP, with no requests', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-report-ui-'));
    const path = join(dir, 'report.html');
    await writeFile(path, await buildReport({ run: await loadRun(study), pictures }));
    try {
      const check = await checkInBrowser(path, join(dir, 'report.png'));
      expect(check.images).toHaveLength(4);
      expect(check.images.every((i) => i.naturalWidth === 8)).toBe(true);
      expect(check.consoleErrors).toEqual([]);
      expect(check.requests).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
