// ─── ANALYSER HOOK ──────────────────────────────────────────────────────────────────────────────────────────────
// The report embeds the analyser's findings (bench analyze, issue 5) here. Replace the body of `findingsSection`
// (or pass `findings` to buildReport) with a function returning an HTML fragment; it must stay self-contained:
// no scripts, no external links, no fonts. Until then the report says that no findings are attached.
import type { LoadedRun } from '../run/load.ts';

export type FindingsRenderer = (run: LoadedRun) => Promise<string>;

// bench analyze's findings (bench/analyze/html.ts), loaded only when a report is built.
export const findingsSection: FindingsRenderer = async (run) => (await import('../analyze/html.ts')).findingsSectionHtml(run);
