// bench advise: executor layout, memory, storage, local disk, partitions, broadcast and AQE settings for a data size
// on a cluster, every number derived in a Step a reader can redo. Rules of thumb are named in RULES; ratios come from
// a measured run (--from) or, without one, from the committed runs named in MEASURED. Settings the job chooses
// itself are never emitted for it (JOB_OWNED): they are listed as left to the job, with warnings.

import type { Advice, AdviseInput, JobKind, JobOwnedSetting, MeasuredRun, Step } from './types.ts';
import { bytes as human } from '../../lib/format.ts';
import { sparkSize } from '../../lib/sizes.ts';
import { POST_OWN_SETTINGS } from '../job-settings.ts';
import { predictCoreMs } from './series.ts';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

export const RULES = {
  reservedCoresPerNode: 1, // OS, node manager / worker daemon (Cloudera "How-to: Tune Your Apache Spark Jobs, Part 2")
  reservedMemoryShare: 0.1, // of node memory, at least 1 GiB: OS, page cache, daemons
  maxCoresPerExecutor: 5, // Cloudera: ~5 concurrent tasks per executor before HDFS/S3 client and GC contention
  overheadFactorJvm: 0.1, // Spark's spark.executor.memoryOverheadFactor default
  overheadFactorPySpark: 0.15, // ours: PySpark workers live in the overhead (no spark.executor.pyspark.memory)
  minOverheadBytes: 384 * MiB, // Spark's minimum overhead
  reservedHeapBytes: 300 * MiB, // Spark's reserved system memory
  memoryFraction: 0.6, // spark.memory.fraction default
  targetPartitionBytes: 128 * MiB, // shuffle bytes per partition (Spark's maxPartitionBytes default; AQE advisory 64 MB)
  storageFraction: 0.5, // spark.memory.storageFraction default: the part of unified memory execution cannot evict
  broadcastShareOfStorage: 0.25, // one broadcast relation may take a quarter of an executor's storage pool
  localDiskHeadroom: 2, // shuffle files of a stage that is retried, skew, and other applications on the disks
  maxBroadcastBytes: 1 * GiB,
  // The challenge's data (docs/challenge.md): ~100 GB of user metadata beside ~1 TB of interactions. Used for the
  // metadata side's size at --data when --metadata is not given.
  metadataPerInput: 100 / 1024,
  // Spark plans a join side's size from its files scaled by the projected columns' share of the row width
  // (SizeInBytesOnlyStatsPlanVisitor: 8 + the columns' defaultSize per row). The narrowest metadata side a join
  // reads is user_id alone: 8 + 20 of 8 + 84 bytes (user_id, country, device_type, subscription_type strings of 20,
  // join_date 4; advise.test.ts recomputes it from a committed manifest's schema).
  metadataNarrowestShare: 28 / 92,
  // The threshold stays at most half that narrowest estimate: the metadata side at --data is a projection, not a
  // file listing, and a side at half its projected size must still not broadcast.
  metadataMargin: 2,
  minDriverBytes: 4 * GiB,
  localHeapShare: 0.5, // local mode: half the usable memory for the JVM heap, half for the page cache
} as const;

/**
 * What the committed runs measured, used when no --from run is given or the run given does not measure a ratio (each
 * is what `measureRuns` returns for that run; advise.test.ts recomputes them from the committed event logs, so they
 * cannot drift from their source). Both are local runs on one 2-core machine, not the cluster of issue #13.
 */
export const MEASURED: Readonly<
  Record<
    JobKind,
    {
      readonly source: string;
      readonly shufflePerInput: number;
      readonly memoryPerShuffleByte: number;
      readonly persistedPerInput: number;
      readonly localDiskPerInput: number;
    }
  >
> = {
  // post at 2 GB (ce61c01, the post of today) with its own partitions, no spill: its largest exchange is 5.20 bytes per
  // byte of its largest stage input; the stage that reads it peaks at 13.1× a task's shuffle read; it caches 0.99
  // bytes per input byte; shuffle + spill 5.56.
  post: {
    source: 'results/2026-12-02-jobs-2gb-124222 (post)',
    shufflePerInput: 5.2,
    memoryPerShuffleByte: 13.09,
    persistedPerInput: 0.991,
    localDiskPerInput: 5.56,
  },
  // pre at 256 MB (ce61c01) with Spark's 200 partitions and AQE coalescing, no spill (pre at 2 GB ran out of memory:
  // results/2026-12-02-jobs-2gb-115140).
  pre: {
    source: 'results/2026-12-02-jobs-256mb-123558 (pre)',
    shufflePerInput: 1.59,
    memoryPerShuffleByte: 4.56,
    persistedPerInput: 2.86,
    localDiskPerInput: 4.59,
  },
};
/** A broadcast relation in memory per byte of the Parquet files it was built from: 51.7 MiB of metadata became a
 * 1152 MiB hash relation in the 512 MB study's post run (results/2026-11-25-study-512mb-pre-post, c01-post-r1), the
 * largest table any committed run broadcast straight from files. */
