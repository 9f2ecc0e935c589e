// Public face of bench/sparklog/advise.
export { advise } from './advise.ts';
export { formatAdvice, formatTable } from './format.ts';
export { measureRuns, NoMeasurementError } from './from-run.ts';
export { fitCost, predictCoreMs } from './series.ts';
export { parseSize, sparkSize } from '../../lib/sizes.ts';
export type * from './types.ts';
