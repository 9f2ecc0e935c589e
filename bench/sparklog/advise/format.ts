// Text for people: every step with its formula, then the settings as --conf flags, then the OOM safeguards.
import type { Advice } from './types.ts';
import { bytes as human } from '../../lib/format.ts';

export function formatAdvice(advice: Advice): string {
  const i = advice.input;
  const out = [
    `advise: ${human(i.dataBytes)} of input, ${i.job} job, ${i.local === true ? `local mode, 1 machine` : `${i.nodes} nodes`} × ${i.coresPerNode} cores × ${human(i.memoryPerNodeBytes)}${i.measured ? `, scaled from ${i.measured.source}` : ', ratios measured in the committed runs (no --from)'}`,
    '',
    'calculation:',
  ];
  const width = Math.max(...advice.steps.map((s) => s.name.length));
  for (const s of advice.steps) {
    out.push(`  ${s.name.padEnd(width)} = ${s.formula} = ${s.display}${s.why ? `   # ${s.why}` : ''}`);
  }
  if (advice.defaults.length > 0) {
    out.push('', i.measured ? `defaults (not measured in ${i.measured.source}):` : 'defaults (no --from: ratios from the committed runs named):');
    for (const line of advice.defaults) out.push(`  ~ ${line}`);
  }
  out.push('', 'settings:');
  for (const [key, value] of Object.entries(advice.settings)) out.push(`  --conf ${key}=${value}`);
  if (advice.leftToJob.length > 0) {
    out.push('', `left to the ${i.job} job (it sets these itself; passing one with --conf switches its own choice off):`);
    for (const o of advice.leftToJob)
      out.push(`  ${o.key}: the job's ${o.jobValue}${o.adviseValue !== '' ? `   # advise would pass ${o.adviseValue} to a job that does not choose it` : ''}`);
  }
  if (advice.warnings.length > 0) {
    out.push('', 'warnings:');
    for (const line of advice.warnings) out.push(`  ! ${line}`);
  }
  out.push('', 'OOM safeguards:');
  for (const line of advice.safeguards) out.push(`  - ${line}`);
  if (advice.estimate) {
    out.push(
      '',
      `estimate: ${advice.estimate.coreHours.toFixed(2)} core-hours, ≥ ${advice.estimate.wallMinutes.toFixed(1)} min wall (${advice.estimate.basis})`,
    );
    if (advice.estimate.nodesForDeadline !== undefined && i.deadlineMs !== undefined)
      out.push(`nodes for ≤ ${(i.deadlineMs / 60_000).toFixed(0)} min: ${advice.estimate.nodesForDeadline} (this node type and layout, the same lower bound)`);
  }
  return out.join('\n');
}

/** The value of a named step, NaN when advise did not take it (e.g. the job's own partitions for pre). */
function stepValue(advice: Advice, name: string): number {
  return advice.steps.find((s) => s.name === name)?.value ?? Number.NaN;
}

/**
 * One Markdown row per data size: what docs/tuning.md's sizing table is (the command is written beside it). Every
 * cell is a setting or a step of the same advice; "—" where the advice has none (no estimate without --from).
 */
export function formatTable(advices: readonly Advice[]): string {
  const header = [
    'input',
    'executors × cores',
    'heap + overhead',
    'driver',
    'largest shuffle',
    'partitions: by size / by memory → whole waves',
    "job's own partitions",
    'broadcast threshold',
    'persisted per executor / storage pool',
    'local disk per node',
    'core-hours, wall ≥',
  ];
  const deadline = advices[0]?.input.deadlineMs;
  if (deadline !== undefined) header.push(`nodes for ≤ ${(deadline / 60_000).toFixed(0)} min`);
  const rows = advices.map((a) => {
    const set = a.settings;
    const local = a.input.local === true;
    const own = stepValue(a, "the job's own event partitions");
    return [
      `${human(a.input.dataBytes)}, ${a.input.job}`,
      local ? `1 JVM × ${set['spark.master']?.replace(/^local\[(\d+)\]$/, '$1')}` : `${set['spark.executor.instances']} × ${set['spark.executor.cores']}`,
      local ? `${set['spark.driver.memory']} (one heap)` : `${set['spark.executor.memory']} + ${set['spark.executor.memoryOverhead']}`,
      set['spark.driver.memory'] ?? '—',
      human(stepValue(a, 'largest shuffle (bytes)')),
      `${a.partitionCounts.bySize} / ${a.partitionCounts.byMemory} → ${a.partitionCounts.wholeWaves}`,
      Number.isNaN(own) ? '— (passes the count)' : String(own),
      set['spark.sql.autoBroadcastJoinThreshold'] ?? '—',
      `${human(stepValue(a, 'persisted data per executor'))} / ${human(stepValue(a, 'storage pool per executor'))}`,
      human(stepValue(a, 'local disk per node (spark.local.dir)')),
      a.estimate ? `${a.estimate.coreHours.toFixed(1)}, ${a.estimate.wallMinutes.toFixed(1)} min` : '—',
      ...(deadline !== undefined ? [String(a.estimate?.nodesForDeadline ?? '—')] : []),
    ];
  });
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}
