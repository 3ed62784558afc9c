// The Redis store against a private redis-server: the contract every store keeps, the same
// invariants as properties, atomicity across connections, Redis's clock, key hygiene, round trips.
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { RedisStateStore } from '../../core/store/redis-state-store.js';
import { runRedisSuites, startRedisServer, type RedisServer } from '../redis-server.js';
import { describeStateStoreContract, type ContractContext } from './state-store-contract.js';
import { checkBudget, checkWindow, ManualClock } from './store-properties.js';

describe.skipIf(!runRedisSuites)('RedisStateStore', () => {
  let server: RedisServer;
  let admin: Redis;
  let prefixes = 0;
  const stores: RedisStateStore[] = [];
  const open = (options: { clock?: ManualClock; keyPrefix?: string } = {}): RedisStateStore => {
    const store = new RedisStateStore({ url: server.url, keyPrefix: options.keyPrefix ?? `test${++prefixes}:`, clock: options.clock });
    stores.push(store);
    return store;
  };

  beforeAll(async () => {
    server = await startRedisServer();
    admin = new Redis(server.url);
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });
  afterAll(async () => {
    admin?.disconnect();
    await server?.close();
  });

  describe('the store contract', () => {
    let context: ContractContext;
    beforeEach(() => {
      const clock = new ManualClock();
      context = { clock, store: open({ clock }) };
    });
    describeStateStoreContract(() => context);
  });

  describe('the invariants, as properties over random interleavings', () => {
    const SEEDS = [0x5eed, 0x5eed + 7919, 0x5eed + 2 * 7919, 0x5eed + 3 * 7919];

    it.each(SEEDS)('window, seed %i: same decisions as the model; no window at the upstream over rpm or tpm; exact retryAfterMs', async (seed) => {
      const clock = new ManualClock();
      await checkWindow(open({ clock }), clock, 'k', { seed, steps: 600, requestLimit: 8, tokenLimit: 3_000, windowMs: 60_000, pendingTtlMs: 120_000, overSettle: false });
      await checkWindow(open({ clock }), clock, 'k', { seed, steps: 400, tokenLimit: 2_000, windowMs: 10_000, pendingTtlMs: 5_000, overSettle: true });
    });

    it.each(SEEDS)('budget, seed %i: spent + reserved ≤ budget at every step, spent never goes down, totals exact', async (seed) => {
      const clock = new ManualClock();
      const run = { seed, steps: 600, budgetNano: 3_000_000_000, maxAmountNano: 50_000_000, ttlMs: 60_000 };
      await checkBudget(open({ clock }), clock, 'usd', { ...run, overSettle: false });
      await checkBudget(open({ clock }), clock, 'usd', { ...run, overSettle: true });
    });
  });

  describe('atomic across instances', () => {
    it('300 concurrent reservations from three connections against one budget: exactly what fits', async () => {
      const keyPrefix = `shared${++prefixes}:`;
      const instances = [open({ keyPrefix }), open({ keyPrefix }), open({ keyPrefix })];
      const results = await Promise.all(Array.from({ length: 300 }, (_, i) => instances[i % 3].budgetReserve('usd', 7_500_000, 750_000_000)));
      expect(results.filter((result) => result.ok)).toHaveLength(100);
      expect(await instances[1].budgetTotals('usd')).toEqual({ spentNano: 0, reservedNano: 750_000_000, reservations: 100 });
    });

    it('300 concurrent admissions from three connections at rpm 60: exactly 60, each id once', async () => {
      const keyPrefix = `shared${++prefixes}:`;
      const instances = [open({ keyPrefix }), open({ keyPrefix }), open({ keyPrefix })];
      const results = await Promise.all(Array.from({ length: 300 }, (_, i) => instances[i % 3].windowReserve('rpm', { requestLimit: 60, tokens: 10 })));
      const ids = results.flatMap((result) => (result.admitted ? [result.id] : []));
      expect(ids).toHaveLength(60);
      expect(new Set(ids).size).toBe(60);
      expect(await instances[2].windowUsage('rpm')).toEqual({ requests: 60, tokens: 600, pending: 60 });
    });

    it('a cooldown set by one instance is seen by the others, and only one wins setIfAbsent', async () => {
      const keyPrefix = `shared${++prefixes}:`;
      const instances = [open({ keyPrefix }), open({ keyPrefix }), open({ keyPrefix })];
      const wins = await Promise.all(instances.map((store, i) => store.setIfAbsent('cooldown:backend-a', `instance-${i}`, 30_000)));
      expect(wins.filter(Boolean)).toHaveLength(1);
      for (const store of instances) expect((await store.get('cooldown:backend-a'))?.value).toBe(`instance-${wins.indexOf(true)}`);
    });
  });

  describe("Redis's clock", () => {
    afterEach(() => vi.restoreAllMocks());

    it('stamps entries with Redis TIME, whatever the local clock says', async () => {
      const store = open({ keyPrefix: 'clock:' });
      vi.spyOn(performance, 'now').mockReturnValue(5);
      vi.spyOn(Date, 'now').mockReturnValue(0);
      const entry = await store.windowReserve('rpm', { requestLimit: 5 });
      if (!entry.admitted) throw new Error('not admitted');
      await store.windowStamp('rpm', entry.id);
      const [seconds] = await admin.time();
      const stampedAt = Number(await admin.zscore('clock:w:{rpm}:s', String(entry.id)));
      expect(Math.abs(stampedAt - Number(seconds) * 1000)).toBeLessThan(5_000);
    });
  });

  describe('keys', () => {
    it('puts every key under keyPrefix, each with a TTL', async () => {
      const store = open({ keyPrefix: 'hygiene:' });
      const entry = await store.windowReserve('rpm', { requestLimit: 5, tokens: 3 });
      if (entry.admitted) await store.windowStamp('rpm', entry.id);
      const reservation = await store.budgetReserve('usd', 10, 100);
      if (reservation.ok) await store.budgetSettle('usd', reservation.id, 5);
      await store.budgetReserve('usd', 10, 100);
      await store.set('cooldown', 'x', 10_000);
      const keys = await admin.keys('hygiene:*');
      expect(keys.sort()).toEqual(['hygiene:b:{usd}:d', 'hygiene:b:{usd}:r', 'hygiene:b:{usd}:t', 'hygiene:k:cooldown', 'hygiene:w:{rpm}:h', 'hygiene:w:{rpm}:s']);
      for (const key of keys) expect(await admin.pttl(key), key).toBeGreaterThan(0);
    });
  });

  describe('round trips', () => {
    const calls = async (): Promise<Record<string, number>> => {
      const info = await admin.info('commandstats');
      return Object.fromEntries([...info.matchAll(/cmdstat_(\w+):calls=(\d+)/g)].map((match) => [match[1], Number(match[2])]));
    };
    // Commandstats also count the commands a script runs: keep those a client can send.
    const CLIENT_COMMANDS = new Set(['evalsha', 'eval', 'script', 'set', 'get', 'del', 'multi', 'exec']);
    const delta = (before: Record<string, number>, after: Record<string, number>): Record<string, number> =>
      Object.fromEntries(
        Object.entries(after).flatMap(([name, count]) => (!CLIENT_COMMANDS.has(name) || count === (before[name] ?? 0) ? [] : [[name, count - (before[name] ?? 0)]])),
      );

    it('admits in one EVALSHA and settles in one EVALSHA', async () => {
      const store = open();
      await store.windowUsage('warm-up');
      let before = await calls();
      const entry = await store.windowReserve('rpm', { requestLimit: 5, tokens: 3 });
      expect(delta(before, await calls())).toEqual({ evalsha: 1 });
      if (!entry.admitted) throw new Error('not admitted');
      before = await calls();
      await store.windowSettle('rpm', entry.id, 2);
      expect(delta(before, await calls())).toEqual({ evalsha: 1 });
      before = await calls();
      const reservation = await store.budgetReserve('usd', 10, 100);
      expect(delta(before, await calls())).toEqual({ evalsha: 1 });
      if (!reservation.ok) throw new Error('refused');
      before = await calls();
      await store.budgetSettle('usd', reservation.id, 5);
      expect(delta(before, await calls())).toEqual({ evalsha: 1 });
    });

    it('runs its scripts again after Redis lost them (SCRIPT FLUSH): NOSCRIPT, then EVAL once', async () => {
      const store = open();
      expect((await store.budgetReserve('usd', 10, 100)).ok).toBe(true);
      await admin.script('FLUSH');
      const before = await calls();
      expect(await store.budgetReserve('usd', 10, 100)).toMatchObject({ ok: true, reservedNano: 20 });
      expect(delta(before, await calls())).toEqual({ evalsha: 1, eval: 1 });
    });
  });
});
