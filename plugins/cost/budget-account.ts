/**
 * Money against one budget, in integer nano-dollars: what is spent (settled) and what calls in
 * flight hold in reservation. Invariant: `spent + reserved ≤ limit` after every `reserve`; only a
 * settle larger than its reservation (a call that cost more than its worst case) can pass it.
 *
 * The operations are the ones a shared store offers for "reserve and settle money against a
 * budget" (core/store), so an instance shared across processes can take this one's place: each is
 * atomic, and none of them allocates more than the reservation's map entry.
 */
export class BudgetAccount {
  private spentNano = 0;
  private reservedNano = 0;
  private readonly reservations = new Map<string, number>();

  constructor(readonly limitNano: number) {}

  /** Spent so far: every settle, never less. */
  get spent(): number {
    return this.spentNano;
  }

  /** Held by calls in flight. */
  get reserved(): number {
    return this.reservedNano;
  }

  /** Calls holding a reservation. */
  get holders(): number {
    return this.reservations.size;
  }

  /** What a new reservation may take now. */
  get available(): number {
    return Math.max(0, this.limitNano - this.spentNano - this.reservedNano);
  }

  /** What `callKey` still holds. */
  heldBy(callKey: string): number {
    return this.reservations.get(callKey) ?? 0;
  }

  /**
   * Holds `amountNano` for `callKey` if it fits next to what is spent and reserved; otherwise
   * changes nothing. A second reservation for the same call adds to its first.
   */
  reserve(callKey: string, amountNano: number): boolean {
    const amount = amountNano > 0 ? amountNano : 0;
    if (this.spentNano + this.reservedNano + amount > this.limitNano) return false;
    this.reservedNano += amount;
    this.reservations.set(callKey, (this.reservations.get(callKey) ?? 0) + amount);
    return true;
  }

  /**
   * Adds what the call really cost to what is spent and takes as much off its reservation (all of
   * it when it cost more). A call may settle several times (once per charged attempt); a cost that
   * is negative or not a number adds nothing, so spending never goes down.
   */
  settle(callKey: string, actualNano: number): void {
    const actual = actualNano > 0 && Number.isFinite(actualNano) ? actualNano : 0;
    this.spentNano += actual;
    const held = this.reservations.get(callKey);
    if (held === undefined || actual === 0) return;
    const taken = Math.min(held, actual);
    this.reservedNano -= taken;
    this.reservations.set(callKey, held - taken);
  }

  /** Drops what `callKey` still holds, and returns it. Releasing again (or a call that never reserved) does nothing. */
  release(callKey: string): number {
    const held = this.reservations.get(callKey);
    if (held === undefined) return 0;
    this.reservations.delete(callKey);
    this.reservedNano -= held;
    return held;
  }

  /** Forget what was spent (a new billing period). Reservations of calls in flight stay. */
  resetSpent(): void {
    this.spentNano = 0;
  }
}
