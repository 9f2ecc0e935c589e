// Byte sizes as people type them ("100GB", "1TB", "64g", "512m", "1.5 GiB"), as Spark settings hold them ("10m",
// "10485760") and as Spark's plans print them ("61.0 MiB"); and back into a Spark setting ("128m"). The one size parser.

const SCALE: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1024 ** 4,
  p: 1024 ** 5,
  pb: 1024 ** 5,
};

/** Binary units throughout (1 GB = 1 GiB), as Spark reads "1g". Undefined when the text is not a size (or negative). */
export function parseSize(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmgtp]?b?|[kmgtp]ib)\s*$/i.exec(text);
  if (!match) return undefined;
  const unit = (match[2] ?? '').toLowerCase().replace('ib', 'b');
  const scale = SCALE[unit];
  return scale === undefined ? undefined : Math.round(Number(match[1]) * scale);
}

/** A Spark size setting: whole MiB ("4608m") or GiB when exact ("16g"). */
export function sparkSize(bytes: number): string {
  const mib = Math.floor(bytes / 1024 ** 2);
  return mib % 1024 === 0 ? `${mib / 1024}g` : `${mib}m`;
}
