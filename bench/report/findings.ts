// ─── ANALYSER HOOK ──────────────────────────────────────────────────────────────────────────────────────────────
// The report embeds the analyser's findings (bench analyze, issue 5) here. Replace the body of `findingsSection`
// (or pass `findings` to buildReport) with a function returning an HTML fragment; it must stay self-contained:
// no scripts, no external links, no fonts. Until then the report says that no findings are attached.
import type { LoadedRun } from '../run/load.ts';
import { picturesHtml, type ReportPicture } from './ui.ts';

export type FindingsRenderer = (run: LoadedRun, pictures?: readonly ReportPicture[]) => Promise<string>;

// bench analyze's findings (bench/analyze/html.ts), loaded only when a report is built; Spark UI pictures (--ui) go
// under the table of the run they were taken from.
export const findingsSection: FindingsRenderer = async (run, pictures = []) =>
  (await import('../analyze/html.ts')).findingsSectionHtml(run, pictures.length > 0 ? { below: (record, findings) => picturesHtml(record.key, findings, pictures) } : {});
