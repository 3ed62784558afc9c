import type { WindowReservation } from './store-window.js';

/** The limiter's side of its permits: one object per limiter, so a permit costs no closures. */
export interface PermitLedger {
  stamp(reservation: WindowReservation | undefined): void;
  settle(reservation: WindowReservation | undefined, estimate: number, used: number, measured: boolean): void;
  drop(reservation: WindowReservation | undefined): void;
  end(freeSlot: (() => void) | undefined): void;
}

/**
 * Capacity granted for one attempt: one request and its tokens in the windows, plus a concurrency
 * slot. Its life: granted (pending: counted in every window, never expiring) → `stamp` when the
 * attempt reached the upstream → `settle` to the real tokens → `release`. `cancel` instead of all
 * that when the request was never sent.
 */
export class RateLimitPermit {
  private ended = false;
  /** Stamped once: a second stamp (at release) would find the entry no longer pending, a store call for nothing. */
  private stamped = false;

  constructor(
    /** The tokens the caller estimated. */
    readonly estimatedTokens: number,
    /** The tokens reserved: the estimate scaled by what the backend's real usage showed (see `EstimateCalibration`). */
    readonly reservedTokens: number,
    /** How long the attempt waited for capacity. */
    readonly waitedMs: number,
    /** What it waited for: `rpm`, `tpm`, `maxConcurrent`, `retry-after`, `provider-requests`, `provider-tokens`; `undefined` when it did not wait. */
    readonly reason: string | undefined,
    private readonly ledger: PermitLedger,
    private readonly reservation: WindowReservation | undefined,
    private readonly freeSlot: (() => void) | undefined,
  ) {}

  /** The request has reached the upstream (its attempt returned, its stream's first event came, or it failed): its window starts now. */
  stamp(): void {
    if (this.stamped) return;
    this.stamped = true;
    this.ledger.stamp(this.reservation);
  }

  /**
   * Count the tokens the attempt really used instead of the reservation; fewer free the window at
   * once, more hold later admissions back. `measured: false` for a count that is itself an estimate
   * (a failure the provider reported nothing for), which then teaches the calibration nothing.
   */
  settle(tokens: number, measured = true): void {
    this.ledger.settle(this.reservation, this.estimatedTokens, Math.max(0, Math.round(tokens)), measured);
  }

  /** Free the concurrency slot; a permit never stamped is stamped now. Safe to call more than once. */
  release(): void {
    if (this.ended) return;
    this.ended = true;
    this.stamp();
    this.ledger.end(this.freeSlot);
  }

  /** The request was never sent: take it out of the windows and free the slot. Nothing, once released. */
  cancel(): void {
    if (this.ended) return;
    this.ended = true;
    this.ledger.drop(this.reservation);
    this.ledger.end(this.freeSlot);
  }

  get isReleased(): boolean {
    return this.ended;
  }
}
