// WhatIfCheck → the terminal table.
import { ms, pct } from '../../lib/format.ts';
import { layoutLabel, type ErrorSummary, type WhatIfCheck } from './whatif-check.ts';

function signed(ratio: number): string {
  return Number.isFinite(ratio) ? `${ratio >= 0 ? '+' : '−'}${pct(Math.abs(ratio))}` : '—';
}

function summaryLine(name: string, s: ErrorSummary): string {
  if (s.rows === 0 || s.worst === undefined) return `${name}: none`;
  const w = s.worst;
  return `${name}: ${s.rows} row(s), median |error| ${pct(s.medianAbsError)}, worst ${signed(w.error)} (${w.job} ${layoutLabel(w.from)} → ${layoutLabel(w.to)})`;
}

export function formatWhatIfCheck(runLabel: string, check: WhatIfCheck): string {
  const lines: string[] = [];
  if (check.rows.length === 0) {
    lines.push(`whatif-check: ${runLabel} has no two configurations that differ only in executors × executorCores; nothing compared`);
  } else {
    lines.push(`what-if replay vs real runs — ${runLabel}`);
    lines.push(
      `${'job'.padEnd(6)}${'from → to'.padEnd(14)}${'runs'.padEnd(6)}${'estimate median (min–max)'.padEnd(28)}${'measured median (min–max)'.padEnd(28)}${'carried over'.padEnd(14)}error`,
    );
    for (const r of check.rows) {
      const est = `${ms(r.estimate.medianMs)} (${ms(r.estimate.minMs)}–${ms(r.estimate.maxMs)})`;
      const meas = `${ms(r.measured.medianMs)} (${ms(r.measured.minMs)}–${ms(r.measured.maxMs)})`;
      const runs = `${r.estimate.valuesMs.length}/${r.measured.valuesMs.length}`;
      lines.push(
        `${r.job.padEnd(6)}${`${layoutLabel(r.from)} → ${layoutLabel(r.to)}${r.self ? ' ⟲' : ''}`.padEnd(14)}${runs.padEnd(6)}${est.padEnd(28)}${meas.padEnd(28)}${ms(r.carriedOverMedianMs).padEnd(14)}${signed(r.error)}`,
      );
    }
    lines.push('', summaryLine('cross-layout', check.crossLayout), summaryLine('self-replay ⟲', check.selfReplay));
    lines.push(
      '',
      'estimate = spark-submit wall of a from-run − its job time + its jobs replayed on the to-layout: JVM/Python start-up,',
      'driver-only time between jobs and shutdown ("carried over") are kept as the from-run measured them. runs = from/to.',
      'error = (estimate median − measured median) / measured median.',
    );
  }
  for (const s of check.skipped) lines.push(`skipped ${s}`);
  return `${lines.join('\n')}\n`;
}
