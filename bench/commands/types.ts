// The shape every `bench` command folder exports from its index.ts: plain data (name, description, an option table)
// plus a lazy loader for the heavy handler module, so `bench --help` never loads DuckDB, Spark helpers or Playwright.

/** One flag, as plain data. `coerce` rejects bad values by throwing a UsageError that says what to type instead. */
export interface OptionSpec {
  readonly type: 'string' | 'number' | 'boolean' | 'array';
  readonly describe: string;
  readonly default?: unknown;
  readonly demandOption?: boolean;
  readonly choices?: readonly string[];
  readonly coerce?: (value: never) => unknown;
}

/** Positional arguments, e.g. `compare <runs..>`. */
export interface PositionalSpec {
  readonly type: 'string';
  readonly describe: string;
  readonly array?: boolean;
}

export interface BenchCommand<Options = Record<string, unknown>> {
  /** yargs command string: `run`, `compare <runs..>`, `report <run>`. */
  readonly command: string;
  readonly describe: string;
  readonly positionals?: Readonly<Record<string, PositionalSpec>>;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Loads the handler module only when this command runs. Returns the process exit code. */
  readonly load: () => Promise<{ handler: (options: Options) => Promise<number> }>;
}

// A command object is registered without knowing its option type; the handler receives what yargs parsed.
// biome-ignore lint/suspicious/noExplicitAny: the registry holds commands of every option type; each handler is typed.
export type AnyBenchCommand = BenchCommand<any>;
