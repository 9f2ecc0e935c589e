import type { BenchCommand } from '../types.ts';
import { UsageError } from '../../lib/errors.ts';
import { parseSize } from '../../lib/sizes.ts';
import type { AdviseCommandOptions } from './handler.ts';

function size(flag: string) {
  return (value: string): number => {
    const bytes = parseSize(String(value));
    if (bytes === undefined || bytes <= 0) throw new UsageError(`--${flag}: expected a size such as 100GB, 1TB or 64g; got ${value}`);
    return bytes;
  };
}

/** One size, or a comma-separated list of them (for --table). */
function sizes(flag: string) {
  const one = size(flag);
  return (value: string): number[] =>
    String(value)
      .split(',')
      .map((part) => one(part));
}

/** A wall-time target such as 45m or 2h. */
function minutes(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(m|min|h)$/.exec(String(value).trim());
  const amount = match ? Number(match[1]) * (match[2] === 'h' ? 60 : 1) : Number.NaN;
  if (!(amount > 0)) throw new UsageError(`--deadline: expected a duration such as 45m or 2h; got ${value}`);
  return amount * 60_000;
}

function count(flag: string) {
  return (value: number): number => {
    if (!Number.isInteger(value) || value < 1) throw new UsageError(`--${flag}: expected a whole number ≥ 1; got ${value}`);
    return value;
  };
}

const command: BenchCommand<AdviseCommandOptions> = {
  command: 'advise',
  describe:
    'executors, cores, memory, overhead, storage, local disk, partitions, broadcast and AQE settings for a data size on a cluster, each calculation shown; never a setting the job chooses itself',
  options: {
    data: {
      type: 'string',
      demandOption: true,
      describe: 'input size, e.g. 100GB, 500GB, 1TB (binary units); with --table a list: 100GB,500GB,1TB',
      coerce: sizes('data'),
    },
    nodes: { type: 'number', demandOption: true, describe: 'worker nodes', coerce: count('nodes') },
    cores: { type: 'number', demandOption: true, describe: 'cores per node', coerce: count('cores') },
    memory: { type: 'string', demandOption: true, describe: 'memory per node, e.g. 64g', coerce: size('memory') },
    metadata: {
      type: 'string',
      describe: "the user metadata's size in files (default: the challenge's 100 GB per 1 TB of --data); the broadcast threshold stays below it",
      coerce: size('metadata'),
    },
    job: { type: 'string', default: 'post', choices: ['pre', 'post'], describe: 'which job the settings are for' },
    from: {
      type: 'string',
      describe: 'scale from a measured run (results/RUN_ID, a folder or an event log) instead of the ratios measured in the committed runs',
    },
    series: {
      type: 'string',
      describe:
        "runs of the job at several input sizes, comma-separated (results/RUN_ID or folders): core-hours and wall time from the line through their task time, not one run's average",
      coerce: (value: string) =>
        String(value)
          .split(',')
          .filter((part) => part !== ''),
    },
    deadline: {
      type: 'string',
      describe: 'a wall-time target such as 45m or 2h: adds the fewest nodes that finish within it (same lower bound as the estimate)',
      coerce: minutes,
    },
    json: { type: 'boolean', default: false, describe: 'print the calculation as JSON' },
    local: { type: 'boolean', default: false, describe: 'one machine in Spark local mode (driver and tasks in one JVM); needs --nodes 1' },
    offer: {
      type: 'boolean',
      default: false,
      describe:
        "--cores and --memory are what each worker offers to executors (a standalone worker's --cores/--memory): nothing reserved for the OS, the driver outside the workers (client mode)",
    },
    table: {
      type: 'boolean',
      default: false,
      describe: 'one Markdown row per --data size (the sizing table of docs/tuning.md), instead of the calculation',
    },
    grid: { type: 'boolean', default: false, describe: 'print the advice as a bench grid file ({"configs": [...]}) for `bench run --configs`' },
  },
  load: () => import('./handler.ts'),
};

export default command;
