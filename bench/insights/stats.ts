// The few statistics the written analysis needs, in plain TypeScript: an ordinary least-squares slope with its
// t statistic, Welch's two-sample t, and two-sided 5 % critical values of Student's t. No library: each is a handful
// of lines and the tests pin them against numbers worked out by hand.

export const mean = (xs: readonly number[]): number => (xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length);

export function variance(xs: readonly number[]): number {
  if (xs.length < 2) return Number.NaN;
  const m = mean(xs);
  return xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
}

export function weightedMean(values: readonly number[], weights: readonly number[]): number {
  let num = 0;
  let den = 0;
  values.forEach((v, i) => {
    const w = weights[i] ?? 0;
    if (Number.isFinite(v) && w > 0) {
      num += v * w;
      den += w;
    }
  });
  return den === 0 ? Number.NaN : num / den;
}

// Two-sided 5 % critical values of Student's t for 1..30 degrees of freedom; above 30 the normal's 1.96 is within 4 %.
const tCritical05 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069,
  2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

export function tCritical(df: number): number {
  if (df < 1) return Number.POSITIVE_INFINITY;
  return tCritical05[Math.floor(df) - 1] ?? 1.96;
}

export interface LinearFit {
  slope: number;
  intercept: number;
  /** slope / standard error of the slope; ±Infinity for a perfect fit with a non-zero slope. */
  t: number;
  df: number;
  /** |t| exceeds the two-sided 5 % critical value for df. */
  significant: boolean;
}

/** Ordinary least squares of y on x. Needs at least 3 points (1 degree of freedom). */
export function linearFit(xs: readonly number[], ys: readonly number[]): LinearFit {
  const n = Math.min(xs.length, ys.length);
  const df = n - 2;
  if (n < 3) return { slope: Number.NaN, intercept: Number.NaN, t: Number.NaN, df, significant: false };
  const mx = mean(xs.slice(0, n));
  const my = mean(ys.slice(0, n));
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i]! - mx) ** 2;
    sxy += (xs[i]! - mx) * (ys[i]! - my);
  }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (ys[i]! - (intercept + slope * xs[i]!)) ** 2;
  const se = Math.sqrt(sse / df / sxx);
  const t = se === 0 ? (slope === 0 ? 0 : Math.sign(slope) * Number.POSITIVE_INFINITY) : slope / se;
  return { slope, intercept, t, df, significant: Math.abs(t) > tCritical(df) };
}

export interface WelchTest {
  t: number;
  df: number;
  significant: boolean;
}

/** Welch's t test of mean(a) != mean(b), two-sided at 5 %. */
export function welchT(a: readonly number[], b: readonly number[]): WelchTest {
  if (a.length < 2 || b.length < 2) return { t: Number.NaN, df: 0, significant: false };
  const va = variance(a) / a.length;
  const vb = variance(b) / b.length;
  const diff = mean(a) - mean(b);
  const se = Math.sqrt(va + vb);
  if (se === 0) {
    const t = diff === 0 ? 0 : Math.sign(diff) * Number.POSITIVE_INFINITY;
    return { t, df: a.length + b.length - 2, significant: diff !== 0 };
  }
  const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  const t = diff / se;
  return { t, df, significant: Math.abs(t) > tCritical(df) };
}

/** Compares dotted version strings numerically part by part ("5.10.0" > "5.9.3"); non-numeric parts as text. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.\-+]/);
  const pb = b.split(/[.\-+]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    const nx = Number(x);
    const ny = Number(y);
    const c = x !== '' && y !== '' && Number.isFinite(nx) && Number.isFinite(ny) ? nx - ny : x.localeCompare(y);
    if (c !== 0) return c;
  }
  return 0;
}

/** 0 = Monday … 6 = Sunday, for an ISO date taken as a UTC day. */
export function weekdayIndex(isoDate: string): number {
  return (new Date(`${isoDate}T00:00:00Z`).getUTCDay() + 6) % 7;
}

export const weekdayNames = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
