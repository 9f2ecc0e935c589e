// --series RUN,RUN,…: how a job's cost grows with its input, fitted to runs of one job at several data sizes, so the
// estimate at 100 GB–1 TB is a fixed cost plus a measured cost per byte instead of one run's average (which carries
// that run's fixed cost, JVM start and planning, into every byte).

import type { CostFit, MeasuredRun } from './types.ts';
import { NoMeasurementError } from './from-run.ts';

/**
 * Least-squares line through (input bytes, task core-ms) of the runs, and each run's distance from it as a share of
 * what it measured. Needs two distinct input sizes and a cost that grows with them.
 */
export function fitCost(runs: readonly MeasuredRun[]): CostFit {
  const points = runs.map((r) => ({ source: r.source, inputBytes: r.inputBytes, taskCoreMs: r.taskCoreMs }));
  const sizes = new Set(points.map((p) => p.inputBytes));
  if (sizes.size < 2)
    throw new NoMeasurementError(`--series: needs runs at two or more input sizes; got ${sizes.size} (${points.map((p) => p.source).join(', ')})`);
  const n = points.length;
  const mx = points.reduce((a, p) => a + p.inputBytes, 0) / n;
  const my = points.reduce((a, p) => a + p.taskCoreMs, 0) / n;
  const sxx = points.reduce((a, p) => a + (p.inputBytes - mx) ** 2, 0);
  const sxy = points.reduce((a, p) => a + (p.inputBytes - mx) * (p.taskCoreMs - my), 0);
  const coreMsPerByte = sxy / sxx;
  if (!(coreMsPerByte > 0)) throw new NoMeasurementError(`--series: task time does not grow with the input across ${points.map((p) => p.source).join(', ')}`);
  const fixedCoreMs = my - coreMsPerByte * mx;
  const residuals = points.map((p) => (p.taskCoreMs - (fixedCoreMs + coreMsPerByte * p.inputBytes)) / p.taskCoreMs);
  return { points, fixedCoreMs, coreMsPerByte, residuals };
}

/** Task core-ms the fit predicts for an input size. */
export function predictCoreMs(fit: CostFit, inputBytes: number): number {
  return fit.fixedCoreMs + fit.coreMsPerByte * inputBytes;
}