export const MEASURED_BROADCAST_BYTES_PER_FILE_BYTE = { source: 'results/2026-11-25-study-512mb-pre-post (post)', value: 22.3 } as const;

/** Settings a job chooses itself (see ../job-settings.ts): never emitted for that job, listed as left to it. */
export const JOB_OWNED: Readonly<Record<JobKind, Readonly<Record<string, string>>>> = { pre: {}, post: POST_OWN_SETTINGS };
/** post's event shuffle: one partition per this much input at most (post.py EVENTS_PARTITION_BYTES)... */
const POST_EVENTS_PARTITION_BYTES = 64 * MiB;
/** ...and per task memory / this (post.py EVENTS_MEMORY_PER_INPUT_BYTE, from results/2026-12-06-cluster-sweep-256mb). */
const POST_EVENTS_MEMORY_PER_INPUT_BYTE = 25;

/** bench grid keys that stand for a spark.* key (bench/harness/grid/schema.ts). */
const GRID_KEY_OF: Readonly<Record<string, string>> = {
  'spark.sql.adaptive.enabled': 'aqe',
  'spark.sql.adaptive.advisoryPartitionSizeInBytes': 'advisoryPartitionSize',
  'spark.sql.autoBroadcastJoinThreshold': 'broadcastThreshold',
};

function step(steps: Step[], name: string, formula: string, value: number, display: string, why: string): number {
  steps.push({ name, formula, value, display, why });
  return value;
}

interface Ratio {
  readonly value: number;
  /** Where the value was measured: the --from run, or the committed run it fell back to. */
  readonly source: string;
}

type RatioName = 'shuffle' | 'growth' | 'persisted' | 'disk' | 'relation';

/**
 * Each ratio advise scales by: the --from run's own when it measured one, else the committed default. Every fallback
 * is recorded in `defaults` with why, so the output never passes a default off as the run's own measurement.
 */
function ratiosOf(m: MeasuredRun | undefined, job: JobKind): { readonly ratios: Record<RatioName, Ratio>; readonly defaults: string[] } {
  const d = MEASURED[job];
  const committed = (value: number): Ratio => ({ value, source: d.source });
  const specs: Record<RatioName, { name: string; measured: number | undefined; fallback: Ratio; missing: string }> = {
    shuffle: {
      name: 'largest shuffle per input byte',
      measured: m !== undefined && m.inputBytes > 0 ? m.shuffleWriteBytes / m.inputBytes : undefined,
      fallback: committed(d.shufflePerInput),
      missing: 'it read no input',
    },
    growth: {
      name: 'memory per shuffle byte',
      measured: m?.memoryPerShuffleByte,
      fallback: committed(d.memoryPerShuffleByte),
      missing: 'no task of its stages read 16 MiB of shuffle or more (too small a run to measure how a partition grows)',
    },
    persisted: {
      name: 'persisted bytes per input byte',
      measured: m?.persistedBytes !== undefined ? m.persistedBytes / m.inputBytes : undefined,
      fallback: committed(d.persistedPerInput),
      missing: 'no materialized cache (a TableCacheQueryStage with a rowCount) in its final plans',
    },
    disk: {
      name: 'shuffle + spill per input byte',
      measured: m !== undefined && m.localDiskBytes > 0 ? m.localDiskBytes / m.inputBytes : undefined,
      fallback: committed(d.localDiskPerInput),
      missing: 'it wrote no shuffle and spilled nothing',
    },
    relation: {
      name: 'broadcast relation bytes per file byte',
      measured: m?.broadcastBytesPerFileByte,
      fallback: MEASURED_BROADCAST_BYTES_PER_FILE_BYTE,
      missing: 'no table was broadcast straight from its files',
    },
  };
  const defaults: string[] = [];
  const ratios = {} as Record<RatioName, Ratio>;
  for (const [key, spec] of Object.entries(specs) as [RatioName, (typeof specs)[RatioName]][]) {
    if (m !== undefined && spec.measured !== undefined && Number.isFinite(spec.measured) && spec.measured > 0) {
      ratios[key] = { value: spec.measured, source: m.source };
      continue;
    }
    ratios[key] = spec.fallback;
    defaults.push(
      `${spec.name}: ${spec.fallback.value} from ${spec.fallback.source}, ${m === undefined ? 'no --from run given' : `not measured in ${m.source}: ${spec.missing}`}`,
    );
  }
  return { ratios, defaults };
}

