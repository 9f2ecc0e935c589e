// Findings from the SQL plans: sort-merge joins that could broadcast, broadcasts too big, what AQE changed.

import type { AppSummary, SqlExecution } from '../../eventlog/types.ts';
import { measuredSize, parsePlan, walk, type PlanNode } from '../plan-tree.ts';
import { THRESHOLDS } from '../thresholds.ts';
import type { Finding, FindingScope } from '../types.ts';
import { bytes } from '../../../lib/format.ts';
import { parseSize } from '../../../lib/sizes.ts';

function count(root: PlanNode | undefined, test: (n: PlanNode) => boolean): number {
  let n = 0;
  walk(root, (node) => {
    if (test(node)) n += 1;
  });
  return n;
}

export function planFindings(summary: AppSummary, sql: SqlExecution): Finding[] {
  const out: Finding[] = [];
  const jobIds = summary.jobs.filter((j) => j.sqlExecutionId === sql.executionId).map((j) => j.jobId);
  const scope: FindingScope = { level: 'sql', sqlExecutionId: sql.executionId, jobIds };
  const final = parsePlan(sql.finalPlan ?? sql.physicalPlan);
  const initial = sql.finalPlan !== undefined ? final.initial : parsePlan(sql.physicalPlan).current;
  const label = `SQL ${sql.executionId}`;
  // -1 (broadcast joins off) parses as no size: the default bound stands.
  const setting = summary.sparkProperties['spark.sql.autoBroadcastJoinThreshold'];
  const configured = setting === undefined ? undefined : parseSize(setting);
  const broadcastable = Math.max(THRESHOLDS.broadcast.broadcastableBytes, configured ?? 0);

  const reportedBroadcasts = new Set<string>();
  walk(final.current, (node) => {
    if (node.name.startsWith('SortMergeJoin') && node.children.length === 2) {
      const sizes = node.children.map((child) => measuredSize(child));
      const [left, right] = sizes;
      if (left === undefined || right === undefined) return;
      const small = Math.min(left, right);
      const big = Math.max(left, right);
      if (small <= broadcastable && !/FullOuter/.test(node.name)) {
        out.push({
          rule: 'smj-broadcastable',
          severity: big >= 100 * small ? 'moderate' : 'low',
          scope,
          title: `${label}: ${node.name} shuffles and sorts ${bytes(big)} against a ${bytes(small)} side that would broadcast`,
          evidence: {
            join: node.name,
            smallSideBytes: small,
            bigSideBytes: big,
            autoBroadcastJoinThreshold: summary.sparkProperties['spark.sql.autoBroadcastJoinThreshold'] ?? '10MB (default)',
          },
          hypothesis:
            configured !== undefined && configured < 0
              ? 'Broadcast joins are disabled (spark.sql.autoBroadcastJoinThreshold=-1), so Spark shuffles both sides.'
              : "The planner's size estimate of the small side was too high (no statistics, a filter or UDF in between), so it chose a sort-merge join.",
          fix: 'Broadcast the small side: F.broadcast(small_df) in the join, or raise spark.sql.autoBroadcastJoinThreshold (and spark.sql.adaptive.autoBroadcastJoinThreshold) above its size.',
          validate: "Re-run: the plan shows BroadcastHashJoin, the big side's Exchange is gone and the join stage's shuffle read drops by the big side's size.",
          source: THRESHOLDS.broadcast.source,
        });
      }
    }
    // Only a broadcast stage's own statistics measure what was broadcast: looking below it would find the table it
    // was filtered from (a cached 1.2 GiB dimension under a 12-row broadcast).
    if (/BroadcastQueryStage/.test(node.name)) {
      const size = node.sizeInBytes;
      // A reused stage is drawn under every consumer with the same "(id)": one finding per stage.
      if (size !== undefined && size > THRESHOLDS.broadcast.tooBigBytes && !reportedBroadcasts.has(node.line)) {
        reportedBroadcasts.add(node.line);
        out.push({
          rule: 'broadcast-too-big',
          severity: 'severe',
          scope,
          title: `${label}: a ${bytes(size)} broadcast`,
          evidence: { broadcastBytes: size, limitBytes: THRESHOLDS.broadcast.tooBigBytes },
          hypothesis:
            'The driver collects the table and ships a copy to every executor: driver memory, network and executor heap pay for it (and Spark fails at 8 GB).',
          fix: 'Let this join shuffle (lower the broadcast threshold or remove the hint), or shrink the side first (select only needed columns, filter).',
          validate: 'Re-run: driver memory and GC settle; compare the join stage times.',
          source: THRESHOLDS.broadcast.source,
        });
      }
    }
  });

  if (sql.finalPlan !== undefined) {
    const skewJoins =
      count(final.current, (n) => /skew=true|isSkewJoin=true/.test(n.line)) + (final.details.match(/isSkewJoin\s*:\s*true|skew=true/g)?.length ?? 0);
    if (skewJoins > 0) {
      out.push({
        rule: 'aqe-skew-split',
        severity: 'info',
        scope,
        title: `${label}: AQE split skewed partitions in ${skewJoins} join(s) at run time`,
        evidence: { skewJoins },
        hypothesis: 'AQE saw a shuffle partition over skewedPartitionFactor × median and skewedPartitionThresholdInBytes and split it.',
        fix: 'Nothing to do if the join stage is now even; if skew remains elsewhere (aggregations, windows), AQE cannot split those: salt the key.',
        validate: "Check the join stage's max/median task time in this report.",
        source: 'Spark AQE (OptimizeSkewedJoin)',
      });
    }
    const smjBefore = count(initial, (n) => n.name.startsWith('SortMergeJoin'));
    const smjAfter = count(final.current, (n) => n.name.startsWith('SortMergeJoin'));
    const bhjAfter = count(final.current, (n) => n.name.startsWith('BroadcastHashJoin'));
    const shjAfter = count(final.current, (n) => n.name.startsWith('ShuffledHashJoin'));
    if (smjAfter < smjBefore) {
      out.push({
        rule: 'aqe-join-converted',
        severity: 'info',
        scope,
        title: `${label}: AQE replaced ${smjBefore - smjAfter} sort-merge join(s) at run time (now ${bhjAfter} broadcast hash, ${shjAfter} shuffled hash)`,
        evidence: { sortMergeJoinsBefore: smjBefore, sortMergeJoinsAfter: smjAfter, broadcastHashJoinsAfter: bhjAfter, shuffledHashJoinsAfter: shjAfter },
        hypothesis:
          'A join side turned out small at run time (after filters), so AQE switched strategy; the shuffle of the other side had usually already happened.',
        fix: 'Make the planner see it up front (statistics, a broadcast hint) so the big side is not shuffled at all.',
        validate: 'Re-run with the hint: the initial plan already shows BroadcastHashJoin and the big side has no Exchange.',
        source: 'Spark AQE (join strategy re-planning)',
      });
    }
    const coalesced = final.details.match(/Arguments: coalesced/g)?.length ?? 0;
    if (coalesced > 0) {
      out.push({
        rule: 'aqe-coalesced',
        severity: 'info',
        scope,
        title: `${label}: AQE coalesced small shuffle partitions in ${coalesced} read(s)`,
        evidence: { coalescedReads: coalesced, shufflePartitions: summary.sparkProperties['spark.sql.shuffle.partitions'] ?? '200 (default)' },
        hypothesis: 'spark.sql.shuffle.partitions is larger than the data needs; AQE merged neighbours up to the advisory size.',
        fix: 'Fine as is; to save planning and scheduling, set spark.sql.shuffle.partitions nearer to shuffle bytes / 128 MB.',
        validate: 'Compare the task counts of the reduce stages with the configured partitions.',
        source: 'Spark AQE (CoalesceShufflePartitions)',
      });
    }
  }
  return out;
}
