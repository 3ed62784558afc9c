import { whenReady, type MaybePromise } from '../../core/store/maybe-promise.js';
import type { BudgetReservation, BudgetSettlement, BudgetTotals, ReservationId, StateStore } from '../../core/store/state-store.js';

/** No limit: what a charge with no reservation of its own reserves against, to be settled at once. */
const UNLIMITED = Number.MAX_SAFE_INTEGER;

/**
 * One budget (`budgetUsd`, or one backend's) kept in the kernel's state store under `key`, in
 * nano-dollars: reservations of calls in flight and settled spending, shared by every instance on
 * the same store. Every method answers as the store does: synchronously from the memory store, with
 * a promise from a remote one.
 */
export class StoreBudget {
  constructor(
    private readonly store: StateStore,
    readonly key: string,
    readonly limitNano: number,
  ) {}

  reserve(amountNano: number): MaybePromise<BudgetReservation> {
    return this.store.budgetReserve(this.key, amountNano > 0 ? amountNano : 0, this.limitNano);
  }

  /** Ends reservation `id` (if any) and adds `actualNano` to spent; with no reservation, spends it all the same. */
  settle(id: ReservationId | undefined, actualNano: number): MaybePromise<BudgetSettlement> {
    const actual = actualNano > 0 && Number.isFinite(actualNano) ? actualNano : 0;
    if (id !== undefined) return this.store.budgetSettle(this.key, id, actual);
    // A charge of a call that reserved nothing (pricing unknown at admission, or admitted while the store was down).
    return whenReady(this.store.budgetReserve(this.key, 0, UNLIMITED), (reservation) =>
      reservation.ok ? this.store.budgetSettle(this.key, reservation.id, actual) : { applied: false, ...totalsOf(reservation) },
    );
  }

  release(id: ReservationId): MaybePromise<BudgetSettlement> {
    return this.store.budgetRelease(this.key, id);
  }

  totals(): MaybePromise<BudgetTotals> {
    return this.store.budgetTotals(this.key);
  }

  resetSpent(): MaybePromise<BudgetTotals> {
    return this.store.budgetResetSpent(this.key);
  }
}

function totalsOf(totals: BudgetTotals): BudgetTotals {
  return { spentNano: totals.spentNano, reservedNano: totals.reservedNano, reservations: totals.reservations };
}
