import { ErrorCode, type ErrorCodeValue } from '../../core/errors.js';
import { createOptionsValidator } from '../../core/validate-options.js';

/** `true` and `'full'`: uniform in [0, backoff]. `'equal'`: backoff/2 plus uniform in [0, backoff/2]. `false`: the backoff exactly. */
export type Jitter = boolean | 'full' | 'equal';

export interface RetryOptions {
  /** Retries after the first attempt, so a call makes at most `maxRetries + 1` attempts. @default 2 */
  readonly maxRetries?: number;
  /** Backoff before the first retry, before jitter. @default 500 */
  readonly initialDelayMs?: number;
  /** Ceiling of the backoff, before jitter. @default 30000 */
  readonly maxDelayMs?: number;
  /** Each retry's backoff is the previous one times this. @default 2 */
  readonly factor?: number;
  /** Spread retries of concurrent calls apart. @default true (full jitter) */
  readonly jitter?: Jitter;
  /**
   * Longest `retry-after` the plugin waits for. When the provider asks for longer, the call fails
   * now with the provider's error instead of hanging.
   * @default 60000
   */
  readonly maxRetryAfterMs?: number;
  /**
   * Retry only errors with these codes (e.g. `["HA_RATE_LIMITED"]`). Narrows, never widens: an
   * error must still be retryable.
   * @default every retryable error
   */
  readonly retryOn?: readonly ErrorCodeValue[];
}

export interface ResolvedRetryOptions {
  readonly maxRetries: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly factor: number;
  readonly jitter: 'full' | 'equal' | 'none';
  readonly maxRetryAfterMs: number;
  readonly retryOn: ReadonlySet<string> | undefined;
}

const milliseconds = { type: 'number', minimum: 0 } as const;

export const retryOptionsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    maxRetries: { type: 'integer', minimum: 0, default: 2, description: 'Retries after the first attempt.' },
    initialDelayMs: { ...milliseconds, default: 500, description: 'Backoff before the first retry, before jitter.' },
    maxDelayMs: { ...milliseconds, default: 30000, description: 'Ceiling of the backoff, before jitter.' },
    factor: { type: 'number', minimum: 1, default: 2, description: 'Growth of the backoff from one retry to the next.' },
    jitter: { enum: [true, false, 'full', 'equal'], default: true, description: 'true or "full": uniform in [0, backoff]; "equal": half the backoff plus up to half again; false: none.' },
    maxRetryAfterMs: { ...milliseconds, default: 60000, description: 'Longest retry-after honoured; longer fails the call at once.' },
    retryOn: {
      type: 'array',
      items: { enum: Object.values(ErrorCode) },
      uniqueItems: true,
      description: 'Retry only errors with these codes (still only retryable ones).',
    },
  } satisfies Record<keyof RetryOptions, unknown>,
} as const;

/** Validate options given in code or config and fill in the defaults. */
export function resolveRetryOptions(pluginName: string, options: RetryOptions | undefined): ResolvedRetryOptions {
  createOptionsValidator(pluginName, retryOptionsSchema)(options ?? {});
  const initialDelayMs = options?.initialDelayMs ?? 500;
  const maxDelayMs = options?.maxDelayMs ?? 30_000;
  if (initialDelayMs > maxDelayMs) {
    throw new TypeError(`The ${pluginName} plugin got bad options: option "initialDelayMs" (${initialDelayMs}) must not exceed option "maxDelayMs" (${maxDelayMs}).`);
  }
  const jitter = options?.jitter ?? true;
  return Object.freeze({
    maxRetries: options?.maxRetries ?? 2,
    initialDelayMs,
    maxDelayMs,
    factor: options?.factor ?? 2,
    jitter: jitter === true ? 'full' : jitter === false ? 'none' : jitter,
    maxRetryAfterMs: options?.maxRetryAfterMs ?? 60_000,
    retryOn: options?.retryOn === undefined ? undefined : new Set(options.retryOn),
  });
}
