// Small statistics: the median of repeated runs (the mean of the two middle values when the count is even) and
// Spark's own quantile rule for task distributions (AppStatusStore: sorted[min(floor(q × n), n − 1)]), so numbers of
// stages match what the Spark UI shows; and field-wise sums of records (a run's stages, a stage's tasks). The one
// place bench computes any of them.

/** Spark's quantile of unsorted values (the Spark UI's rule); NaN for no values. */
export function sparkQuantile(values: readonly number[], q: number): number {
  return sparkQuantiles(values, [q] as const)[0];
}

/** Several of Spark's quantiles of the same values, sorted once. */
export function sparkQuantiles<Q extends readonly number[]>(values: readonly number[], qs: Q): { [K in keyof Q]: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return qs.map((q) => (sorted.length === 0 ? Number.NaN : (sorted[Math.min(Math.floor(q * sorted.length), sorted.length - 1)] as number))) as {
    [K in keyof Q]: number;
  };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** (max − min) / median: how far apart repeats are, relative to the typical one. 0 for a single run. */
export function relativeSpread(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = median(values);
  return m > 0 ? (Math.max(...values) - Math.min(...values)) / m : 0;
}

type NumericKey<T> = { [K in keyof T]: T[K] extends number ? K : never }[keyof T];

/** The sum of each named numeric field over the records: one pass per field, 0 for no records. */
export function sumFields<T, K extends NumericKey<T>>(records: readonly T[], keys: readonly K[]): { [P in K]: number } {
  const out = {} as { [P in K]: number };
  for (const key of keys) out[key] = records.reduce<number>((acc, r) => acc + (r[key] as unknown as number), 0);
  return out;
}
