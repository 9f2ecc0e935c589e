// The engine axis of a grid ("engine": "spark" | "comet") from parsing to spark-submit arguments. Pure but for one
// test that runs a stand-in scripts/comet.sh: no Spark, no download.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BenchError, InputError, UsageError } from '../../lib/errors.ts';
import { expandGrid } from '../grid/expand.ts';
import { engineOf } from '../grid/schema.ts';
import { cometJar } from './engine.ts';
import { buildLaunch, type LaunchInput } from './launch.ts';

const JAR = '/cache/jars/comet-spark-spark4.1_2.13-1.2.0.jar';
const common = { job: 'post' as const, jobScript: 'post.py', dataDir: '/d', outDir: '/o', eventLogDir: '/e', python: '/py', master: undefined };

function confOf(args: readonly string[]): Record<string, string> {
  const conf: Record<string, string> = {};
  args.forEach((a, i) => {
    if (args[i - 1] === '--conf') conf[a.slice(0, a.indexOf('='))] = a.slice(a.indexOf('=') + 1);
  });
  return conf;
}
function valuesOf(args: readonly string[], flag: string): string[] {
  return args.flatMap((a, i) => (args[i - 1] === flag ? [a] : []));
}

describe('grid: the engine key', () => {
  it('is spark unless the grid names it, and an engine axis labels each point', () => {
    const [plain] = expandGrid({ configs: [{ aqe: true }] });
    expect(plain!.config.engine).toBeUndefined();
    expect(engineOf(plain!.config)).toBe('spark');
    const points = expandGrid({ base: { executorMemory: '4g' }, configs: [{ engine: 'spark' }, { engine: 'comet' }] });
    expect(points.map((p) => [engineOf(p.config), p.label])).toEqual([
      ['spark', 'engine=spark'],
      ['comet', 'engine=comet'],
    ]);
  });

  it('names comet in the label when the base picks it', () => {
    const points = expandGrid({ base: { engine: 'comet' }, axes: { 'spark.sql.shuffle.partitions': [8, 16] } });
    expect(points.map((p) => p.label)).toEqual(['engine=comet spark.sql.shuffle.partitions=8', 'engine=comet spark.sql.shuffle.partitions=16']);
    expect(expandGrid({ base: { engine: 'comet' } })[0]!.label).toBe('engine=comet');
  });

  it.each([['velox'], [true], ['Comet']])('rejects engine %j with one line naming the choices', (value) => {
    expect(() => expandGrid({ configs: [{ engine: value }] }, 'g.json')).toThrow(UsageError);
    expect(() => expandGrid({ configs: [{ engine: value }] }, 'g.json')).toThrow(/^g\.json\.configs\[0\]\.engine: expected one of spark, comet, got /);
  });
});

