// Public face of bench/sparklog/analyze: findings from an AppSummary, the what-if replay, text formatting.
export { analyzeSummary } from './analyze.ts';
export { whatIf, parseLayout, replayJob, type WhatIfLayout, type WhatIfResult } from './whatif.ts';
export { formatReport, formatWhatIf } from './format.ts';
export { locateEventLogs } from './locate.ts';
export { utilisation } from './rules/app-rules.ts';
export { THRESHOLDS } from './thresholds.ts';
export type * from './types.ts';
