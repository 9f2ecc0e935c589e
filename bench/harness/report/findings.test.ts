// The report's findings section, on the recorded fixtures standing in for a run's pre and post logs.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LoadedRun } from '../run/load.ts';
import { findingsSectionHtml } from './findings.ts';

const fixtures = join(import.meta.dirname, '..', '..', 'sparklog', 'eventlog', 'fixtures');

describe('findingsSectionHtml', () => {
  it('one table per job × configuration, skew in pre and not in post, no scripts or links', async () => {
    // Only the fields the section reads; the rest of a run record does not matter here.
    const run = {
      dir: fixtures,
      records: [
        { job: 'pre', configLabel: 'local 2 cores', eventLog: 'skewed' },
        { job: 'pre', configLabel: 'local 2 cores', eventLog: 'skewed' },
        { job: 'post', configLabel: 'local 2 cores', eventLog: 'salted.zstd' },
        { job: 'post', configLabel: 'failed', eventLog: null },
      ],
    } as unknown as LoadedRun;
    const html = await findingsSectionHtml(run);
    const [pre, post] = html.split('<h3>').slice(1);
    expect(html.match(/<h3>/g)).toHaveLength(2);
    expect(pre).toContain('pre · local 2 cores');
    expect(pre).toContain('task-skew');
    expect(pre).toContain('stage 4 (SQL 0)');
    expect(post).not.toContain('task-skew');
    expect(html).not.toMatch(/<script|<link|src=|href=/);
    expect(html).toContain('SortMergeJoin');
  });
  it('says so when a log cannot be read', async () => {
    const run = { dir: fixtures, records: [{ job: 'pre', configLabel: 'x', eventLog: 'does-not-exist' }] } as unknown as LoadedRun;
    expect(await findingsSectionHtml(run)).toContain('event log unreadable');
  });
});
