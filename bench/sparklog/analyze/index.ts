// Public face of bench/sparklog/analyze: findings from an AppSummary, the what-if replay, text formatting.
export { analyzeSummary } from './analyze.ts';
export { whatIf, parseLayout, replayJob } from './whatif.ts';
export { formatReport } from './format.ts';
export { locateEventLogs } from './locate.ts';
export type * from './types.ts';
