// StageComparison → the terminal table under `bench compare --stages KIND`.
import { bytes } from '../../lib/format.ts';
import type { StageComparison, StageGroup, StageRow } from './stages.ts';

/** Task times are short: milliseconds below a second, else seconds to two decimals. */
export function taskTime(ms: number): string {
  if (Number.isNaN(ms)) return '—';
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(2)}s`;
}

function ratio(x: number): string {
  return Number.isFinite(x) ? `${x.toFixed(1)}×` : '—';
}

function stageIds(row: StageRow): string {
  const distinct = [...new Set(row.stageIds)];
  return distinct.length === 1 ? String(distinct[0]) : row.stageIds.join('|');
}

function kindName(c: StageComparison): string {
  return c.kind === 'all' ? 'all stages' : `${c.kind} stages`;
}

export function formatStages(c: StageComparison): string {
  const multiRun = new Set(c.groups.map((g) => g.runId)).size > 1;
  const prefix = (g: StageGroup) => `${multiRun ? g.runId.padEnd(18) : ''}${g.configId.padEnd(7)}${g.job.padEnd(6)}`;
  // Position-matched stages show one id per repeat ("74|73|61"): the column grows to fit them.
  const stageWidth = Math.max(6, ...c.groups.flatMap((g) => g.stages.map((r) => stageIds(r).length))) + 2;
  const lines: string[] = [];
  lines.push(`${kindName(c)} (operators from the SQL plans' metrics; each number is the median over repeats)`);
  lines.push(
    `${multiRun ? 'run'.padEnd(18) : ''}config job   ${'stage'.padEnd(stageWidth)}runs  tasks  task time median  max       max/median  shuffle read/task median  max         operators`,
  );
  for (const g of c.groups) {
    if (g.stages.length === 0) lines.push(`${prefix(g)}(none)`);
    for (const r of g.stages) {
      lines.push(
        prefix(g) +
          stageIds(r).padEnd(stageWidth) +
          (r.repeats === g.repeats ? String(r.repeats) : `${r.repeats}/${g.repeats}`).padEnd(6) +
          String(r.tasks).padEnd(7) +
          taskTime(r.taskTimeMedianMs).padEnd(18) +
          taskTime(r.taskTimeMaxMs).padEnd(10) +
          ratio(r.taskTimeSkew).padEnd(12) +
          bytes(r.shuffleReadMedianBytes).padEnd(26) +
          bytes(r.shuffleReadMaxBytes).padEnd(12) +
          r.operators.join(', '),
      );
    }
  }
  const positional = c.groups.filter((g) => g.matchedBy === 'position');
  for (const g of positional) {
    lines.push(
      `${g.runId}/${g.configId} ${g.job}: stage ids differ between repeats: ${kindName(c)} paired by position among those running the same operators (ids shown a|b|c; runs = repeats that had the stage)`,
    );
  }
  lines.push('', `worst of the ${kindName(c)} per job × configuration (max/median task time):`);
  for (const g of c.groups) {
    const w = g.worst;
    lines.push(
      prefix(g) +
        (w === undefined
          ? `no ${kindName(c)}`
          : `stage ${stageIds(w)}: ${ratio(w.taskTimeSkew)} (max ${taskTime(w.taskTimeMaxMs)}, median ${taskTime(w.taskTimeMedianMs)})`) +
        `  ${g.configLabel}`,
    );
  }
  for (const note of c.notes) lines.push(`note: ${note}`);
  return `${lines.join('\n')}\n`;
}
