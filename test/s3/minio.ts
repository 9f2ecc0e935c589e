// Test helper: a real MinIO on 127.0.0.1 driven through scripts/s3-server.sh, with its own state folder so a test
// file never shares data with another run. Buckets are made with the AWS SDK (no `mc`).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CreateBucketCommand, ListMultipartUploadsCommand, S3Client } from '@aws-sdk/client-s3';

export const ROOT = resolve(import.meta.dirname, '../..');
const SCRIPT = join(ROOT, 'scripts/s3-server.sh');

export interface S3Server {
  endpoint: string;
  /** AWS_* variables a child process (gen, spark-submit) needs to reach this server. */
  env: Record<string, string>;
  client: S3Client;
  stop(): void;
  /** Starts again on the same port with the same data (a restart after a fault). */
  restart(): void;
  /** Stops the server and deletes its state folder. */
  dispose(): void;
}

function run(cmd: string, stateDir: string, extra: Record<string, string> = {}): string {
  return execFileSync('bash', [SCRIPT, cmd], {
    env: { ...process.env, S3_STATE_DIR: stateDir, ...extra },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

function parseEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^export ([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) env[m[1]!] = m[2]!;
  }
  return env;
}

export function startS3Server(): S3Server {
  const stateDir = mkdtempSync(join(tmpdir(), 'insights-s3-'));
  const env = parseEnv(run('start', stateDir));
  const endpoint = env.AWS_ENDPOINT_URL!;
  const client = new S3Client({
    endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! },
    maxAttempts: 2,
  });
  return {
    endpoint,
    env,
    client,
    stop: () => void run('stop', stateDir),
    restart: () => void run('start', stateDir, { S3_REUSE_PORT: '1' }),
    dispose: () => {
      client.destroy();
      run('stop', stateDir);
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

export async function createBucket(client: S3Client, Bucket: string): Promise<void> {
  await client.send(new CreateBucketCommand({ Bucket }));
}

/** Multipart uploads still open for `key` (exact key: MinIO lists uploads per object, not per prefix). */
export async function openUploads(client: S3Client, Bucket: string, key: string): Promise<string[]> {
  const res = await client.send(new ListMultipartUploadsCommand({ Bucket, Prefix: key }));
  return (res.Uploads ?? []).map((u) => u.Key!);
}

/** Sets process.env so the sink's default provider chain finds this server (as `gen` would in a child process). */
export function useServerEnv(server: S3Server): () => void {
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(server.env)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}
