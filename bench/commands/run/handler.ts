import { BenchError } from '../../errors.ts';

export async function handler(): Promise<number> {
  throw new BenchError('INTERNAL', 'run: being built (issue 4)', 1);
}