interface Layout {
  readonly coresPerExecutor: number;
  readonly executors: number;
  readonly heapBytes: number;
  /** Undefined in local mode: there is no container to size. */
  readonly overheadBytes?: number;
}

function clusterLayout(s: Step[], input: AdviseInput): Layout {
  const { nodes, coresPerNode, memoryPerNodeBytes: nodeMem } = input;
  // --offer: the node's cores and memory are what its worker offers to executors (a standalone worker's --cores and
  // --memory, YARN's nodemanager.resource.*): the OS and daemons are already outside them.
  const offer = input.offer === true;
  const reservedMem = step(
    s,
    'reserved memory per node',
    offer ? '0 (--offer: the worker offers this memory to executors)' : `max(1 GiB, ${RULES.reservedMemoryShare} × ${human(nodeMem)})`,
    offer ? 0 : Math.max(GiB, RULES.reservedMemoryShare * nodeMem),
    '',
    offer ? 'the OS and daemons live outside what the worker offers' : 'OS, page cache and the worker / node-manager daemons',
  );
  const usableCores = step(
    s,
    'usable cores per node',
    offer ? `${coresPerNode} (--offer)` : `${coresPerNode} − ${RULES.reservedCoresPerNode}`,
    offer ? coresPerNode : Math.max(1, coresPerNode - RULES.reservedCoresPerNode),
    '',
    offer ? 'the worker offers these cores to executors' : 'one core stays with the OS and daemons',
  );
  const usableMem = step(s, 'usable memory per node', `${human(nodeMem)} − ${human(reservedMem)}`, nodeMem - reservedMem, '', '');
  const coresPerExecutor = step(
    s,
    'cores per executor',
    `min(${RULES.maxCoresPerExecutor}, ${usableCores})`,
    Math.min(RULES.maxCoresPerExecutor, usableCores),
    '',
    'more than ~5 concurrent tasks per JVM contend on GC and the storage client; fewer waste memory on per-JVM overhead',
  );
  const executorsPerNode = step(
    s,
    'executors per node',
    `floor(${usableCores} / ${coresPerExecutor})`,
    Math.max(1, Math.floor(usableCores / coresPerExecutor)),
    '',
    '',
  );
  const executors = step(
    s,
    'executors',
    offer ? `${nodes} × ${executorsPerNode}` : `${nodes} × ${executorsPerNode} − 1`,
    offer ? nodes * executorsPerNode : Math.max(1, nodes * executorsPerNode - 1),
    '',
    offer
      ? 'the driver runs outside the workers (client deploy mode, as bench run submits)'
      : 'one executor slot is left to the driver (cluster deploy mode / YARN application master)',
  );
  const containerBytes = step(
    s,
    'memory per executor container',
    `floor(${human(usableMem)} / ${executorsPerNode})`,
    Math.floor(usableMem / executorsPerNode),
    '',
    'heap + overhead must fit the container the resource manager grants',
  );
  const factor = RULES.overheadFactorPySpark;
  const heapBytes = step(
    s,
    'executor heap (spark.executor.memory)',
    `floor_GiB(${human(containerBytes)} / (1 + ${factor}))`,
    Math.max(GiB, Math.floor(containerBytes / (1 + factor) / GiB) * GiB),
    '',
    `overhead factor ${factor} for a PySpark job (Spark's default is ${RULES.overheadFactorJvm}; Python workers are paid from the overhead)`,
  );
  const overheadBytes = step(
    s,
    'memory overhead (spark.executor.memoryOverhead)',
    `max(384 MiB, ${human(containerBytes)} − ${human(heapBytes)})`,
    Math.max(RULES.minOverheadBytes, Math.floor((containerBytes - heapBytes) / MiB) * MiB),
    '',
    'the rest of the container: off-heap buffers, netty, Python workers',
  );
  return { coresPerExecutor, executors, heapBytes, overheadBytes };
}

