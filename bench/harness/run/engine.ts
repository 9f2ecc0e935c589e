// The engine a configuration runs on ("engine" in a grid: bench/harness/grid/schema.ts) → what spark-submit needs.
// spark: nothing. comet: Apache DataFusion Comet's jar on the class path and the settings that turn it on (Comet's
// installation and tuning guides): its plugin, its shuffle manager (a static setting, so set at submit), off-heap
// memory (the plugin disables itself without it) and fallback reasons in the log. A grid's own spark.* keys win over
// these, so a grid can size spark.memory.offHeap.size or turn a Comet feature off.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../lib/errors.ts';

/** Off-heap pool when the grid does not size it: Comet's native operators reserve from it, Spark's own do too. */
export const COMET_DEFAULT_OFF_HEAP = '2g';

/** Comet's settings, before the grid's own keys. */
export const COMET_CONF: Readonly<Record<string, string>> = {
  'spark.plugins': 'org.apache.spark.CometPlugin',
  'spark.shuffle.manager': 'org.apache.spark.sql.comet.execution.shuffle.CometShuffleManager',
  'spark.memory.offHeap.enabled': 'true',
  'spark.memory.offHeap.size': COMET_DEFAULT_OFF_HEAP,
  // One WARN line per query stage naming what runs on Spark and why (read them in the run's logs/KEY.log).
  'spark.comet.explain.fallback.enabled': 'true',
};

/** The Comet jar scripts/comet.sh fetches (its path is the script's: one pin), checked to be there. */
export function cometJar(repoRoot: string): string {
  let jar: string;
  try {
    jar = execFileSync('bash', [join(repoRoot, 'scripts/comet.sh'), 'jar'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    throw new InputError(`engine comet: ${stderr.split('\n').pop() || 'scripts/comet.sh jar failed'}`);
  }
  if (jar === '' || !existsSync(jar)) throw new InputError(`engine comet: Comet jar missing (${jar}): run bash scripts/comet.sh fetch`);
  return jar;
}
