import { ErrorCode } from '../../core/errors.js';
import { createOptionsValidator } from '../../core/validate-options.js';
import { retryDefaults, type RetryJsonOptions } from './retry-options.generated.js';

/** `true` and `'full'`: uniform in [0, backoff]. `'equal'`: backoff/2 plus uniform in [0, backoff/2]. `false`: the backoff exactly. */
export type Jitter = NonNullable<RetryOptions['jitter']>;

/** The retry plugin's options: written once, in `retryOptionsSchema` below (the type and defaults are generated from it). */
export type RetryOptions = RetryJsonOptions;

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
    maxRetries: { type: 'integer', minimum: 0, default: 2, description: 'Retries after the first attempt, so a call makes at most `maxRetries + 1` attempts.' },
    initialDelayMs: { ...milliseconds, default: 500, description: 'Backoff before the first retry, before jitter.' },
    maxDelayMs: { ...milliseconds, default: 30000, description: 'Ceiling of the backoff, before jitter.' },
    factor: { type: 'number', minimum: 1, default: 2, description: "Each retry's backoff is the previous one times this." },
    jitter: {
      enum: [true, false, 'full', 'equal'],
      default: true,
      description: 'Spread retries of concurrent calls apart. true or "full": uniform in [0, backoff]; "equal": half the backoff plus up to half again; false: the backoff exactly.',
    },
    maxRetryAfterMs: {
      ...milliseconds,
      default: 60000,
      description: "Longest `retry-after` the plugin waits for. When the provider asks for longer, the call fails now with the provider's error instead of hanging.",
    },
    retryOn: {
      type: 'array',
      items: { enum: Object.values(ErrorCode) },
      uniqueItems: true,
      description: 'Retry only errors with these codes (e.g. ["HA_RATE_LIMITED"]). Narrows, never widens: an error must still be retryable. Default: every retryable error.',
    },
  },
} as const;

/** Validate options given in code or config and fill in the defaults. */
export function resolveRetryOptions(pluginName: string, options: RetryOptions | undefined): ResolvedRetryOptions {
  createOptionsValidator(pluginName, retryOptionsSchema)(options ?? {});
  const initialDelayMs = options?.initialDelayMs ?? retryDefaults.initialDelayMs;
  const maxDelayMs = options?.maxDelayMs ?? retryDefaults.maxDelayMs;
  if (initialDelayMs > maxDelayMs) {
    throw new TypeError(`The ${pluginName} plugin got bad options: option "initialDelayMs" (${initialDelayMs}) must not exceed option "maxDelayMs" (${maxDelayMs}).`);
  }
  const jitter = options?.jitter ?? retryDefaults.jitter;
  return Object.freeze({
    maxRetries: options?.maxRetries ?? retryDefaults.maxRetries,
    initialDelayMs,
    maxDelayMs,
    factor: options?.factor ?? retryDefaults.factor,
    jitter: jitter === true ? 'full' : jitter === false ? 'none' : jitter,
    maxRetryAfterMs: options?.maxRetryAfterMs ?? retryDefaults.maxRetryAfterMs,
    retryOn: options?.retryOn === undefined ? undefined : new Set(options.retryOn),
  });
}