// Local mode: the driver JVM runs every task, so all cores are task slots (local[*] is what people run) and its heap
// is the only one. Shuffle files and the Parquet input are read back through the OS page cache, which is what a
// bigger heap would take away, so the heap gets only a share of the usable memory.
function localLayout(s: Step[], input: AdviseInput): Layout {
  const { coresPerNode: cores, memoryPerNodeBytes: mem } = input;
  const reservedMem = step(
    s,
    'reserved memory',
    `max(1 GiB, ${RULES.reservedMemoryShare} × ${human(mem)})`,
    Math.max(GiB, RULES.reservedMemoryShare * mem),
    '',
    'OS and the Python driver process',
  );
  const usableMem = step(s, 'usable memory', `${human(mem)} − ${human(reservedMem)}`, mem - reservedMem, '', '');
  const coresPerExecutor = step(
    s,
    'task slots in the JVM (local[N])',
    `${cores}`,
    cores,
    '',
    'local mode runs tasks on driver threads; no daemon needs a core of its own',
  );
  const heapBytes = step(
    s,
    'JVM heap (--driver-memory)',
    `floor_GiB(${human(usableMem)} × ${RULES.localHeapShare})`,
    Math.max(GiB, Math.floor((usableMem * RULES.localHeapShare) / GiB) * GiB),
    '',
    'the rest stays with the page cache, which serves shuffle files and Parquet reads back to the same machine',
  );
  return { coresPerExecutor, executors: 1, heapBytes };
}

