// `bench`: run Spark jobs under configuration grids, compare runs, report. The CLI is thin: each command is a folder
// under commands/ with a tiny index.ts (plain-data options) and a handler.ts loaded only when that command runs.
import yargs from 'yargs';
import type { Argv } from 'yargs';
import { BenchError, UsageError } from './lib/errors.ts';
import type { AnyBenchCommand } from './commands/types.ts';

// Registering a command is one line in this list: its folder's tiny index.ts (the handler inside loads lazily).
export const commands: readonly AnyBenchCommand[] = [
  (await import('./commands/run/index.ts')).default,
  (await import('./commands/compare/index.ts')).default,
  (await import('./commands/report/index.ts')).default,
  (await import('./commands/insights/index.ts')).default,
  (await import('./commands/analyze/index.ts')).default,
  (await import('./commands/whatif-check/index.ts')).default,
  (await import('./commands/advise/index.ts')).default,
];

export interface ParsedCommand {
  readonly command: AnyBenchCommand;
  readonly options: Record<string, unknown>;
}

function buildParser(argv: readonly string[], onCommand: (parsed: ParsedCommand) => void): Argv {
  let parser = yargs([...argv])
    .scriptName('bench')
    .usage('$0 <command> [options]')
    .strict()
    .demandCommand(1, `name a command: ${commands.map((c) => c.command.split(' ')[0]).join(', ')}`)
    .exitProcess(false)
    .help()
    .version(false)
    .fail((message, error) => {
      throw error instanceof BenchError ? error : new UsageError(message ?? error?.message ?? 'bad arguments');
    });
  for (const cmd of commands) {
    parser = parser.command(
      cmd.command,
      cmd.describe,
      (y) => {
        let built = y;
        for (const [name, spec] of Object.entries(cmd.positionals ?? {})) {
          built = built.positional(name, { type: spec.type, describe: spec.describe, array: spec.array });
        }
        for (const [name, spec] of Object.entries(cmd.options)) {
          built = built.option(name, { ...spec, requiresArg: spec.type !== 'boolean' } as never);
        }
        return built;
      },
      (args) => onCommand({ command: cmd, options: args as Record<string, unknown> }),
    );
  }
  return parser;
}

/**
 * Parses argv without running anything: tests call this with strings. Throws UsageError on bad input.
 * Returns undefined when yargs printed help instead of naming a command.
 */
export async function parseArgs(argv: readonly string[]): Promise<ParsedCommand | undefined> {
  let parsed: ParsedCommand | undefined;
  await buildParser(argv, (p) => {
    parsed = p;
  }).parseAsync();
  return parsed;
}

/** The one top-level handler: runs the command, turns errors into a short message and an exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    const parsed = await parseArgs(argv);
    if (parsed === undefined) return 0; // --help
    const { handler } = await parsed.command.load();
    return await handler(parsed.options);
  } catch (error) {
    if (error instanceof BenchError) {
      process.stderr.write(`bench: ${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(`bench: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}
