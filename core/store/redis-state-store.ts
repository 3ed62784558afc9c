import type { StoreClock } from './memory-state-store.js';
import { RedisConnection, type StoreStatus } from './redis-connection.js';
import { SCRIPTS } from './redis-scripts.js';
import {
  DEFAULT_RESERVATION_TTL_MS,
  DEFAULT_WINDOW_MS,
  type BudgetReservation,
  type BudgetReserveOptions,
  type BudgetSettlement,
  type BudgetTotals,
  type ReservationId,
  type StateStore,
  type StoreErrorPolicy,
  type StoredValue,
  type WindowEntryId,
  type WindowRequest,
  type WindowReservation,
  type WindowUsage,
} from './state-store.js';
import { checkId, checkKey, checkValue, nano, positive, settledTokens, windowArguments } from './store-arguments.js';

export interface RedisStateStoreOptions {
  /** `redis://[user:password@]host[:port][/db]`, or `rediss://…` for TLS. */
  readonly url: string;
  /** Put before every key, so that several applications or environments can share one Redis. @default 'hyperagent:' */
  readonly keyPrefix?: string;
  /** Longest wait for one command; then it fails with `StoreUnavailableError`. @default 500 */
  readonly timeoutMs?: number;
  /** Longest wait for a connection to be made. @default 1000 */
  readonly connectTimeoutMs?: number;
  /** Longest pause between two reconnection attempts while Redis is down. @default 200 */
  readonly reconnectMaxDelayMs?: number;
  /** Commands that may wait for the first connection at once; more fail at once. @default 1000 */
  readonly maxWaiting?: number;
  /** A budget nobody reserved against or settled for this long is forgotten (its keys expire). @default 2_678_400_000 (31 days) */
  readonly budgetTtlMs?: number;
  /** What the plugins do with a call while Redis cannot be reached (see `StateStore.onStoreError`). @default 'fail-closed' */
  readonly onStoreError?: StoreErrorPolicy;
  /** Told when the connection goes down (with the typed error) and when it is back. */
  readonly onStatus?: (status: StoreStatus) => void;
  /**
   * For tests only: windows and budgets take their time from this clock instead of Redis's `TIME`
   * (TTL keys always expire by Redis's clock). In production every instance must use Redis's.
   * @default Redis's `TIME`
   */
  readonly clock?: StoreClock;
}

const DEFAULT_BUDGET_TTL_MS = 31 * 24 * 3_600_000;
/** A settled id is remembered this long, so a settle retried after a timeout does not charge twice. */
const TOMBSTONE_TTL_MS = DEFAULT_RESERVATION_TTL_MS;

/**
 * The state store in Redis, shared by every instance that uses the same Redis and `keyPrefix`.
 * Each operation is one Lua script run with `EVALSHA`: atomic, one round trip, the time taken from
 * Redis (`TIME`) so instances whose clocks disagree agree on windows and expiries; every key has a
 * TTL. Results are promises; they reject with `StoreUnavailableError` when Redis cannot be reached
 * in time (see `RedisConnection` for the rules), and with a TypeError for a bad argument.
 */
export class RedisStateStore implements StateStore {
  readonly kind = 'redis';
  readonly onStoreError: StoreErrorPolicy;
  private readonly connection: RedisConnection;
  private readonly prefix: string;
  private readonly budgetTtlMs: number;
  private readonly clock: StoreClock | undefined;

