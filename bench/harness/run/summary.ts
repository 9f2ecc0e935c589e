// runs.jsonl → summary.csv: one row per run, the numbers a spreadsheet wants.
import type { RunRecord } from './types.ts';

const HEADER = [
  'key',
  'job',
  'config_id',
  'config',
  'repeat',
  'state',
  'wall_time_ms',
  'exit_code',
  'stages',
  'tasks',
  'input_bytes',
  'shuffle_read_bytes',
  'shuffle_write_bytes',
  'memory_spilled_bytes',
  'disk_spilled_bytes',
  'gc_time_ms',
  'peak_execution_memory_max_bytes',
  'max_task_ms',
  'max_over_median_task',
  'error',
];

function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function summaryCsv(records: readonly RunRecord[]): string {
  const rows = records.map((r) => {
    const t = r.totals;
    // The stage with the widest task-time spread: where skew shows.
    const worst = r.stages.reduce<{ max: number; ratio: number }>(
      (acc, s) => {
        const ratio = s.taskTimeMs.median > 0 ? s.taskTimeMs.max / s.taskTimeMs.median : 0;
        return ratio > acc.ratio ? { max: s.taskTimeMs.max, ratio } : acc;
      },
      { max: 0, ratio: 0 },
    );
    return [
      r.key,
      r.job,
      r.configId,
      r.configLabel,
      r.repeat,
      r.state,
      r.wallTimeMs,
      r.exitCode,
      t?.stages,
      t?.tasks,
      t?.inputBytes,
      t?.shuffleReadBytes,
      t?.shuffleWriteBytes,
      t?.memorySpilledBytes,
      t?.diskSpilledBytes,
      t?.gcTimeMs,
      t?.peakExecutionMemoryMaxBytes,
      t === null ? null : worst.max,
      t === null ? null : worst.ratio.toFixed(2),
      r.state === 'failed' ? `${r.error.kind}: ${r.error.message}` : null,
    ]
      .map(csvCell)
      .join(',');
  });
  return `${[HEADER.join(','), ...rows].join('\n')}\n`;
}