export function advise(input: AdviseInput): Advice {
  const s: Step[] = [];
  const { dataBytes: data } = input;
  const m = input.measured;
  const local = input.local === true;
  if (local && input.nodes !== 1) throw new RangeError(`local mode runs on one machine; got ${input.nodes} nodes`);
  const { coresPerExecutor, executors, heapBytes, overheadBytes } = local ? localLayout(s, input) : clusterLayout(s, input);

  const unified = step(
    s,
    'unified memory per executor',
    `(${human(heapBytes)} − 300 MiB) × ${RULES.memoryFraction}`,
    (heapBytes - RULES.reservedHeapBytes) * RULES.memoryFraction,
    '',
    'execution + storage pool (spark.memory.fraction 0.6, default)',
  );
  const perTaskMax = step(
    s,
    'execution memory per task (at most)',
    `${human(unified)} / ${coresPerExecutor}`,
    unified / coresPerExecutor,
    '',
    'a task gets between 1/(2·cores) and 1/cores of the execution pool',
  );
  const perTaskMin = step(
    s,
    'execution memory per task (guaranteed)',
    `${human(unified)} / (2 × ${coresPerExecutor})`,
    unified / (2 * coresPerExecutor),
    '',
    '',
  );
  const slots = step(s, 'task slots', `${executors} × ${coresPerExecutor}`, executors * coresPerExecutor, '', 'tasks that run at once');

  const { ratios, defaults } = ratiosOf(m, input.job);
  const shuffleRatio = ratios.shuffle;
  const shuffleBytes = step(
    s,
    'largest shuffle (bytes)',
    `${human(data)} × ${shuffleRatio.value.toFixed(3)}`,
    data * shuffleRatio.value,
    '',
    `largest stage shuffle write per largest stage input, measured in ${shuffleRatio.source}`,
  );
  const growthRatio = ratios.growth;
  const fromSpill = growthRatio.source === m?.source && m.memoryRatioFromSpill === true;
  const growth = step(
    s,
    'memory per shuffle byte',
    `${fromSpill ? '(peak execution memory + memory spilled)' : 'peak execution memory'} / shuffle read, measured in ${growthRatio.source}`,
    Math.max(1, growthRatio.value),
    '',
    `the highest ratio among the tasks of the stage that reads the largest shuffle: what a partition takes in memory while it is sorted, aggregated and windowed${fromSpill ? " (that stage spilled: a spilling task's peak is capped by the memory it had, so its spilled in-memory bytes are added: the size it would need without spilling)" : ''}`,
  );
  const bySize = Math.ceil(shuffleBytes / RULES.targetPartitionBytes);
  const byMemory = Math.ceil((shuffleBytes * growth) / perTaskMin);
  const partitionsRaw = step(
    s,
    'shuffle partitions (before rounding)',
    `max(ceil(${human(shuffleBytes)} / 128 MiB), ceil(${human(shuffleBytes)} × ${growth.toFixed(2)} / ${human(perTaskMin)}))`,
    Math.max(bySize, byMemory, 1),
    `${Math.max(bySize, byMemory, 1)} (by size ${bySize}, by memory ${byMemory})`,
    `~128 MiB per partition, and each partition (× ${growth.toFixed(2)} in memory, measured) must fit the guaranteed execution memory of a task, so no spill`,
  );
  const partitions = step(
    s,
    'spark.sql.shuffle.partitions' in JOB_OWNED[input.job] ? 'shuffle partitions (only if you pass them: see below)' : 'spark.sql.shuffle.partitions',
    `ceil(${partitionsRaw} / ${slots}) × ${slots}`,
    Math.ceil(partitionsRaw / slots) * slots,
    '',
    'whole waves: a multiple of the task slots, so the last wave is not a few lonely tasks',
  );
  const splits = Math.ceil(data / RULES.targetPartitionBytes);
  const maxPartitionBytes = step(
    s,
    'spark.sql.files.maxPartitionBytes',
    splits >= 2 * slots ? '128 MiB (default)' : `max(16 MiB, ${human(data)} / (2 × ${slots}))`,
    splits >= 2 * slots ? RULES.targetPartitionBytes : Math.max(16 * MiB, Math.floor(data / (2 * slots) / MiB) * MiB),
    '',
    `${splits} input splits at 128 MiB; at least 2 per slot keeps every core busy while reading`,
  );
  const storagePool = step(
    s,
    'storage pool per executor',
    `${human(unified)} × ${RULES.storageFraction}`,
    unified * RULES.storageFraction,
    '',
    'spark.memory.storageFraction: cached blocks and broadcast copies below this are never evicted by execution',
  );
  const persistedPerInput = ratios.persisted;
  const persisted = step(
    s,
    'persisted data (all executors)',
    `${human(data)} × ${persistedPerInput.value.toFixed(3)}`,
    data * persistedPerInput.value,
    '',
    `in-memory size of the cached relations per input byte, measured in ${persistedPerInput.source}`,
  );
  const persistedPerExecutor = step(
    s,
    'persisted data per executor',
    `${human(persisted)} / ${executors}`,
    persisted / executors,
    '',
    'cached partitions spread over the executors',
  );
  const diskPerInput = ratios.disk;
  const nodes = local ? 1 : input.nodes;
  const localDisk = step(
    s,
    'local disk per node (spark.local.dir)',
    `${human(data)} × ${diskPerInput.value.toFixed(2)} / ${nodes} × ${RULES.localDiskHeadroom}`,
    ((data * diskPerInput.value) / nodes) * RULES.localDiskHeadroom,
    '',
    `every stage's shuffle write + disk spill per input byte (measured in ${diskPerInput.source}), spread over the nodes, × ${RULES.localDiskHeadroom} for retried stages and skew`,
  );
  const relationBudget = step(
    s,
    'largest broadcast relation an executor holds',
    `${RULES.broadcastShareOfStorage} × ${human(storagePool)}`,
    RULES.broadcastShareOfStorage * storagePool,
    '',
    'every executor (and the driver) holds the whole relation beside the tasks that probe it',
  );
  const bytesPerFileByte = ratios.relation;
  const byRelation = relationBudget / bytesPerFileByte.value;
  const metadataBytes = step(
    s,
    'metadata side (files)',
    input.metadataBytes !== undefined ? `--metadata ${human(input.metadataBytes)}` : `${human(data)} × 100 GB / 1 TB`,
    input.metadataBytes ?? data * RULES.metadataPerInput,
    '',
    input.metadataBytes !== undefined
      ? 'the user metadata the job joins, as given'
      : "the challenge's ~100 GB of user metadata per ~1 TB of interactions (--metadata gives your data's own)",
  );
  if (input.metadataBytes === undefined)
    defaults.push(`metadata side: ${human(metadataBytes)}, the challenge's 100 GB per 1 TB of --data (--metadata not given)`);
  const byMetadata = step(
    s,
    'largest threshold the metadata side stays above',
    `${human(metadataBytes)} × ${RULES.metadataNarrowestShare.toFixed(3)} / ${RULES.metadataMargin}`,
    (metadataBytes * RULES.metadataNarrowestShare) / RULES.metadataMargin,
    '',
    "Spark's size estimate for the narrowest metadata projection a join reads (user_id alone), with a factor 2 margin: the metadata join stays a sort-merge join as at 1 TB, where a broadcast of the metadata would not fit anywhere",
  );
  // Whole MiB below the smallest bound; when that is under 1 MiB no table may be broadcast by size at all (-1). The
  // jobs' own broadcast hints (post's hot-key broadcast) do not depend on the threshold.
  const cap = Math.min(RULES.maxBroadcastBytes, byRelation, byMetadata);
  const broadcastBytes = step(
    s,
    'spark.sql.autoBroadcastJoinThreshold',
    `min(1 GiB, ${human(relationBudget)} / ${bytesPerFileByte.value.toFixed(1)}, ${human(byMetadata)})`,
    cap >= MiB ? Math.floor(cap / MiB) * MiB : -1,
    cap >= MiB ? '' : '-1 (off)',
    `the planner compares the table's file size with the threshold, but the relation Spark builds is ${bytesPerFileByte.value.toFixed(1)}× that in memory (measured in ${bytesPerFileByte.source}): a table at the threshold builds a relation of at most the budget; and it stays below the metadata side${cap >= MiB ? '' : '; under 1 MiB: off'}`,
  );
  const broadcastSetting = broadcastBytes > 0 ? sparkSize(broadcastBytes) : '-1';
  const driverBytes = local
    ? heapBytes
    : step(
        s,
        'spark.driver.memory',
        `max(4 GiB, 4 × ${human(relationBudget)})`,
        Math.max(RULES.minDriverBytes, Math.ceil((4 * relationBudget) / GiB) * GiB),
        '',
        'the driver collects each broadcast and builds the relation before shipping it; the hot-key list and job results are small',
      );
  const advisory = RULES.targetPartitionBytes;
  const skewThreshold = step(
    s,
    'spark.sql.adaptive.skewJoin.skewedPartitionThresholdInBytes',
    `2 × ${human(advisory)}`,
    2 * advisory,
    '',
    'AQE splits a join partition above 5× the median AND this size; at 2× the advisory size it acts before a task outgrows its memory',
  );

  const layoutSettings: Record<string, string> = local
    ? { 'spark.master': `local[${coresPerExecutor}]`, 'spark.driver.memory': sparkSize(heapBytes) }
    : {
        'spark.executor.instances': String(executors),
        'spark.executor.cores': String(coresPerExecutor),
        'spark.executor.memory': sparkSize(heapBytes),
        'spark.executor.memoryOverhead': sparkSize(overheadBytes ?? RULES.minOverheadBytes),
        'spark.driver.memory': sparkSize(driverBytes),
        'spark.driver.cores': '4',
        // post_optimization never makes fewer event partitions than this (its _cores()); on a cluster it is 2 otherwise.
        'spark.default.parallelism': String(slots),
      };
  const sqlSettings: Record<string, string> = {
    'spark.sql.shuffle.partitions': String(partitions),
    'spark.sql.files.maxPartitionBytes': sparkSize(maxPartitionBytes),
    'spark.sql.autoBroadcastJoinThreshold': broadcastSetting,
    'spark.sql.adaptive.enabled': 'true',
    'spark.sql.adaptive.coalescePartitions.enabled': 'true',
    'spark.sql.adaptive.coalescePartitions.parallelismFirst': 'false',
    'spark.sql.adaptive.advisoryPartitionSizeInBytes': sparkSize(advisory),
    'spark.sql.adaptive.skewJoin.enabled': 'true',
    'spark.sql.adaptive.skewJoin.skewedPartitionFactor': '5',
    'spark.sql.adaptive.skewJoin.skewedPartitionThresholdInBytes': sparkSize(skewThreshold),
  };
  const owned = JOB_OWNED[input.job];
  const leftToJob: JobOwnedSetting[] = Object.entries(owned).map(([key, jobValue]) => ({ key, jobValue, adviseValue: sqlSettings[key] ?? '' }));
  const sqlForJob = Object.fromEntries(Object.entries(sqlSettings).filter(([key]) => !(key in owned)));
  const settings = { ...layoutSettings, 'spark.memory.fraction': String(RULES.memoryFraction), ...sqlForJob };

  const warnings: string[] = [];
  let partitionsInUse = partitions;
  if ('spark.sql.shuffle.partitions' in owned) {
    // What post will choose for its event shuffle, and whether a task's share of it fits in memory.
    const ownBytes = step(
      s,
      "the job's input bytes per event partition",
      `max(1 MiB, min(64 MiB, ${human(perTaskMax)} / ${POST_EVENTS_MEMORY_PER_INPUT_BYTE}))`,
      Math.max(MiB, Math.min(POST_EVENTS_PARTITION_BYTES, Math.floor(perTaskMax / POST_EVENTS_MEMORY_PER_INPUT_BYTE))),
      '',
      `post_optimization.event_partition_bytes: 64 MiB, or what a task's share of the pool holds at ${POST_EVENTS_MEMORY_PER_INPUT_BYTE} bytes of memory per input byte (bracketed by spill in results/2026-12-06-cluster-sweep-256mb)`,
    );
    partitionsInUse = step(
      s,
      "the job's own event partitions",
      `${slots} × ceil(${human(data)} / ${human(ownBytes)} / ${slots})`,
      slots * Math.max(1, Math.ceil(data / ownBytes / slots)),
      '',
      `post_optimization.event_partitions: rounded up to whole waves of the task slots it sees (${local ? 'N of local[N]' : 'spark.default.parallelism, set above'})`,
    );
    const inMemory = (shuffleBytes / partitionsInUse) * growth;
    if (inMemory > perTaskMin) {
      const likely = inMemory > perTaskMax;
      warnings.push(
        `post's own ${partitionsInUse} event partitions hold ~${human(shuffleBytes / partitionsInUse)} of shuffle each, ~${human(inMemory)} in memory: ${likely ? `more than the ${human(perTaskMax)} a task gets even with the pool to itself (1/cores): expect spill` : `more than the ${human(perTaskMin)} a task is guaranteed (1/(2·cores)), within the ${human(perTaskMax)} it gets in a full wave of equal tasks: it may spill when the wave is uneven`}. To size them yourself pass --conf spark.sql.shuffle.partitions=${partitions} — this switches post's own event partitioning off for every shuffle of the job.`,
      );
    }
    warnings.push(
      `Not emitted, left to the post job: ${Object.keys(owned).length} settings (listed above). It sets each itself unless the key is passed (--conf, spark-defaults.conf or a bench grid); passing one — even with the same value — replaces the job's choice.`,
    );
  }
  if (persistedPerExecutor > storagePool) {
    warnings.push(
      `The job persists ~${human(persistedPerExecutor)} per executor, more than its ${human(storagePool)} storage pool: the rest is evicted to disk (MEMORY_AND_DISK) and read back when execution memory is short. More executor memory or more executors keep it in memory.`,
    );
  }
  if (m?.largestBroadcastBytes !== undefined && m.largestBroadcastBytes > relationBudget) {
    warnings.push(
      `${m.source} built a ${human(m.largestBroadcastBytes)} broadcast relation, over the ${human(relationBudget)} an executor here should hold: with the threshold above that join becomes a sort-merge join unless the job broadcasts it by hint.`,
    );
  }

  // bench's grid keys (bench/harness/grid/schema.ts): the layout as executors/cores/memory, which bench maps to
  // local[N] or the cluster's flags; the named SQL knobs through their grid keys, the rest as spark.* keys; never a
  // key the job sets itself.
  const grid: Record<string, string | number | boolean> = {
    executors,
    executorCores: coresPerExecutor,
    executorMemory: sparkSize(heapBytes),
    ...(local
      ? {}
      : {
          driverMemory: sparkSize(driverBytes),
          'spark.executor.memoryOverhead': sparkSize(overheadBytes ?? RULES.minOverheadBytes),
          'spark.default.parallelism': String(slots),
        }),
  };
  for (const [key, value] of Object.entries(sqlForJob)) {
    const gridKey = GRID_KEY_OF[key];
    if (gridKey === 'aqe') grid.aqe = value === 'true';
    else if (gridKey === 'broadcastThreshold' && value === '-1')
      grid.broadcastThreshold = -1; // the grid schema's "off"
    else if (key === 'spark.sql.shuffle.partitions') grid[key] = Number(value);
    else grid[gridKey ?? key] = value;
  }
  const safeguards = [
    (shuffleBytes / partitionsInUse) * growth <= perTaskMin
      ? `Bounded partitions: ${partitionsInUse} shuffle partitions put ~${human(shuffleBytes / partitionsInUse)} in each, ${human((shuffleBytes / partitionsInUse) * growth)} in memory against ${human(perTaskMin)} guaranteed per task.`
      : `Partitions not bounded by memory: the job's own ${partitionsInUse} put ~${human(shuffleBytes / partitionsInUse)} in each, ${human((shuffleBytes / partitionsInUse) * growth)} in memory against ${human(perTaskMin)} guaranteed per task (see the warnings).`,
    `Storage: ~${human(persistedPerExecutor)} persisted per executor against a ${human(storagePool)} storage pool; local disk ≥ ${human(localDisk)} per node for shuffle files and spill.`,
    "Hot keys: the post job finds users above --hot-key-fraction (default 1 %) of events from the facts' own counts and joins them by broadcast (default) or salting (--skew-mode salt --salt-buckets 16), so no join task holds a hot user; its sessionization shuffles by (user_id, date), spreading a hot user's year over 365 tasks.",
    input.job === 'post'
      ? "AQE skew join backs this up for sort-merge joins it did not foresee, with the post job's own settings (3× the median and 64 MiB); it cannot split aggregations or windows, which is why the job handles hot keys itself."
      : 'AQE skew join backs this up for sort-merge joins it did not foresee; it cannot split aggregations or windows.',
    broadcastBytes > 0
      ? `Broadcasts capped at ${human(broadcastBytes)} of files (autoBroadcastJoinThreshold), ≤ ${human(relationBudget)} as a relation in memory, so a table cannot fill the driver (${human(driverBytes)}) or the executors, and below the ${human(metadataBytes)} metadata side.`
      : `Broadcast joins by size off (autoBroadcastJoinThreshold -1): even a table below 1 MiB of files could be the metadata side here; only the job's own hints broadcast.`,
    overheadBytes !== undefined
      ? `Overhead ${human(overheadBytes)} per executor for Python workers and off-heap buffers: containers killed by the resource manager ("exceeding memory limits") mean raise this, not the heap.`
      : `Local mode: no container limit; the Python processes and off-heap buffers come out of the ${human(input.memoryPerNodeBytes - heapBytes)} left outside the heap.`,
    'spark.driver.maxResultSize (default 1g) stops a collect() from taking the driver down; the jobs collect only the hot-key list.',
  ];
  const estimate = estimateOf(input, m, slots, executors, coresPerExecutor);
  return {
    input,
    steps: s.map((x) => ({ ...x, display: x.display || displayOf(x) })),
    settings,
    leftToJob,
    warnings,
    grid,
    safeguards,
    defaults,
    partitionCounts: { bySize, byMemory, wholeWaves: partitions },
    ...(estimate ? { estimate } : {}),
  };
}

