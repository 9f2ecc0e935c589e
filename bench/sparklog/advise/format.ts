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
  }
  return out.join('\n');
}
