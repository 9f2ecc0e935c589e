// The dependency rule of bench/ (README "Architecture"): lib/ <- sparklog/ <- harness/, insights/ beside them on
// lib/ alone, and commands/ (with cli.ts) the only place that imports across wings. Tests (*.test.ts) may import what
// they test from anywhere; nothing imports a test, so they cannot close a cycle. generator/ and bench/ are two tools:
// bench reads gen's contracts (schema, manifest) and shares its S3 client; gen never imports bench.
const notTest = '\\.test\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'a cycle makes two modules one', from: {}, to: { circular: true } },
    {
      name: 'lib-is-the-bottom',
      severity: 'error',
      comment: 'bench/lib holds shared helpers and imports no wing',
      from: { path: '^bench/lib/', pathNot: notTest },
      to: { path: '^bench/(sparklog|harness|insights|commands|fixtures)/|^bench/cli\\.ts$' },
    },
    {
      name: 'sparklog-on-lib-only',
      severity: 'error',
      comment: 'event logs, findings, what-if and advise know nothing of runs, grids, pages or commands',
      from: { path: '^bench/sparklog/', pathNot: notTest },
      to: { path: '^bench/(harness|insights|commands|fixtures)/|^bench/cli\\.ts$' },
    },
    {
      name: 'harness-below-commands',
      severity: 'error',
      comment: 'grid, run, compare and report use lib and sparklog, never insights or a command',
      from: { path: '^bench/harness/', pathNot: notTest },
      to: { path: '^bench/(insights|commands|fixtures)/|^bench/cli\\.ts$' },
    },
    {
      name: 'insights-on-lib-only',
      severity: 'error',
      comment: "the product analyst's page stands beside sparklog and harness",
      from: { path: '^bench/insights/', pathNot: notTest },
      to: { path: '^bench/(sparklog|harness|commands|fixtures)/|^bench/cli\\.ts$' },
    },
    {
      name: 'fixtures-for-tests-only',
      severity: 'error',
      comment: 'test inputs never reach a command',
      from: { path: '^(bench|bin)/', pathNot: [notTest, '^bench/fixtures/'] },
      to: { path: '^bench/fixtures/' },
    },
    {
      name: 'gen-never-imports-bench',
      severity: 'error',
      from: { path: '^generator/' },
      to: { path: '^bench/' },
    },
    {
      name: 'bench-reads-gen-contracts-only',
      severity: 'error',
      comment: "gen's schema and manifest types are the contract; its S3 client is shared; the rest is gen's own",
      from: { path: '^bench/', pathNot: notTest },
      to: { path: '^generator/', pathNot: '^generator/(schema|manifest|sinks/s3)\\.ts$' },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|results|\\.venv)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js', '.mjs'] },
  },
};
