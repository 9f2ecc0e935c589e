// Dates as UTC epoch days, and the app's release calendar. No time zones beyond fixed offsets: a generator needs
// a stable calendar, not a faithful one.

export const US_PER_DAY = 86_400_000_000;

export function epochDayOf(isoDate: string): number {
  return Math.floor(Date.parse(`${isoDate}T00:00:00Z`) / 86_400_000);
}

export function isoDateOf(epochDay: number): string {
  return new Date(epochDay * 86_400_000).toISOString().slice(0, 10);
}

/** 0 = Monday ... 6 = Sunday. 1970-01-01 was a Thursday. */
export function weekdayOf(epochDay: number): number {
  return (((epochDay + 3) % 7) + 7) % 7;
}

/**
 * Activity by UTC weekday of the default profile (behaviour.ts PROFILES['note-taking'].weekday, repeated here so
 * readers of the data need not import the model): a work-and-study app, quieter at weekends.
 */
export const WEEKDAY_FACTOR = [1.0, 1.03, 1.03, 1.0, 0.9, 0.55, 0.62] as const;

/** Growth of the default profile's sign-ups over 60 days (exponential, doubling every 240 days). */
export const GROWTH_OVER_WINDOW = 2 ** (60 / 240);

export interface Release {
  readonly version: string;
  /** Window day (0 = first day; negative = before the window) the release ships. */
  readonly day: number;
}

/**
 * A minor release every 35 days (5.0.0 ships 70 days before the window), with patches .1 and .2 ten and twenty
 * days after each minor. Versions keep rolling out through the window, so newer versions appear later.
 */
export function releaseCalendar(days: number): Release[] {
  const releases: Release[] = [];
  for (let minor = 0; ; minor += 1) {
    const day = -70 + minor * 35;
    if (day >= days) break;
    for (let patch = 0; patch < 3; patch += 1) {
      const d = day + patch * 10;
      if (d < days) releases.push({ version: `5.${minor}.${patch}`, day: d });
    }
  }
  return releases;
}
