// The insights page reads the jobs' output tables through OUTPUT_COLUMNS (types.ts). The tables are defined once, in
// spark-jobs OUTPUT_SCHEMAS, and docs/tables.md is generated from it (tables_doc.py --check keeps it so): every column
// the page reads must be there with a type it can cast. Fast tier: reads a Markdown file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../lib/paths.ts';
import { OUTPUT_COLUMNS } from './types.ts';

function documentedTables(markdown: string): Map<string, Map<string, string>> {
  const tables = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const line of markdown.split('\n')) {
    const heading = /^## (\w+)\s*$/.exec(line);
    if (heading) {
      current = new Map();
      tables.set(heading[1]!, current);
    }
    const column = /^\| `(\w+)` \| `(\w+)` \|/.exec(line);
    if (column && current) current.set(column[1]!, column[2]!);
  }
  return tables;
}

const CASTS: Record<string, readonly string[]> = { date: ['date'], num: ['bigint', 'double', 'int', 'integer', 'float'], str: ['string'] };

describe("the output tables the insights page reads are the jobs' own", () => {
  const documented = documentedTables(readFileSync(join(REPO_ROOT, 'docs', 'tables.md'), 'utf8'));

  it.each(Object.entries(OUTPUT_COLUMNS))('%s: every column read exists in docs/tables.md with a castable type', (table, columns) => {
    const doc = documented.get(table);
    expect(doc, `docs/tables.md has no section "## ${table}"`).toBeDefined();
    for (const [column, kind] of Object.entries(columns)) {
      expect(doc!.get(column), `${table}.${column}`).toBeDefined();
      expect(CASTS[kind], `${table}.${column} is ${doc!.get(column)}, read as ${kind}`).toContain(doc!.get(column));
    }
  });
});
