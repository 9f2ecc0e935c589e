// Byte sizes as people type them ("100GB", "1TB", "64g", "512m") and as Spark settings want them ("128m").

const SCALE: Readonly<Record<string, number>> = { '': 1, b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, t: 1024 ** 4, tb: 1024 ** 4 };

/** Binary units throughout (1 GB = 1 GiB), as Spark reads "1g". Undefined when the text is not a size. */
export function parseSize(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?b?|[kmgt]ib)\s*$/i.exec(text);
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

export function human(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}
