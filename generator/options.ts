// The knobs of one generation, validated once where they enter (cli.ts). Every field changes the bytes written;
// options that only change how the work is done (shards, workers, overwrite) live in RunOptions instead.

import type { ProfileName } from './behaviour.ts';

export interface GenOptions {
  /** Target bytes on disk of interactions (±5 %). */
  readonly scaleBytes: number;
  /** Target bytes on disk of metadata; fixes the number of users. 0 = the users follow from the profile. */
  readonly metadataBytes: number;
  /** Metadata users (one row each). 0 = they follow from the profile and --scale (or from metadataBytes). */
  readonly users: number;
  /** Behaviour profile (behaviour.ts): how often, how long and how much users use the app. */
  readonly profile: ProfileName;
  /** Days in the window, ending at `end` inclusive. */
  readonly days: number;
  /** Last day of the window, YYYY-MM-DD (UTC). */
  readonly end: string;
  readonly seed: number;
  /** Target size of one interactions file; metadata files use the same target. */
  readonly fileSizeBytes: number;
  /** Zipf exponent of sessions over user ranks; 0 = uniform. */
  readonly skew: number;
  /** Bot-like users with extreme event counts. */
  readonly bots: number;
  /** Fraction of interaction rows that are bad in a known way. */
  readonly badRows: number;
  /** Fraction of random sessions whose user_id is absent from metadata. */
  readonly orphanShare: number;
  /** Fraction of metadata users with no events at all. */
  readonly silentUsers: number;
}

export interface RunOptions {
  readonly out: string;
  readonly endpoint?: string | undefined;
  readonly shards: number;
  readonly shard: number;
  readonly workers: number;
  readonly overwrite: boolean;
  /** Progress on stderr: 'auto' = bar on a TTY, lines otherwise. */
  readonly progress: 'auto' | 'lines' | 'none';
}

export const DEFAULT_SEED = 42;
