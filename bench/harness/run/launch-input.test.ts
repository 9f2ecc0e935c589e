// The input's spark-submit additions (s3a) in the launch mapping: first on the command line, and a grid's own
// spark.hadoop.* key overrides the input's value. Pure: no Spark.
import { describe, expect, it } from 'vitest';
import { expandGrid } from '../grid/expand.ts';
import { buildLaunch } from './launch.ts';
import type { InputLaunch } from './s3-input.ts';

const input: InputLaunch = {
  submitArgs: ['--driver-class-path', '/jars/hadoop-aws.jar'],
  conf: { 'spark.hadoop.fs.s3a.endpoint': 'http://127.0.0.1:9000', 'spark.hadoop.fs.s3a.path.style.access': 'true' },
  notes: ['input from S3: s3a://b/p via http://127.0.0.1:9000'],
};
const common = { job: 'post' as const, jobScript: 'post.py', dataDir: 's3a://b/p', outDir: '/o', eventLogDir: '/e', python: '/py', master: undefined, input };

describe('launch mapping with an s3a input', () => {
  it('adds the jars, the fs.s3a settings and the note; data paths stay s3a://', () => {
    const config = expandGrid({ configs: [{}] })[0]!.config;
    const launch = buildLaunch({ ...common, config });
    const args = launch.sparkSubmitArgs.join(' ');
    expect(args).toMatch(/^--master local\[\*\] --driver-class-path \/jars\/hadoop-aws\.jar /);
    expect(args).toContain('--conf spark.hadoop.fs.s3a.endpoint=http://127.0.0.1:9000');
    expect(args).toContain('--interactions s3a://b/p/interactions --metadata s3a://b/p/metadata');
    expect(launch.notes).toContain('input from S3: s3a://b/p via http://127.0.0.1:9000');
  });

  it("a grid's spark.hadoop.* key wins over the input's", () => {
    const config = expandGrid({ configs: [{ 'spark.hadoop.fs.s3a.endpoint': 'http://other:9000' }] })[0]!.config;
    const args = buildLaunch({ ...common, config }).sparkSubmitArgs;
    expect(args.filter((a) => a.startsWith('spark.hadoop.fs.s3a.endpoint='))).toEqual(['spark.hadoop.fs.s3a.endpoint=http://other:9000']);
  });
});
