import type { RateLimits } from '../../core/types.js';
import { createOptionsValidator } from '../../core/validate-options.js';
import { rateLimitDefaults, type RateLimitJsonOptions } from './rate-limit-options.generated.js';

/**
 * Two windows of 60 s: a call queued behind a full rpm window (up to 60 s) plus a provider pause
 * (maxPauseMs, 60 s) still gets through, while a queue deeper than that fails fast with a typed
 * error the caller, the retry plugin or a backend group can act on, instead of holding a gateway
 * connection past the 60–120 s after which most proxies and HTTP clients give up anyway.
 */
export const DEFAULT_MAX_WAIT_MS = 120_000;
/** One rate-limit window: the longest any provider header makes us hold a backend back. */
export const DEFAULT_MAX_PAUSE_MS = 60_000;

/** The rate-limit plugin's options: written once, in `rateLimitOptionsSchema` below (the type and defaults are generated from it). */
export type RateLimitOptions = RateLimitJsonOptions;

export interface ResolvedRateLimitOptions {
  readonly backends: Readonly<Record<string, RateLimits>>;
  readonly defaults: RateLimits;
  readonly defaultOutputTokens: number;
  readonly maxWaitMs: number;
  readonly maxPauseMs: number;
}

const rateLimits = {
  type: 'object',
  additionalProperties: false,
  properties: {
    rpm: { type: 'integer', minimum: 1, description: 'Requests per minute.' },
    tpm: { type: 'integer', minimum: 1, description: 'Tokens per minute, input plus output.' },
    maxConcurrent: { type: 'integer', minimum: 1, description: 'Requests in flight at once.' },
  } satisfies Record<keyof RateLimits, unknown>,
} as const;

export const rateLimitOptionsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    backends: {
      type: 'object',
      additionalProperties: rateLimits,
      default: {},
      description: "Limits per backend name. Each field wins over the backend's own rateLimits (from its config or its provider's documented defaults, read through modelInfo().rateLimits).",
    },
    defaults: { ...rateLimits, default: {}, description: 'Limits for any field a backend has neither here nor in its own rateLimits. Default: unlimited.' },
    defaultOutputTokens: { type: 'integer', minimum: 0, default: 1024, description: "Output tokens reserved for a call that sets no maxTokens (capped at the model's output limit)." },
    maxWaitMs: {
      type: 'number',
      minimum: 0,
      default: DEFAULT_MAX_WAIT_MS,
      description:
        'Longest a call waits for capacity, in the queue and for the windows. A call that would wait longer (known when it reaches the head of the queue) fails at once, and one still waiting when it passes fails then, with a RateLimitError that says how long and for what. The default is two 60-second windows: a call queued behind one full rpm window plus a capped provider pause still gets through; a deeper queue gets a typed error rather than hanging past the timeouts of most proxies and HTTP clients. Raise it for batch work that may queue for minutes.',
    },
    maxPauseMs: {
      type: 'number',
      minimum: 0,
      default: DEFAULT_MAX_PAUSE_MS,
      description:
        'Longest any provider header holds back every call to its backend: retry-after, retry-after-ms, and the resets of x-ratelimit-* / anthropic-ratelimit-* when they say nothing is left. Headers are advice: one 429 asking for an hour, or a reset misread as 56 years, must not stall the process; calls past the cap meet the provider again.',
    },
  },
} as const;

/** Validate options given in code or config and fill in the defaults. */
export function resolveRateLimitOptions(pluginName: string, options: RateLimitOptions | undefined): ResolvedRateLimitOptions {
  createOptionsValidator(pluginName, rateLimitOptionsSchema)(options ?? {});
  return Object.freeze({
    backends: options?.backends ?? rateLimitDefaults.backends,
    defaults: options?.defaults ?? rateLimitDefaults.defaults,
    defaultOutputTokens: options?.defaultOutputTokens ?? rateLimitDefaults.defaultOutputTokens,
    maxWaitMs: options?.maxWaitMs ?? rateLimitDefaults.maxWaitMs,
    maxPauseMs: options?.maxPauseMs ?? rateLimitDefaults.maxPauseMs,
  });
}

/** Per field: the plugin's `backends` entry, then the backend's own limits, then the plugin's `defaults`. */
export function mergeLimits(...sources: readonly (RateLimits | undefined)[]): RateLimits {
  const pick = (key: keyof RateLimits): number | undefined => sources.find((source) => source?.[key] !== undefined)?.[key];
  const merged = { rpm: pick('rpm'), tpm: pick('tpm'), maxConcurrent: pick('maxConcurrent') };
  return Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined)) as RateLimits;
}
