import type { RateLimits } from '../../core/types.js';
import type { Clock } from './clock.js';
import type { StoreUnavailableError } from '../../core/errors.js';
import type { StateStore } from '../../core/store/state-store.js';

export interface RateLimiterOptions extends RateLimits {
  /** Named in error messages, e.g. the backend's name. @default 'backend' */
  readonly name?: string;
  /** Put on the errors this limiter throws. */
  readonly provider?: string;
  /** Longest wait for capacity; a call that would wait longer fails with a RateLimitError (see the plugin's option). @default 120000 */
  readonly maxWaitMs?: number;
  /** Longest a `pause` or a provider's reset holds every caller back. @default 60000 */
  readonly maxPauseMs?: number;
  /**
   * Real tokens per estimated token assumed until the backend's first call settled; from then on,
   * what its calls showed (see `EstimateCalibration`). 1 when the estimates come from the model's own tokenizer.
   * @default 4
   */
  readonly coldStartFactor?: number;
  /** @default the system clock (`performance.now()` and `setTimeout`) */
  readonly clock?: Clock;
  /** Where the rpm/tpm window lives: the kernel's store, shared by instances when it is. @default a memory store on `clock`, of this limiter only */
  readonly store?: StateStore;
  /** The window's key in `store`. @default `rate-limit:${name}` */
  readonly storeKey?: string;
  /**
   * A request admitted and not answered (stamped) by then stops counting as pending: only a crashed
   * instance leaves one that long, and in a shared store its slots must come back.
   * @default 600000 (a backend's default request timeout)
   */
  readonly pendingTtlMs?: number;
  /** The store failed an operation: `refused` (fail-closed), `admitted uncounted` (fail-open), `not recorded` (a stamp or settle after the request went out). */
  readonly onStoreError?: (error: StoreUnavailableError, action: 'refused' | 'admitted uncounted' | 'not recorded') => void;
}

/** The limits, each checked: a bad one throws a TypeError naming it. */
export function checkedLimits(options: RateLimits): Readonly<RateLimits> {
  return Object.freeze({
    ...(options.rpm === undefined ? {} : { rpm: positiveInteger('rpm', options.rpm) }),
    ...(options.tpm === undefined ? {} : { tpm: positiveInteger('tpm', options.tpm) }),
    ...(options.maxConcurrent === undefined ? {} : { maxConcurrent: positiveInteger('maxConcurrent', options.maxConcurrent) }),
  });
}

function positiveInteger(name: string, value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1) return value;
  throw new TypeError(`RateLimiter: option \`${name}\` must be an integer >= 1, received ${String(value)}.`);
}

/** A multiplier option: `undefined`, or finite and at least 1. */
export function factor(name: string, value: unknown): number | undefined {
  if (value === undefined || (typeof value === 'number' && value >= 1 && value < Number.POSITIVE_INFINITY)) return value;
  throw new TypeError(`RateLimiter: option \`${name}\` must be a finite number >= 1, received ${String(value)}.`);
}

/** A duration option: `fallback` when absent, else a number >= 0 (`Infinity` allowed: no limit). */
export function milliseconds(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && value >= 0) return value;
  throw new TypeError(`RateLimiter: option \`${name}\` must be a number >= 0, received ${String(value)}.`);
}
