import type { ResolvedRetryOptions } from './retry-options.js';

export type BackoffOptions = Pick<ResolvedRetryOptions, 'initialDelayMs' | 'maxDelayMs' | 'factor' | 'jitter'>;

/** The wait before retry number `retry` (1 for the first retry), jitter applied. `random` is in [0, 1). */
export function backoffDelay(retry: number, options: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxDelayMs, options.initialDelayMs * options.factor ** (retry - 1));
  switch (options.jitter) {
    case 'full':
      return Math.floor(random() * ceiling);
    case 'equal':
      return Math.floor(ceiling / 2 + (random() * ceiling) / 2);
    case 'none':
      return ceiling;
  }
}
