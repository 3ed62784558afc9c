import { isPromise, type MaybePromise } from '../../core/store/maybe-promise.js';
import type { StateStore, WindowEntryId, WindowReservation as StoreReservation } from '../../core/store/state-store.js';
import type { Blocked } from './sliding-window.js';

/** One request in the window, from `reserve` to `release`: its store id and the tokens it counts. */
export interface WindowReservation {
  readonly id: WindowEntryId;
  tokens: number;
}

export type WindowAdmission = { readonly reservation: WindowReservation } | { readonly blocked: Blocked };

export interface StoreWindowOptions {
  readonly store: StateStore;
  /** The window's key in the store: one per backend (and per `keyPrefix`, for a shared store). */
  readonly key: string;
  readonly rpm: number | undefined;
  readonly tpm: number | undefined;
  /** A request admitted and never stamped stops counting this long after admission (its instance crashed). */
  readonly pendingTtlMs: number;
  /** A stamp, settle or release the store could not take: told, never thrown (the request is on its way or over). */
  readonly onLost: (error: unknown) => void;
}

/**
 * A backend's requests-per-minute and tokens-per-minute window, kept in the kernel's state store
 * (`windowReserve` → `windowStamp` → `windowSettle`, or `windowRelease`), so that instances sharing a
 * store share the window. Synchronous with the memory store, promises with a remote one.
 */
export class StoreWindow {
  private readonly request: { requestLimit: number | undefined; tokenLimit: number | undefined; tokens: number; pendingTtlMs: number };
  /** What the last answer of the store said was counted (for `usage` on a remote store). */
  private readonly last = { requests: 0, tokens: 0 };
  /** When the last refusal said the window frees up (a remote store cannot be asked without reserving). */
  private blockedUntil = 0;

  constructor(private readonly options: StoreWindowOptions) {
    this.request = { requestLimit: options.rpm, tokenLimit: options.tpm, tokens: 0, pendingTtlMs: options.pendingTtlMs };
  }

  get store(): StateStore {
    return this.options.store;
  }

  get isSynchronous(): boolean {
    return this.options.store.kind === 'memory';
  }

  /** Admit one request of `tokens` if it fits (counted at once, pending), or say how long until it might. */
  reserve(tokens: number, now: number): MaybePromise<WindowAdmission> {
    // One request object, reused: the memory store reads it synchronously, a remote one at once into its arguments.
    this.request.tokens = tokens;
    const result = this.options.store.windowReserve(this.options.key, this.request);
    return isPromise(result) ? result.then((reservation) => this.admission(reservation, tokens, now)) : this.admission(result, tokens, now);
  }

  // Each call a try of its own rather than one helper taking a closure: these run on every request.
  stamp(reservation: WindowReservation): void {
    try {
      this.quietly(this.options.store.windowStamp(this.options.key, reservation.id));
    } catch (error) {
      this.options.onLost(error);
    }
  }

  settle(reservation: WindowReservation, tokens: number): void {
    reservation.tokens = tokens;
    try {
      this.quietly(this.options.store.windowSettle(this.options.key, reservation.id, tokens));
    } catch (error) {
      this.options.onLost(error);
    }
  }

  release(reservation: WindowReservation): void {
    try {
      this.quietly(this.options.store.windowRelease(this.options.key, reservation.id));
    } catch (error) {
      this.options.onLost(error);
    }
  }

  /** Requests and tokens counted now (with a remote store: as of its last answer). */
  usage(): { readonly requests: number; readonly tokens: number } {
    if (!this.isSynchronous) return this.last;
    const usage = this.options.store.windowUsage(this.options.key) as { requests: number; tokens: number };
    return { requests: usage.requests, tokens: usage.tokens };
  }

  /** How long a request of `tokens` would wait now, without reserving (routing's probe). */
  probe(tokens: number, now: number): Blocked | undefined {
    if (!this.isSynchronous) return this.blockedUntil > now ? { waitMs: this.blockedUntil - now, reason: 'rpm' } : undefined;
    const admission = this.reserve(tokens, now) as WindowAdmission;
    if ('blocked' in admission) return admission.blocked;
    this.options.store.windowRelease(this.options.key, admission.reservation.id);
    return undefined;
  }

  private admission(result: StoreReservation, tokens: number, now: number): WindowAdmission {
    this.last.requests = result.requests;
    this.last.tokens = result.tokens;
    if (result.admitted) {
      this.blockedUntil = 0;
      return { reservation: { id: result.id, tokens } };
    }
    this.blockedUntil = now + result.retryAfterMs;
    return { blocked: { waitMs: result.retryAfterMs, reason: result.reason === 'requests' ? 'rpm' : 'tpm' } };
  }

  /** A remote store's answer: its failure is told, never thrown. */
  private quietly(result: MaybePromise<unknown>): void {
    if (isPromise(result)) result.catch(this.options.onLost);
  }
}
