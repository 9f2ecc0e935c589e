import { BenchError } from '../../errors.ts';

export async function handler(): Promise<number> {
  throw new BenchError('INTERNAL', 'compare: being built (issue 4)', 1);
}