  constructor(options: RedisStateStoreOptions) {
    if (typeof options?.url !== 'string' || options.url.length === 0) {
      throw new TypeError(`RedisStateStore: option \`url\` must be a redis:// or rediss:// URL, received ${String(options?.url)}.`);
    }
    if (options.keyPrefix !== undefined && typeof options.keyPrefix !== 'string') {
      throw new TypeError(`RedisStateStore: option \`keyPrefix\` must be a string, received ${String(options.keyPrefix)}.`);
    }
    if (options.onStoreError !== undefined && options.onStoreError !== 'fail-closed' && options.onStoreError !== 'fail-open') {
      throw new TypeError(`RedisStateStore: option \`onStoreError\` must be "fail-closed" or "fail-open", received ${String(options.onStoreError)}.`);
    }
    this.onStoreError = options.onStoreError ?? 'fail-closed';
    this.prefix = options.keyPrefix ?? 'hyperagent:';
    this.budgetTtlMs = options.budgetTtlMs === undefined ? DEFAULT_BUDGET_TTL_MS : option('budgetTtlMs', options.budgetTtlMs);
    this.clock = options.clock;
    this.connection = new RedisConnection({
      url: options.url,
      timeoutMs: options.timeoutMs === undefined ? 500 : option('timeoutMs', options.timeoutMs),
      connectTimeoutMs: options.connectTimeoutMs === undefined ? 1000 : option('connectTimeoutMs', options.connectTimeoutMs),
      reconnectMaxDelayMs: options.reconnectMaxDelayMs === undefined ? 200 : option('reconnectMaxDelayMs', options.reconnectMaxDelayMs),
      maxWaiting: options.maxWaiting === undefined ? 1000 : option('maxWaiting', options.maxWaiting),
      scripts: Object.values(SCRIPTS),
      onStatus: options.onStatus,
    });
  }

  /** `redis at host:port`, as errors name it. */
  get description(): string {
    return this.connection.description;
  }

  async windowReserve(key: string, request: WindowRequest): Promise<WindowReservation> {
    checkKey('windowReserve', key);
    const args = windowArguments(request);
    const reply = (await this.connection.run('windowReserve', SCRIPTS.windowReserve, this.windowKeys(key), [
      this.now(),
      args.windowMs,
      args.requestLimit ?? 0,
      args.tokenLimit ?? 0,
      args.tokens,
      args.pendingTtlMs,
    ])) as number[];
    if (reply[0] === 1) return { admitted: true, id: reply[1], requests: reply[2], tokens: reply[3] };
    return {
      admitted: false,
      retryAfterMs: reply[1] === -1 ? Number.POSITIVE_INFINITY : reply[1],
      reason: reply[2] === 1 ? 'tokens' : 'requests',
      requests: reply[3],
      tokens: reply[4],
    };
  }

  async windowStamp(key: string, id: WindowEntryId): Promise<boolean> {
    checkKey('windowStamp', key);
    checkId('windowStamp', id);
    // Callers may leave this promise alone: a store failure resolves false (the entry then stays
    // pending, counted, until its TTL — the safe side).
    return this.connection.run('windowStamp', SCRIPTS.windowStamp, this.windowKeys(key), [this.now(), DEFAULT_WINDOW_MS, id]).then(
      (reply) => reply === 1,
      () => false,
    );
  }

  async windowSettle(key: string, id: WindowEntryId, tokens: number): Promise<boolean> {
    checkKey('windowSettle', key);
    checkId('windowSettle', id);
    const reply = await this.connection.run('windowSettle', SCRIPTS.windowSettle, this.windowKeys(key), [this.now(), DEFAULT_WINDOW_MS, id, settledTokens(tokens)]);
    return reply === 1;
  }

  async windowRelease(key: string, id: WindowEntryId): Promise<boolean> {
    checkKey('windowRelease', key);
    checkId('windowRelease', id);
    return (await this.connection.run('windowRelease', SCRIPTS.windowRelease, this.windowKeys(key), [this.now(), DEFAULT_WINDOW_MS, id])) === 1;
  }

  async windowUsage(key: string, windowMs = DEFAULT_WINDOW_MS): Promise<WindowUsage> {
    checkKey('windowUsage', key);
    positive('windowUsage', 'windowMs', windowMs);
    const reply = (await this.connection.run('windowUsage', SCRIPTS.windowUsage, this.windowKeys(key), [this.now(), windowMs])) as number[];
    return { requests: reply[0], tokens: reply[1], pending: reply[2] };
  }

  async budgetReserve(key: string, amountNano: number, budgetNano: number, options?: BudgetReserveOptions): Promise<BudgetReservation> {
    checkKey('budgetReserve', key);
    nano('budgetReserve', 'amountNano', amountNano);
    nano('budgetReserve', 'budgetNano', budgetNano);
    const ttlMs = options?.ttlMs === undefined ? DEFAULT_RESERVATION_TTL_MS : Math.ceil(positive('budgetReserve', 'ttlMs', options.ttlMs));
    const reply = (await this.connection.run('budgetReserve', SCRIPTS.budgetReserve, this.budgetKeys(key), [
      this.now(),
      amountNano,
      budgetNano,
      ttlMs,
      this.budgetTtlMs,
    ])) as number[];
    const totals = { spentNano: reply[2], reservedNano: reply[3], reservations: reply[4] };
    return reply[0] === 1 ? { ok: true, id: reply[1], ...totals } : { ok: false, ...totals };
  }

