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
    json: { type: 'boolean', default: false, describe: 'print the calculation as JSON' },
    local: { type: 'boolean', default: false, describe: 'one machine in Spark local mode (driver and tasks in one JVM); needs --nodes 1' },
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
