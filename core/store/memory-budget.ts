import type { BudgetReservation, BudgetSettlement, BudgetTotals, ReservationId } from './state-store.js';

interface Reservation {
  readonly amount: number;
  readonly expiresAt: number;
}

/** One budget of the memory store: settled spending and the reservations of calls in flight. */
export class MemoryBudget {
  private spent = 0;
  private reserved = 0;
  private readonly reservations = new Map<ReservationId, Reservation>();
  /** Reservations that expired unsettled: their settle still charges (the money was spent). */
  private readonly expired = new Set<ReservationId>();
  private nextExpiry = Number.POSITIVE_INFINITY;
  private lastId = 0;

  reserve(now: number, amount: number, budget: number, ttlMs: number): BudgetReservation {
    this.prune(now);
    if (this.spent + this.reserved + amount > budget) {
      return { ok: false, spentNano: this.spent, reservedNano: this.reserved, reservations: this.reservations.size };
    }
    const id = ++this.lastId;
    const expiresAt = now + ttlMs;
    this.reservations.set(id, { amount, expiresAt });
    if (expiresAt < this.nextExpiry) this.nextExpiry = expiresAt;
    this.reserved += amount;
    return { ok: true, id, spentNano: this.spent, reservedNano: this.reserved, reservations: this.reservations.size };
  }

  settle(now: number, id: ReservationId, actual: number): BudgetSettlement {
    this.prune(now);
    const applied = this.end(id);
    if (applied) this.spent += actual;
    return { applied, spentNano: this.spent, reservedNano: this.reserved, reservations: this.reservations.size };
  }

  release(now: number, id: ReservationId): BudgetSettlement {
    this.prune(now);
    const applied = this.end(id);
    return { applied, spentNano: this.spent, reservedNano: this.reserved, reservations: this.reservations.size };
  }

  totals(now: number): BudgetTotals {
    this.prune(now);
    return { spentNano: this.spent, reservedNano: this.reserved, reservations: this.reservations.size };
  }

  resetSpent(): void {
    this.spent = 0;
  }

  /** True when `id` was live or expired unsettled; it is neither afterwards. */
  private end(id: ReservationId): boolean {
    const reservation = this.reservations.get(id);
    if (reservation !== undefined) {
      this.reservations.delete(id);
      this.reserved -= reservation.amount;
      return true;
    }
    return this.expired.delete(id);
  }

  private prune(now: number): void {
    if (now < this.nextExpiry) return;
    let nextExpiry = Number.POSITIVE_INFINITY;
    for (const [id, reservation] of this.reservations) {
      if (reservation.expiresAt <= now) {
        this.reservations.delete(id);
        this.reserved -= reservation.amount;
        this.expired.add(id);
      } else if (reservation.expiresAt < nextExpiry) {
        nextExpiry = reservation.expiresAt;
      }
    }
    this.nextExpiry = nextExpiry;
  }
}
