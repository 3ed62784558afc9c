import type { RateLimits } from '../../core/types.js';
import { createOptionsValidator } from '../../core/validate-options.js';

export interface RateLimitOptions {
  /**
   * Limits per backend name. Each field wins over the backend's own `rateLimits` (from its config or
   * its provider's documented defaults, read through `modelInfo().rateLimits`).
   * @default {}
   */
  readonly backends?: Readonly<Record<string, RateLimits>>;
  /** Limits for any field a backend has neither here nor in its own `rateLimits`. @default {} (unlimited) */
  readonly defaults?: RateLimits;
  /** Output tokens reserved for a call that sets no `maxTokens` (capped at the model's output limit). @default 1024 */
  readonly defaultOutputTokens?: number;
  /** Longest a call waits for capacity; longer fails at once with a RateLimitError. @default no limit */
  readonly maxWaitMs?: number;
  /**
   * Longest a provider's `retry-after` holds back every call to its backend. One 429 asking for an
   * hour should not stall the process for an hour; calls past the cap meet the provider again.
   * @default 60000
   */
  readonly maxPauseMs?: number;
}

export interface ResolvedRateLimitOptions {
  readonly backends: Readonly<Record<string, RateLimits>>;
  readonly defaults: RateLimits;
  readonly defaultOutputTokens: number;
  readonly maxWaitMs: number | undefined;
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
      description: "Limits per backend name; each field wins over the backend's own rateLimits.",
    },
    defaults: { ...rateLimits, default: {}, description: 'Limits for backends that set none of their own.' },
    defaultOutputTokens: { type: 'integer', minimum: 0, default: 1024, description: 'Output tokens reserved for a call without maxTokens.' },
    maxWaitMs: { type: 'number', minimum: 0, description: 'Longest wait for capacity before failing with a rate-limit error. No limit when absent.' },
    maxPauseMs: { type: 'number', minimum: 0, default: 60000, description: "Longest a provider's retry-after holds back every call to its backend." },
  } satisfies Record<keyof RateLimitOptions, unknown>,
} as const;

/** Validate options given in code or config and fill in the defaults. */
export function resolveRateLimitOptions(pluginName: string, options: RateLimitOptions | undefined): ResolvedRateLimitOptions {
  createOptionsValidator(pluginName, rateLimitOptionsSchema)(options ?? {});
  return Object.freeze({
    backends: options?.backends ?? {},
    defaults: options?.defaults ?? {},
    defaultOutputTokens: options?.defaultOutputTokens ?? 1024,
    maxWaitMs: options?.maxWaitMs,
    maxPauseMs: options?.maxPauseMs ?? 60_000,
  });
}

/** Per field: the plugin's `backends` entry, then the backend's own limits, then the plugin's `defaults`. */
export function mergeLimits(...sources: readonly (RateLimits | undefined)[]): RateLimits {
  const pick = (key: keyof RateLimits): number | undefined => sources.find((source) => source?.[key] !== undefined)?.[key];
  const merged = { rpm: pick('rpm'), tpm: pick('tpm'), maxConcurrent: pick('maxConcurrent') };
  return Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined)) as RateLimits;
}
