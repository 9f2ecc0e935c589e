// --series: the estimate from how cost grows across runs at several sizes, and --deadline's node count, hand-checked.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli.ts';
import { captureIo } from '../../fixtures/capture-io.ts';
import { advise, fitCost, NoMeasurementError, predictCoreMs } from './index.ts';
import type { AdviseInput, MeasuredRun } from './types.ts';

const GiB = 1024 ** 3;

function run(source: string, inputGiB: number, taskCoreS: number): MeasuredRun {
  return { source, inputBytes: inputGiB * GiB, shuffleWriteBytes: 0, memorySpilledBytes: 0, taskCoreMs: taskCoreS * 1000, localDiskBytes: 0 };
}

// The four points of the cluster series (docs/benchmarks.md): task-s of post against its input, roughly.
const points = [run('a', 0.25, 150.7), run('b', 0.5, 265.9), run('c', 1, 470.0), run('d', 2, 870.8)];

describe('fitCost: a fixed cost plus a cost per byte', () => {
  it('recovers an exact line and puts every point on it', () => {
    const fit = fitCost([run('x', 1, 60), run('y', 2, 100), run('z', 4, 180)]);
    expect(fit.fixedCoreMs).toBeCloseTo(20_000, 6);
    expect(fit.coreMsPerByte * GiB).toBeCloseTo(40_000, 6);
    for (const r of fit.residuals) expect(Math.abs(r)).toBeLessThan(1e-12);
    expect(predictCoreMs(fit, 1024 * GiB)).toBeCloseTo(20_000 + 40_000 * 1024, 3);
  });

  it('residuals are each point against the line, as a share of what it measured', () => {
    const fit = fitCost(points);
    // By hand: the least-squares slope over these four points is ~412 core-s per GiB, fixed ~54 core-s.
    expect(fit.coreMsPerByte * GiB).toBeGreaterThan(400_000);
    expect(fit.coreMsPerByte * GiB).toBeLessThan(420_000);
    expect(fit.residuals).toHaveLength(4);
    for (const [i, p] of points.entries()) {
      const fitted = fit.fixedCoreMs + fit.coreMsPerByte * p.inputBytes;
      expect(fit.residuals[i]).toBeCloseTo((p.taskCoreMs - fitted) / p.taskCoreMs, 12);
    }
    // The sizes here are rounded (0.25 … 2 GiB), so the worst point is ~5 % off; the measured sizes put it within 4 %.
    expect(Math.max(...fit.residuals.map(Math.abs))).toBeLessThan(0.06);
  });

  it('refuses one size, and a cost that does not grow with the input', () => {
    expect(() => fitCost([run('x', 1, 60), run('y', 1, 70)])).toThrow(NoMeasurementError);
    expect(() => fitCost([run('x', 1, 60), run('y', 2, 50)])).toThrow(/does not grow/);
  });
});

describe('advise with a series and a deadline (10 nodes × 16 cores × 64 GiB: 29 executors × 5 cores, 145 slots)', () => {
  const series = fitCost(points);
  const base: AdviseInput = { dataBytes: 1024 * GiB, nodes: 10, coresPerNode: 16, memoryPerNodeBytes: 64 * GiB, job: 'post', series };

  it('estimates from the line, not from one run’s average, and says so', () => {
    const e = advise(base).estimate;
    expect(e).toBeDefined();
    expect(e?.coreHours).toBeCloseTo(predictCoreMs(series, 1024 * GiB) / 3_600_000, 9);
    expect(e?.wallMinutes).toBeCloseTo(((e?.coreHours ?? 0) * 60) / 145, 9);
    expect(e?.basis).toMatch(/the line through 4 points \(a, b, c, d; each within \d+\.\d % of it\)/);
    // One run's average would carry its fixed cost into every byte: the 256 MB point alone estimates more.
    const fromSmallest = advise({ ...base, series: undefined, measured: points[0] }).estimate;
    expect(fromSmallest?.coreHours ?? 0).toBeGreaterThan(e?.coreHours ?? Infinity);
  });

  it('the fewest nodes whose slots finish within the deadline: one node fewer would not', () => {
    const deadlineMs = 30 * 60_000;
    const e = advise({ ...base, deadlineMs }).estimate;
    const nodes = e?.nodesForDeadline ?? 0;
    const coreMs = predictCoreMs(series, 1024 * GiB);
    const slots = (n: number) => (n * 3 - 1) * 5;
    expect(coreMs / slots(nodes)).toBeLessThanOrEqual(deadlineMs);
    expect(coreMs / slots(nodes - 1)).toBeGreaterThan(deadlineMs);
    // ~114 core-hours in 30 min needs ~229 slots: 46 executors of 5 cores + the driver's slot, 3 per node → 16 nodes.
    expect(nodes).toBe(16);
  });
});

describe('bench advise --series / --deadline (CLI)', () => {
  afterEach(() => vi.restoreAllMocks());
  it('bad values are one-line usage errors with exit 2', async () => {
    const io = captureIo();
    const cluster = ['--data', '1TB', '--nodes', '10', '--cores', '16', '--memory', '64g'];
    expect(await main(['advise', ...cluster, '--series', 'results/one'])).toBe(2);
    expect(io.err()).toMatch(/--series needs two or more runs/);
    expect(await main(['advise', ...cluster, '--deadline', 'soon'])).toBe(2);
    expect(io.err()).toMatch(/--deadline: expected a duration such as 45m or 2h; got soon/);
    expect(await main(['advise', '--data', '1TB', '--nodes', '1', '--cores', '16', '--memory', '64g', '--local', '--deadline', '1h'])).toBe(2);
    expect(await main(['advise', ...cluster, '--series', '/nonexistent-a,/nonexistent-b'])).toBe(2);
    expect(io.err().trim().split('\n')).toHaveLength(4);
  });

  it('on the committed cluster series: the line through its runs, the node count for the deadline', async () => {
    const io = captureIo();
    const series = ['results/2026-12-02-cluster-skew-256mb', 'results/2026-12-02-cluster-skew-512mb'].join(',');
    expect(await main(['advise', '--data', '1TB', '--nodes', '10', '--cores', '16', '--memory', '64g', '--series', series, '--deadline', '1h'])).toBe(0);
    expect(io.out()).toMatch(/the line through 2 points \(results\/2026-12-02-cluster-skew-256mb, results\/2026-12-02-cluster-skew-512mb; each within/);
    expect(io.out()).toMatch(/nodes for ≤ 60 min: \d+/);
    expect(io.out()).toContain('scaled from results/2026-12-02-cluster-skew-512mb');
  }, 120_000);
});