/**
 * Core-hours and wall time at the input size: from the series' fitted growth when given (fixed + per byte), else the
 * measured run's core-time per input byte (which spreads that run's fixed cost over every byte). Spread perfectly
 * over the slots, so a lower bound. With a deadline, the fewest nodes of this layout whose slots fit it.
 */
function estimateOf(input: AdviseInput, m: MeasuredRun | undefined, slots: number, executors: number, coresPerExecutor: number): Advice['estimate'] {
  const data = input.dataBytes;
  let coreMs: number;
  let basis: string;
  if (input.series !== undefined) {
    const f = input.series;
    coreMs = predictCoreMs(f, data);
    const worst = Math.max(...f.residuals.map(Math.abs));
    basis = `${(f.fixedCoreMs / 1000).toFixed(1)} core-s + ${((f.coreMsPerByte * GiB) / 1000).toFixed(1)} core-s per GiB of input, the line through ${f.points.length} points (${f.points.map((p) => p.source).join(', ')}; each within ${(worst * 100).toFixed(1)} % of it), spread perfectly over ${slots} slots (a lower bound: no skew, no driver time)`;
  } else if (m !== undefined && m.inputBytes > 0 && m.taskCoreMs > 0) {
    coreMs = (m.taskCoreMs / m.inputBytes) * data;
    basis = `task core-time per input byte measured in ${m.source}, spread perfectly over ${slots} slots (a lower bound: no skew, no driver time)`;
  } else return undefined;
  const coreHours = coreMs / 3_600_000;
  const wallMinutes = (coreHours * 60) / slots;
  if (input.deadlineMs === undefined || input.local === true) return { coreHours, wallMinutes, basis };
  // slots(n) = (n × executors per node − 1) × cores per executor: one executor slot stays with the driver (none
  // with --offer, where the driver runs outside the workers).
  const driverSlot = input.offer === true ? 0 : 1;
  const perNode = (executors + driverSlot) / input.nodes;
  const slotsNeeded = coreMs / input.deadlineMs;
  const nodesForDeadline = Math.max(1, Math.ceil((Math.ceil(slotsNeeded / coresPerExecutor) + driverSlot) / perNode));
  return { coreHours, wallMinutes, basis, nodesForDeadline };
}

function displayOf(x: Step): string {
  const bytesLike = /memory|bytes|heap|overhead|Bytes|[Tt]hreshold|pool|persisted|disk|relation|metadata/.test(x.name) && x.value >= 1024;
  return bytesLike ? human(x.value) : Number.isInteger(x.value) ? String(x.value) : x.value.toFixed(2);
}
