// bench analyze on real event logs that other projects committed (../shared/eventlogs-public/, sources in its
// README): lost executors, fetch failures and resubmitted map tasks, over-partitioned shuffles — and a control log
// on which these rules must stay quiet. Read in place, never copied into the repository.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../lib/paths.ts';
import { summarizeEventLog } from '../eventlog/index.ts';
import { analyzeSummary } from './analyze.ts';
import type { Finding, RuleId } from './types.ts';

const PUBLIC = process.env.INSIGHTS_PUBLIC_EVENTLOGS ?? join(REPO_ROOT, '..', 'shared', 'eventlogs-public');
const present = existsSync(join(PUBLIC, 'README.md'));
// The folder's README asks tests to skip, with a message, where it is absent (a clone outside /work has no
// ../shared). Where it must be there, INSIGHTS_REQUIRE_PUBLIC_EVENTLOGS=1 turns the skip into a failure.
const required = process.env.INSIGHTS_REQUIRE_PUBLIC_EVENTLOGS === '1';
if (!present) console.warn(`public-logs.test.ts: SKIPPED — no public event logs at ${PUBLIC} (set INSIGHTS_PUBLIC_EVENTLOGS)`);

describe.runIf(required)('the public event logs are required here (INSIGHTS_REQUIRE_PUBLIC_EVENTLOGS=1)', () => {
  it('finds them', () => {
    expect(present, `no public event logs at ${PUBLIC}: set INSIGHTS_PUBLIC_EVENTLOGS to the folder of ../shared/eventlogs-public/`).toBe(true);
  });
});

async function findings(name: string): Promise<Finding[]> {
  return analyzeSummary(await summarizeEventLog(join(PUBLIC, name)));
}
const of = (all: readonly Finding[], rule: RuleId): Finding[] => all.filter((f) => f.rule === rule);

describe.skipIf(!present)('bench analyze on public event logs', () => {
  it('rapids tasks_executors_fail: 2 executors lost, and stage 238 with fetch failures and 50 resubmitted map tasks', async () => {
    const all = await findings('rapids-tasks_executors_fail_compressed_eventlog.zstd');
    const [lost, ...moreLost] = of(all, 'executor-lost');
    expect(moreLost).toHaveLength(0);
    expect(lost?.severity).toBe('severe');
    expect(lost?.evidence).toMatchObject({ lostExecutors: 2, executors: 8, reasons: 'Executor Process Lost' });
    const fetch = of(all, 'fetch-failures');
    expect(fetch.map((f) => f.scope.stageId)).toEqual([238]);
    expect(fetch[0]?.evidence).toMatchObject({
      fetchFailedTasks: 2,
      executorLostTasks: 1,
      resubmittedTasks: 50,
      stageFailed: true,
      // executor 1's shuffle 54 output was unreachable, a task went down with executor 2, the map tasks had run on both
      fetchFailedFromExecutors: '1',
      fetchFailedShuffleIds: '54',
      lostWithExecutors: '2',
      resubmittedFromExecutors: '1,2',
    });
    expect(fetch[0]?.title).toBe(
      'stage 238: 2 fetch failures (output of executor 1), 1 task lost with executor 2, 50 map tasks resubmitted (first run on executor 1,2) — the stage failed',
    );
    expect(String(fetch[0]?.evidence.failureReason)).toMatch(/^org\.apache\.spark\.shuffle\.FetchFailedException/);
    expect(String(fetch[0]?.evidence.failureReason)).not.toContain('\n');
  });

  it('sagemaker sample: stage 3, 200 tasks reading at most 102 B each, is over-partitioned; its 6 cores would do', async () => {
    const over = of(await findings('sagemaker-sample_spark_event_logs'), 'over-partitioned');
    expect(over).toHaveLength(1);
    expect(over[0]?.scope).toMatchObject({ level: 'stage', stageId: 3 });
    // 522 B of shuffle need 1 partition of 64 MiB, but the stage had 6 cores: never fewer partitions than cores.
    expect(over[0]?.evidence).toMatchObject({ worstStageTasks: 200, partitionsBySize: 1, cores: 6, suggestedPartitions: 6, overPartitionedStages: 1 });
    expect(Number(over[0]?.evidence.worstStageShuffleReadBytes)).toBeLessThan(1024);
    expect(over[0]?.fix).toContain('spark.sql.shuffle.partitions to about 6');
  });

  it('many over-partitioned stages in one application make one finding with the largest count any of them needs', async () => {
    const over = of(await findings('rapids-tasks_executors_fail_compressed_eventlog.zstd'), 'over-partitioned');
    expect(over).toHaveLength(1);
    expect(over[0]?.scope.level).toBe('app');
    expect(Number(over[0]?.evidence.overPartitionedStages)).toBeGreaterThan(10);
    // 8 executors × 4 cores: the count is the cores, since no stage's shuffle fills even one 64 MiB partition.
    expect(over[0]?.evidence).toMatchObject({ partitionsBySize: 1, cores: 32, suggestedPartitions: 32 });
  });

  it('dynamic allocation releasing 57 executors (sparklint) is not a loss', async () => {
    const all = await findings('sparklint-application_1472176676028_407508_1');
    expect(of(all, 'executor-lost')).toHaveLength(0);
    expect(of(all, 'fetch-failures')).toHaveLength(0);
  });

  it('the control logs stay quiet: no lost executors, fetch failures or over-partitioning', async () => {
    for (const name of ['rapids-rolling/eventlog_v2_local-1623876083964', 'rapids-nds_q72_dataproc_2_2.zstd', 'rapids-aqeshuffle_eventlog.zstd']) {
      const rules = new Set((await findings(name)).map((f) => f.rule));
      for (const rule of ['executor-lost', 'fetch-failures', 'over-partitioned'] as const) expect(rules.has(rule), `${name}: ${rule}`).toBe(false);
    }
  });
});
