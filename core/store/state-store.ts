import type { MaybePromise } from './maybe-promise.js';

/** Provider limits are per minute; their windows slide. */
export const DEFAULT_WINDOW_MS = 60_000;
/** How long an entry may stay pending (admitted, not yet on the wire) before a crash is assumed. */
export const DEFAULT_PENDING_TTL_MS = 120_000;
/** How long a budget reservation may live: the longest call (a long stream) must settle before it. */
export const DEFAULT_RESERVATION_TTL_MS = 30 * 60_000;

/** An entry of a sliding window, as `windowReserve` gave it. Unique within its key. */
export type WindowEntryId = number;
/** A reservation against a budget, as `budgetReserve` gave it. Unique within its key. */
export type ReservationId = number;

export interface WindowRequest {
  /** Requests allowed in any window; `undefined` = no request limit. */
  readonly requestLimit?: number;
  /** Tokens allowed in any window; `undefined` = no token limit. */
  readonly tokenLimit?: number;
  /** Tokens this request reserves (its estimate, settled later). @default 0 */
  readonly tokens?: number;
  /** Length of the window. Every call on one key must pass the same length. @default 60_000 */
  readonly windowMs?: number;
  /** A pending entry not stamped, settled or released by then is dropped (its instance crashed). @default 120_000 */
  readonly pendingTtlMs?: number;
}

/** Admitted: the entry is pending (counted, with no time yet) until `windowStamp`. */
export interface WindowAdmitted {
  readonly admitted: true;
  readonly id: WindowEntryId;
  /** Requests and tokens counted in the window with this one. */
  readonly requests: number;
  readonly tokens: number;
}

export interface WindowRefused {
  readonly admitted: false;
  /**
   * When the same request would fit if nothing else changed: exact while the blocking entries are
   * stamped; a pending entry is counted as if stamped now (it may free sooner, when released).
   * `Infinity` when it can never fit (more tokens than `tokenLimit`).
   */
  readonly retryAfterMs: number;
  /** The limit that holds it back (the one with the longer wait). */
  readonly reason: 'requests' | 'tokens';
  readonly requests: number;
  readonly tokens: number;
}

export type WindowReservation = WindowAdmitted | WindowRefused;

export interface WindowUsage {
  /** Entries counted now: stamped within the window, and pending. */
  readonly requests: number;
  readonly tokens: number;
  /** Part of `requests` still pending. */
  readonly pending: number;
}

export interface BudgetTotals {
  /** Settled spending, in nano-dollars (integers: sums never lose a fraction). Never goes down. */
  readonly spentNano: number;
  /** Held by live reservations, in nano-dollars. */
  readonly reservedNano: number;
  /** Live reservations. */
  readonly reservations: number;
}

export interface BudgetReserveOptions {
  /** The reservation is dropped if not settled or released by then (its instance crashed). @default 1_800_000 */
  readonly ttlMs?: number;
}

export type BudgetReservation = (BudgetTotals & { readonly ok: true; readonly id: ReservationId }) | (BudgetTotals & { readonly ok: false });

/** What a settle or release did, and the totals after it. */
export interface BudgetSettlement extends BudgetTotals {
  /** False when the id was already settled or released: nothing changed (settles are idempotent). */
  readonly applied: boolean;
}

export type StoreErrorPolicy = 'fail-closed' | 'fail-open';

export interface StoredValue {
  readonly value: string;
  /** Milliseconds left before it expires. */
  readonly ttlMs: number;
}

/**
 * The state HyperAgent shares between calls, and between instances when the store is shared:
 * sliding windows (rate limits), money against budgets, and keys with a TTL (cooldowns, caches).
 * Every operation is atomic. Nothing in it is provider-specific: keys are the caller's.
 *
 * Every method returns `MaybePromise<T>`: the memory store answers synchronously (its class narrows
 * the types to `T`), remote stores with promises that reject with `StoreUnavailableError` when the
 * store cannot be reached. Branch with `isPromise` or chain with `whenReady` (`./maybe-promise.ts`)
 * so the in-process path never allocates a promise.
 *
 * Every reservation has a TTL, so one that its instance never settles (a crash) stops counting.
 */
export interface StateStore {
  /** `memory`, `redis`, … */
  readonly kind: string;
  /**
   * What the plugins do with a call while this store cannot be reached: refuse it with the
   * `StoreUnavailableError` (`fail-closed`), or let it through uncounted (`fail-open`). A store that
   * never fails (memory) leaves it unset.
   * @default 'fail-closed'
   */
  readonly onStoreError?: StoreErrorPolicy;

  /**
   * Admit one request into the window of `key` if one more request of `tokens` fits under both
   * limits, counting it at once as PENDING: it counts in every window until stamped, released or
   * expired (`pendingTtlMs`). Stamped, it counts in `(stampedAt - windowMs, stampedAt]`.
   */
  windowReserve(key: string, request: WindowRequest): MaybePromise<WindowReservation>;
  /**
   * The request reached the upstream: its entry gets the store's current time. Stamp when the
   * request was sent, or later (a late stamp only holds the slot longer). False when the entry was
   * not pending (already stamped, released, expired). The result is not needed: callers may leave
   * a remote store's promise unawaited (it never rejects).
   */
  windowStamp(key: string, id: WindowEntryId): MaybePromise<boolean>;
  /** Count `tokens` (what the request really used) instead of the estimate, pending or stamped. False when the entry is gone. */
  windowSettle(key: string, id: WindowEntryId, tokens: number): MaybePromise<boolean>;
  /** Drop a pending entry that never reached the wire. A stamped entry stays counted (false). */
  windowRelease(key: string, id: WindowEntryId): MaybePromise<boolean>;
  windowUsage(key: string, windowMs?: number): MaybePromise<WindowUsage>;

  /** Reserve `amountNano` if spent + reserved + amount ≤ `budgetNano`; otherwise refuse and change nothing. */
  budgetReserve(key: string, amountNano: number, budgetNano: number, options?: BudgetReserveOptions): MaybePromise<BudgetReservation>;
  /**
   * End a reservation and add `actualNano` to spent. The actual may exceed the reservation (spent
   * may then pass the budget: later reservations are refused). A reservation that expired is still
   * charged; one already settled or released is not charged again.
   */
  budgetSettle(key: string, id: ReservationId, actualNano: number): MaybePromise<BudgetSettlement>;
  /** End a reservation without charging anything (the call never reached the wire). */
  budgetRelease(key: string, id: ReservationId): MaybePromise<BudgetSettlement>;
  budgetTotals(key: string): MaybePromise<BudgetTotals>;
  /** Spent goes back to 0 (a new billing period); live reservations stay. Returns the totals after. */
  budgetResetSpent(key: string): MaybePromise<BudgetTotals>;

  get(key: string): MaybePromise<StoredValue | undefined>;
  set(key: string, value: string, ttlMs: number): MaybePromise<void>;
  /** Set only if no live value is there: true when this call set it (one winner across instances). */
  setIfAbsent(key: string, value: string, ttlMs: number): MaybePromise<boolean>;
  /** True when a live value was deleted. */
  delete(key: string): MaybePromise<boolean>;

  /** Release connections and timers. The store must not be used afterwards. */
  close(): MaybePromise<void>;
}
