// Issue #5's validation on our own jobs: the committed 512 MB study's event logs (results/, real pre and post runs at
// the same configuration). analyze must flag pre's spilling aggregations and find no spill and no skew worth acting
// on (above "low") in post.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarizeEventLog } from '../eventlog/index.ts';
import { locateEventLogs } from './locate.ts';
import { analyzeSummary } from './index.ts';
import type { Severity } from './types.ts';
import { RESULTS_DIR } from '../../lib/paths.ts';

const STUDY = join(RESULTS_DIR, '2026-11-25-study-512mb-pre-post', 'eventlogs');
const RANK: Readonly<Record<Severity, number>> = { info: 0, low: 1, moderate: 2, severe: 3, critical: 4 };

async function analyzed(run: string) {
  const [log] = await locateEventLogs(join(STUDY, run), STUDY);
  const summary = await summarizeEventLog(log as string);
  return { summary, findings: analyzeSummary(summary) };
}

describe('analyze on the 512 MB study (pre vs post, same configuration)', () => {
  it("flags critical spill in pre's aggregation stages", async () => {
    const { summary, findings } = await analyzed('c01-pre-r1');
    const spills = findings.filter((f) => f.rule === 'spill' && f.severity === 'critical');
    expect(spills.length).toBeGreaterThanOrEqual(2);
    for (const f of spills) {
      const stage = summary.stages.find((s) => s.stageId === f.scope.stageId);
      expect(stage?.operators).toContain('HashAggregate');
    }
  });

  it('finds no spill and no skew above "low" in post', async () => {
    const { findings } = await analyzed('c01-post-r1');
    expect(findings.filter((f) => f.rule === 'spill')).toEqual([]);
    const skew = findings.filter((f) => f.rule === 'task-skew' && RANK[f.severity] > RANK.low);
    expect(skew.map((f) => f.title)).toEqual([]);
  });
});

describe("analyze says when a run overrode the post job's own settings (the 2 GB runs of 2026-12-02)", () => {
  async function postFindings(runId: string) {
    const dir = join(RESULTS_DIR, runId, 'eventlogs', 'c01-post-r1');
    const [log] = await locateEventLogs(dir, dir);
    return analyzeSummary(await summarizeEventLog(log as string)).filter((f) => f.rule === 'job-settings-overridden');
  }
  it("the grid with 8 fixed partitions (post 4.55× the floor) switched post's own event partitioning off", async () => {
    const [finding, ...more] = await postFindings('2026-12-02-jobs-2gb');
    expect(more).toEqual([]);
    expect(finding?.severity).toBe('moderate');
    expect(finding?.evidence).toMatchObject({ overriddenSettings: 1, keys: 'spark.sql.shuffle.partitions', passedValues: '8' });
  });
  it("the grid that leaves partitions to the job (post 3.38×) passed only spark.sql.adaptive.enabled=true, the job's own value", async () => {
    expect(await postFindings('2026-12-02-jobs-2gb-025840')).toEqual([]);
  });
});
