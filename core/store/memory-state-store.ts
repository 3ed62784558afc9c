import { MemoryBudget } from './memory-budget.js';
import { MemoryWindow } from './memory-window.js';
import {
  DEFAULT_RESERVATION_TTL_MS,
  type BudgetReservation,
  type BudgetReserveOptions,
  type BudgetSettlement,
  type BudgetTotals,
  type ReservationId,
  type StateStore,
  type StoredValue,
  type WindowEntryId,
  type WindowRequest,
  type WindowReservation,
  type WindowUsage,
} from './state-store.js';
import { checkId, checkKey, checkValue, nano, positive, settledTokens, windowArguments } from './store-arguments.js';

/** The time source of a store. Inject a manual one to test without waiting. */
export interface StoreClock {
  /** Milliseconds on a monotonic scale. */
  now(): number;
}

export interface MemoryStateStoreOptions {
  /** @default `performance.now()` (fake timers move it too) */
  readonly clock?: StoreClock;
}

interface Entry {
  readonly value: string;
  readonly expiresAt: number;
}

const systemClock: StoreClock = Object.freeze({ now: () => performance.now() });

/**
 * The default store: state of this process only, every operation synchronous (no promise, no
 * allocation beyond the result), so admission stays as fast as a local counter.
 */
export class MemoryStateStore implements StateStore {
  readonly kind = 'memory';
  private readonly clock: StoreClock;
  private readonly windows = new Map<string, MemoryWindow>();
  private readonly budgets = new Map<string, MemoryBudget>();
  private readonly values = new Map<string, Entry>();
  /** Expired values are dropped when read, and all at once each time the map doubled. */
  private sweepAt = 1024;

  constructor(options: MemoryStateStoreOptions = {}) {
    this.clock = options.clock ?? systemClock;
  }

  windowReserve(key: string, request: WindowRequest): WindowReservation {
    checkKey('windowReserve', key);
    const args = windowArguments(request);
    let window = this.windows.get(key);
    if (window === undefined) {
      window = new MemoryWindow(args.windowMs);
      this.windows.set(key, window);
    } else if (window.windowMs !== args.windowMs) {
      throw new TypeError(`StateStore.windowReserve: the window "${key}" is ${window.windowMs} ms long, received windowMs ${args.windowMs}. Use one length per key.`);
    }
    return window.reserve(this.clock.now(), args.requestLimit, args.tokenLimit, args.tokens, args.pendingTtlMs);
  }

  windowStamp(key: string, id: WindowEntryId): boolean {
    checkId('windowStamp', id);
    return this.windows.get(key)?.stamp(this.clock.now(), id) ?? false;
  }

  windowSettle(key: string, id: WindowEntryId, tokens: number): boolean {
    checkId('windowSettle', id);
    const settled = settledTokens(tokens);
    return this.windows.get(key)?.settle(this.clock.now(), id, settled) ?? false;
  }

  windowRelease(key: string, id: WindowEntryId): boolean {
    checkId('windowRelease', id);
    return this.windows.get(key)?.release(this.clock.now(), id) ?? false;
  }

  windowUsage(key: string): WindowUsage {
    checkKey('windowUsage', key);
    return this.windows.get(key)?.usage(this.clock.now()) ?? { requests: 0, tokens: 0, pending: 0 };
  }

  budgetReserve(key: string, amountNano: number, budgetNano: number, options?: BudgetReserveOptions): BudgetReservation {
    checkKey('budgetReserve', key);
    nano('budgetReserve', 'amountNano', amountNano);
    nano('budgetReserve', 'budgetNano', budgetNano);
    const ttlMs = options?.ttlMs === undefined ? DEFAULT_RESERVATION_TTL_MS : positive('budgetReserve', 'ttlMs', options.ttlMs);
    let budget = this.budgets.get(key);
    if (budget === undefined) {
      budget = new MemoryBudget();
      this.budgets.set(key, budget);
    }
    return budget.reserve(this.clock.now(), amountNano, budgetNano, ttlMs);
  }

  budgetSettle(key: string, id: ReservationId, actualNano: number): BudgetSettlement {
    checkId('budgetSettle', id);
    nano('budgetSettle', 'actualNano', actualNano);
    const budget = this.budgets.get(key);
    if (budget === undefined) return { applied: false, spentNano: 0, reservedNano: 0, reservations: 0 };
    return budget.settle(this.clock.now(), id, actualNano);
  }

  budgetRelease(key: string, id: ReservationId): BudgetSettlement {
    checkId('budgetRelease', id);
    const budget = this.budgets.get(key);
    if (budget === undefined) return { applied: false, spentNano: 0, reservedNano: 0, reservations: 0 };
    return budget.release(this.clock.now(), id);
  }

  budgetTotals(key: string): BudgetTotals {
    checkKey('budgetTotals', key);
    return this.budgets.get(key)?.totals(this.clock.now()) ?? { spentNano: 0, reservedNano: 0, reservations: 0 };
  }

  budgetResetSpent(key: string): BudgetTotals {
    checkKey('budgetResetSpent', key);
    const budget = this.budgets.get(key);
    budget?.resetSpent();
    return budget?.totals(this.clock.now()) ?? { spentNano: 0, reservedNano: 0, reservations: 0 };
  }

  get(key: string): StoredValue | undefined {
    checkKey('get', key);
    const entry = this.values.get(key);
    if (entry === undefined) return undefined;
    const ttlMs = entry.expiresAt - this.clock.now();
    if (ttlMs <= 0) {
      this.values.delete(key);
      return undefined;
    }
    return { value: entry.value, ttlMs: Math.ceil(ttlMs) };
  }

  set(key: string, value: string, ttlMs: number): void {
    checkKey('set', key);
    checkValue('set', value);
    this.put(key, value, positive('set', 'ttlMs', ttlMs));
  }

  setIfAbsent(key: string, value: string, ttlMs: number): boolean {
    checkKey('setIfAbsent', key);
    checkValue('setIfAbsent', value);
    positive('setIfAbsent', 'ttlMs', ttlMs);
    if (this.get(key) !== undefined) return false;
    this.put(key, value, ttlMs);
    return true;
  }

  delete(key: string): boolean {
    checkKey('delete', key);
    const live = this.get(key) !== undefined;
    this.values.delete(key);
    return live;
  }

  close(): void {
    this.windows.clear();
    this.budgets.clear();
    this.values.clear();
  }

  private put(key: string, value: string, ttlMs: number): void {
    const now = this.clock.now();
    this.values.set(key, { value, expiresAt: now + ttlMs });
    if (this.values.size >= this.sweepAt) {
      for (const [name, entry] of this.values) if (entry.expiresAt <= now) this.values.delete(name);
      this.sweepAt = Math.max(1024, this.values.size * 2);
    }
  }
}
