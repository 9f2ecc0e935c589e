// Comparison → the terminal table.
import { bytes, ratio, seconds } from '../../lib/format.ts';
import type { Comparison } from './compare.ts';

export function formatComparison(c: Comparison): string {
  const multiRun = new Set(c.rows.map((r) => r.runId)).size > 1;
  // Run ids are as long as their folder names; the column fits the longest.
  const runWidth = Math.max(4, ...c.rows.map((r) => r.runId.length + 2));
  const lines: string[] = [];
  const base = c.baseline !== undefined ? `x ${c.baseline}`.padEnd(9) : '';
  lines.push(
    `${multiRun ? 'run'.padEnd(runWidth) : ''}config job    runs  wall median (min–max)        spread  x floor  ${base}shuffle     spill       configuration`,
  );
  for (const r of c.rows) {
    const runs = `${r.completed}${r.failed > 0 ? `+${r.failed}✗` : ''}`;
    const wall = `${seconds(r.wallMedianMs)} (${seconds(r.wallMinMs)}–${seconds(r.wallMaxMs)})`;
    const flag = r.completed === 0 ? ' all failed' : r.untrusted ? (r.completed < 2 ? ' ⚠ 1 run' : ' ⚠ too wide') : '';
    lines.push(
      `${multiRun ? r.runId.padEnd(runWidth) : ''}${r.configId.padEnd(7)}${r.job.padEnd(7)}${runs.padEnd(6)}${wall.padEnd(29)}${`${(r.spread * 100).toFixed(0)}%`.padEnd(8)}${ratio(r.xFloor).padEnd(9)}${c.baseline !== undefined ? ratio(r.xBaseline).padEnd(9) : ''}${bytes(r.shuffleBytesMedian).padEnd(12)}${bytes(r.spillBytesMedian).padEnd(12)}${r.configLabel}${flag}`,
    );
  }
  if (c.speedups.length > 0) {
    lines.push('', 'post vs pre     speedup  shuffle  spill');
    for (const s of c.speedups) {
      lines.push(
        `${(multiRun ? `${s.runId}/` : '') + s.configId}`.padEnd(multiRun ? runWidth + 6 : 16) +
          ratio(s.speedup).padEnd(9) +
          ratio(s.shuffleRatio).padEnd(9) +
          ratio(s.spillRatio),
      );
    }
  }
  if (c.engines.length > 0) {
    lines.push('', 'comet vs spark  job    speedup  (spark median / comet median, same run, same settings but the engine)');
    for (const e of c.engines) {
      lines.push(
        `${(multiRun ? `${e.runId}/` : '') + e.cometConfigId} vs ${e.sparkConfigId}`.padEnd(multiRun ? runWidth + 10 : 16) +
          e.job.padEnd(7) +
          ratio(e.speedup) +
          (e.trusted ? '' : ' ⚠'),
      );
    }
  }
  lines.push('');
  for (const job of ['pre', 'post'] as const) {
    const b = c.best[job];
    if (b !== undefined)
      lines.push(`best ${job}: ${b.configId} ${seconds(b.wallMedianMs)} median — ${b.configLabel}${b.untrusted ? ' (not trusted: spread or single run)' : ''}`);
    if (b !== undefined && c.baseline !== undefined && Number.isFinite(b.xBaseline))
      lines.push(`  ${c.baseline} against it: ${ratio(1 / b.xBaseline)} (${c.baseline}'s median / the best's)`);
  }
  if (c.baseline !== undefined) lines.push(`x ${c.baseline}: median wall time / the same job's median at ${c.baseline} in the same run.`);
  if (c.rows.some((r) => r.job === 'floor')) lines.push("x floor: median wall time / the floor job's median at the same configuration in the same run.");
  lines.push(`⚠ marks a median not to trust: (max − min) / median above ${(c.maxSpread * 100).toFixed(0)}%, or a single run (use --repeat 3).`);
  return `${lines.join('\n')}\n`;
}
