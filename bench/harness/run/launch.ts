// RunConfig + master → spark-submit arguments. Pure: tests check the mapping without starting Spark.
// Local mode runs everything in one JVM, so executors cannot be set: executors × executorCores becomes local[N] and
// the heap is executorMemory (else driverMemory). On a standalone master the same grid keys become
// spark.cores.max = executors × executorCores, spark.executor.cores and --executor-memory.
// The engine (engine.ts) adds its jar to the class paths the input may already set (one --driver-class-path and one
// spark.executor.extraClassPath holding both: a second flag would replace the first) and its settings under the grid's.
import { InputError } from '../../lib/errors.ts';
import { engineOf, type RunConfig } from '../grid/schema.ts';
import { COMET_CONF } from './engine.ts';
import type { InputLaunch } from './s3-input.ts';
import type { EffectiveLaunch, JobName } from './types.ts';

export interface LaunchInput {
  readonly config: RunConfig;
  readonly job: JobName;
  /** --master as the user gave it; undefined → local. */
  readonly master: string | undefined;
  readonly jobScript: string;
  /** A local folder or an s3a:// URL. */
  readonly dataDir: string;
  /** What reading the input needs (s3a: jars, fs.s3a settings); the grid's own keys override its conf. */
  readonly input?: InputLaunch;
  readonly outDir: string;
  readonly eventLogDir: string;
  readonly python: string;
  /** The Comet jar (engine.ts cometJar); needed when the configuration's engine is comet. */
  readonly cometJar?: string;
}

/** args with `entry` added to the value of `flag` (joined by `sep`), or the flag appended when absent. */
function withPathEntry(args: readonly string[], flag: string, entry: string, sep: string): string[] {
  const at = args.indexOf(flag);
  if (at === -1 || at + 1 >= args.length) return [...args, flag, entry];
  return args.map((a, i) => (i === at + 1 ? `${a}${sep}${entry}` : a));
}

function postJobFlags(config: RunConfig): string[] {
  const p = config.postJob;
  return [
    ...(p.skewMode !== undefined ? ['--skew-mode', p.skewMode] : []),
    ...(p.hotKeyFraction !== undefined ? ['--hot-key-fraction', String(p.hotKeyFraction)] : []),
    ...(p.saltBuckets !== undefined ? ['--salt-buckets', String(p.saltBuckets)] : []),
    ...(p.approx === true ? ['--approx'] : []),
    ...(p.silver !== undefined ? ['--silver', p.silver] : []),
    ...(p.recomputeSince !== undefined ? ['--recompute-since', p.recomputeSince] : []),
  ];
}

export function buildLaunch(input: LaunchInput): EffectiveLaunch {
  const { config } = input;
  const notes: string[] = [];
  const submit: string[] = [];
  const conf: Record<string, string> = { ...input.input?.conf };
  let inputArgs: string[] = [...(input.input?.submitArgs ?? [])];
  const wantsSlots = config.executors !== undefined || config.executorCores !== undefined;
  const slots = (config.executors ?? 1) * (config.executorCores ?? 1);
  let master = input.master ?? 'local[*]';

  if (master.startsWith('local')) {
    if (wantsSlots) {
      if (input.master !== undefined && input.master !== `local[${slots}]`)
        notes.push(`--master ${input.master} replaced by the grid's executors × executorCores`);
      master = `local[${slots}]`;
      notes.push(`local mode: executors=${config.executors ?? 1} × executorCores=${config.executorCores ?? 1} → ${master}`);
    }
    const heap = config.executorMemory ?? config.driverMemory;
    if (heap !== undefined) submit.push('--driver-memory', heap);
    if (config.executorMemory !== undefined) {
      notes.push(`local mode: executorMemory=${config.executorMemory} is the one JVM's heap (--driver-memory)`);
      if (config.driverMemory !== undefined) notes.push(`local mode: driverMemory=${config.driverMemory} ignored (executorMemory wins)`);
    }
  } else {
    if (config.executorCores !== undefined) conf['spark.executor.cores'] = String(config.executorCores);
    if (wantsSlots) {
      conf['spark.cores.max'] = String(slots);
      notes.push(`standalone: spark.cores.max=${slots} (executors × executorCores), spark.executor.cores=${config.executorCores ?? 1}`);
      if (config.executorCores === undefined) conf['spark.executor.cores'] = '1';
    }
    if (config.executorMemory !== undefined) submit.push('--executor-memory', config.executorMemory);
    if (config.driverMemory !== undefined) submit.push('--driver-memory', config.driverMemory);
  }

  if (engineOf(config) === 'comet') {
    const jar = input.cometJar;
    if (jar === undefined) throw new InputError('engine comet: no Comet jar given: run bash scripts/comet.sh fetch');
    inputArgs = withPathEntry(inputArgs, '--driver-class-path', jar, ':');
    if (!master.startsWith('local')) inputArgs = withPathEntry(inputArgs, '--jars', jar, ',');
    const executorPath = conf['spark.executor.extraClassPath'];
    Object.assign(conf, COMET_CONF, { 'spark.executor.extraClassPath': executorPath === undefined ? jar : `${executorPath}:${jar}` });
    notes.push(
      `engine comet: ${jar} on the driver and executor class paths${master.startsWith('local') ? '' : ' and via --jars'}; plugin, shuffle manager, off-heap ${config.sparkConf['spark.memory.offHeap.size'] ?? COMET_CONF['spark.memory.offHeap.size']}`,
    );
  }

  Object.assign(conf, config.sparkConf, {
    'spark.eventLog.enabled': 'true',
    'spark.eventLog.logStageExecutorMetrics': 'true',
    'spark.eventLog.dir': input.eventLogDir,
    'spark.pyspark.python': input.python,
    'spark.pyspark.driver.python': input.python,
  });
  notes.push(...(input.input?.notes ?? []));
  const args = [
    '--master',
    master,
    ...inputArgs,
    ...submit,
    ...Object.entries(conf).flatMap(([k, v]) => ['--conf', `${k}=${v}`]),
    input.jobScript,
    '--interactions',
    `${input.dataDir}/interactions`,
    '--metadata',
    `${input.dataDir}/metadata`,
    '--out',
    input.outDir,
    ...(input.job === 'post' ? postJobFlags(config) : []),
  ];
  return { master, sparkSubmitArgs: args, notes };
}
