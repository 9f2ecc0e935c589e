// Spark UI pictures for the walkthrough (issue 5, task 3a), as a script: see spark-ui.ts.
//
//   npx tsx bench/sparklog/analyze/ui/capture.ts --out DIR --log pre=PATH:39,35 --log post=PATH:120 [--port 18090]
//
// Each --log is prefix=event-log[:stage ids]. Runs Spark (a JVM) for about half a minute: never part of the test suite.
import { parseArgs } from 'node:util';
import { captureSparkUi, type UiTarget } from './spark-ui.ts';

export function parseTarget(spec: string): UiTarget {
  const match = /^([\w-]+)=(.+?)(?::([\d,]+))?$/.exec(spec);
  if (!match) throw new Error(`--log wants prefix=path[:stage,ids], got ${spec}`);
  const stageIds = (match[3] ?? '')
    .split(',')
    .filter((s) => s !== '')
    .map(Number);
  return { prefix: match[1] ?? '', eventLog: match[2] ?? '', stageIds };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { log: { type: 'string', multiple: true }, out: { type: 'string' }, port: { type: 'string', default: '18090' } } });
  if (!values.out || !values.log?.length) throw new Error('usage: capture.ts --out DIR --log prefix=PATH[:stage,ids] … [--port P]');
  const pictures = await captureSparkUi({ targets: values.log.map(parseTarget), out: values.out, port: Number(values.port) });
  for (const p of pictures) process.stdout.write(`${p.path}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`capture: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
