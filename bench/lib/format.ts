// Human units for tables, titles and text output (evidence and records keep raw numbers). The one place bench turns
// bytes, milliseconds and ratios into text.

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** Binary units: "0 B", "512 B", "1.5 GiB", "16 GiB" (whole values without decimals); "—" for NaN. */
export function bytes(n: number): string {
  if (Number.isNaN(n)) return '—';
  let value = n;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || Number.isInteger(value) ? 0 : 1;
  return `${value.toFixed(digits)} ${BYTE_UNITS[unit]}`;
}

/** "850 ms", "12.3 s", "4.5 min". */
export function ms(n: number): string {
  if (n < 1000) return `${Math.round(n)} ms`;
  if (n < 120_000) return `${(n / 1000).toFixed(1)} s`;
  return `${(n / 60_000).toFixed(1)} min`;
}

/** Seconds with one decimal, as the compare table prints wall times: "12.3s"; "—" for NaN. */
export function seconds(n: number): string {
  return Number.isNaN(n) ? '—' : `${(n / 1000).toFixed(1)}s`;
}

/** A progress-line duration: "42s", "3m07s". */
export function duration(n: number): string {
  const s = Math.round(n / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** "2.50×"; "—" when not finite. */
export function ratio(x: number): string {
  return Number.isFinite(x) ? `${x.toFixed(2)}×` : '—';
}

export function pct(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
}

export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
