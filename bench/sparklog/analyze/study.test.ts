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