  async budgetSettle(key: string, id: ReservationId, actualNano: number): Promise<BudgetSettlement> {
    checkKey('budgetSettle', key);
    checkId('budgetSettle', id);
    nano('budgetSettle', 'actualNano', actualNano);
    const reply = (await this.connection.run('budgetSettle', SCRIPTS.budgetSettle, this.budgetKeys(key), [
      this.now(),
      id,
      actualNano,
      TOMBSTONE_TTL_MS,
      this.budgetTtlMs,
    ])) as number[];
    return { applied: reply[0] === 1, spentNano: reply[1], reservedNano: reply[2], reservations: reply[3] };
  }

  async budgetRelease(key: string, id: ReservationId): Promise<BudgetSettlement> {
    checkKey('budgetRelease', key);
    checkId('budgetRelease', id);
    const reply = (await this.connection.run('budgetRelease', SCRIPTS.budgetRelease, this.budgetKeys(key), [this.now(), id, TOMBSTONE_TTL_MS])) as number[];
    return { applied: reply[0] === 1, spentNano: reply[1], reservedNano: reply[2], reservations: reply[3] };
  }

  async budgetTotals(key: string): Promise<BudgetTotals> {
    checkKey('budgetTotals', key);
    const reply = (await this.connection.run('budgetTotals', SCRIPTS.budgetTotals, this.budgetKeys(key), [this.now()])) as number[];
    return { spentNano: reply[0], reservedNano: reply[1], reservations: reply[2] };
  }

  async budgetResetSpent(key: string): Promise<BudgetTotals> {
    checkKey('budgetResetSpent', key);
    const reply = (await this.connection.run('budgetResetSpent', SCRIPTS.budgetResetSpent, this.budgetKeys(key), [this.now()])) as number[];
    return { spentNano: reply[0], reservedNano: reply[1], reservations: reply[2] };
  }

  async get(key: string): Promise<StoredValue | undefined> {
    checkKey('get', key);
    const reply = (await this.connection.run('get', SCRIPTS.get, [this.valueKey(key)], [])) as [string, number] | null;
    if (reply === null || reply[1] === -2) return undefined;
    return { value: reply[0], ttlMs: reply[1] === -1 ? Number.POSITIVE_INFINITY : reply[1] };
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    checkKey('set', key);
    checkValue('set', value);
    await this.connection.command('set', 'set', [this.valueKey(key), value, 'PX', Math.ceil(positive('set', 'ttlMs', ttlMs))]);
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    checkKey('setIfAbsent', key);
    checkValue('setIfAbsent', value);
    const ttl = Math.ceil(positive('setIfAbsent', 'ttlMs', ttlMs));
    return (await this.connection.command('setIfAbsent', 'set', [this.valueKey(key), value, 'PX', ttl, 'NX'])) === 'OK';
  }

  async delete(key: string): Promise<boolean> {
    checkKey('delete', key);
    return (await this.connection.command('delete', 'del', [this.valueKey(key)])) === 1;
  }

  close(): Promise<void> {
    return this.connection.close();
  }

  /** -1: the scripts read Redis's clock. Whole ms: they are exact as script arguments. */
  private now(): number {
    return this.clock === undefined ? -1 : Math.ceil(this.clock.now());
  }

  // One hash tag per window or budget: its keys share a slot (atomic scripts on a cluster too).
  private windowKeys(key: string): string[] {
    const base = `${this.prefix}w:{${key}}`;
    return [`${base}:s`, `${base}:p`, `${base}:h`];
  }

  private budgetKeys(key: string): string[] {
    const base = `${this.prefix}b:{${key}}`;
    return [`${base}:t`, `${base}:r`, `${base}:d`];
  }

  private valueKey(key: string): string {
    return `${this.prefix}k:${key}`;
  }
}

function option(name: string, value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  throw new TypeError(`RedisStateStore: option \`${name}\` must be a number > 0, received ${String(value)}.`);
}