describe('launch: the engine in spark-submit arguments', () => {
  const [spark, comet] = expandGrid({ base: { executors: 1, executorCores: 2, executorMemory: '4g' }, configs: [{ engine: 'spark' }, { engine: 'comet' }] });

  it('adds nothing for spark, even when a jar is known', () => {
    const args = buildLaunch({ ...common, config: spark!.config, cometJar: JAR }).sparkSubmitArgs;
    expect(args.join(' ')).not.toContain('comet');
    expect(confOf(args)['spark.plugins']).toBeUndefined();
  });

  it('puts the jar on both class paths (no --jars in local mode) and turns the plugin, shuffle and off-heap on', () => {
    const launch = buildLaunch({ ...common, config: comet!.config, cometJar: JAR });
    const args = launch.sparkSubmitArgs;
    expect(valuesOf(args, '--driver-class-path')).toEqual([JAR]);
    expect(valuesOf(args, '--jars')).toEqual([]);
    expect(confOf(args)).toMatchObject({
      'spark.plugins': 'org.apache.spark.CometPlugin',
      'spark.shuffle.manager': 'org.apache.spark.sql.comet.execution.shuffle.CometShuffleManager',
      'spark.memory.offHeap.enabled': 'true',
      'spark.memory.offHeap.size': '2g',
      'spark.comet.explain.fallback.enabled': 'true',
      'spark.executor.extraClassPath': JAR,
      'spark.eventLog.enabled': 'true',
    });
    expect(args.slice(0, 2)).toEqual(['--master', 'local[2]']);
    expect(args.slice(args.indexOf('post.py'))).toEqual(['post.py', '--interactions', '/d/interactions', '--metadata', '/d/metadata', '--out', '/o']);
    expect(launch.notes.join('\n')).toContain(`engine comet: ${JAR} on the driver and executor class paths; plugin, shuffle manager, off-heap 2g`);
  });

  it("lets the grid's own spark.* keys win over Comet's settings", () => {
    const [sized] = expandGrid({ configs: [{ engine: 'comet', 'spark.memory.offHeap.size': '3g', 'spark.comet.explain.fallback.enabled': false }] });
    const conf = confOf(buildLaunch({ ...common, config: sized!.config, cometJar: JAR }).sparkSubmitArgs);
    expect(conf['spark.memory.offHeap.size']).toBe('3g');
    expect(conf['spark.comet.explain.fallback.enabled']).toBe('false');
  });

  it("joins the jar to the s3a input's class paths instead of a second flag that would replace them", () => {
    const input = {
      submitArgs: ['--driver-class-path', '/jars/hadoop-aws.jar:/jars/bundle.jar'],
      conf: { 'spark.executor.extraClassPath': '/jars/hadoop-aws.jar:/jars/bundle.jar' },
      notes: [],
    };
    const args = buildLaunch({ ...common, config: comet!.config, cometJar: JAR, input }).sparkSubmitArgs;
    expect(valuesOf(args, '--driver-class-path')).toEqual([`/jars/hadoop-aws.jar:/jars/bundle.jar:${JAR}`]);
    expect(confOf(args)['spark.executor.extraClassPath']).toBe(`/jars/hadoop-aws.jar:/jars/bundle.jar:${JAR}`);
  });

  it('ships the jar with --jars to a standalone master as well', () => {
    const args = buildLaunch({ ...common, config: comet!.config, cometJar: JAR, master: 'spark://127.0.0.1:7077' }).sparkSubmitArgs;
    expect(valuesOf(args, '--jars')).toEqual([JAR]);
    expect(valuesOf(args, '--driver-class-path')).toEqual([JAR]);
  });

  it('refuses a comet configuration without the jar: exit 2, naming the fetch command', () => {
    const launch = (input: Omit<LaunchInput, 'cometJar'>) => () => buildLaunch(input);
    expect(launch({ ...common, config: comet!.config })).toThrow(InputError);
    expect(launch({ ...common, config: comet!.config })).toThrow('engine comet: no Comet jar given: run bash scripts/comet.sh fetch');
  });
});

describe('cometJar: the path scripts/comet.sh names, checked', () => {
  function repoWith(script: string): string {
    const root = mkdtempSync(join(tmpdir(), 'comet-jar-'));
    mkdirSync(join(root, 'scripts'));
    writeFileSync(join(root, 'scripts', 'comet.sh'), script);
    return root;
  }

  it('returns the jar when it is there', () => {
    const root = repoWith('echo "$(dirname "$0")/comet.jar"\n');
    writeFileSync(join(root, 'scripts', 'comet.jar'), 'jar');
    expect(cometJar(root)).toBe(join(root, 'scripts', 'comet.jar'));
  });

  it('says how to fetch a jar that is missing, as a one-line exit-2 error', () => {
    const root = repoWith('echo /nowhere/comet-spark.jar\n');
    let error: unknown;
    try {
      cometJar(root);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BenchError);
    expect((error as BenchError).exitCode).toBe(2);
    expect((error as Error).message).toBe('engine comet: Comet jar missing (/nowhere/comet-spark.jar): run bash scripts/comet.sh fetch');
  });

  it("passes on the script's own one-line reason when it cannot name a jar", () => {
    const root = repoWith('echo "[comet.sh] error: no pinned Comet release for Spark 3.5 / Scala 2.13" >&2\nexit 1\n');
    expect(() => cometJar(root)).toThrow('engine comet: [comet.sh] error: no pinned Comet release for Spark 3.5 / Scala 2.13');
  });
});
