import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../../core/store/index.js';
import { describeStateStoreContract, type ContractContext } from './state-store-contract.js';
import { ManualClock } from './store-properties.js';

let context: { store: MemoryStateStore; clock: ManualClock };
beforeEach(() => {
  const clock = new ManualClock();
  context = { clock, store: new MemoryStateStore({ clock }) };
});

describe('MemoryStateStore', () => {
  describeStateStoreContract((): ContractContext => context);

  it('answers every operation synchronously: no promise on the in-process path', () => {
    const { store } = context;
    const reservation = store.windowReserve('rpm', { requestLimit: 10, tokens: 5 });
    const results: unknown[] = [reservation, store.windowUsage('rpm'), store.budgetReserve('usd', 1, 10), store.budgetTotals('usd'), store.get('k'), store.setIfAbsent('k', 'v', 10)];
    if (reservation.admitted) results.push(store.windowStamp('rpm', reservation.id), store.windowSettle('rpm', reservation.id, 3));
    for (const result of results) expect(result).not.toBeInstanceOf(Promise);
    expect(results).toHaveLength(8);
  });

  it('expires keys by its clock, and forgets expired keys nobody reads', () => {
    const { store, clock } = context;
    store.set('a', 'x', 1_000);
    clock.advance(999);
    expect(store.get('a')).toEqual({ value: 'x', ttlMs: 1 });
    clock.advance(1);
    expect(store.get('a')).toBeUndefined();
    expect(store.setIfAbsent('a', 'y', 1_000)).toBe(true);
    for (let i = 0; i < 3_000; i += 1) store.set(`k${i}`, 'v', 10);
    clock.advance(10);
    for (let i = 0; i < 3_000; i += 1) store.set(`n${i}`, 'v', 10);
    expect((store as unknown as { values: Map<string, unknown> }).values.size).toBeLessThan(4_100);
  });

  it('refuses a second window length on the same key', () => {
    const { store } = context;
    store.windowReserve('rpm', { requestLimit: 1, windowMs: 60_000 });
    expect(() => store.windowReserve('rpm', { requestLimit: 1, windowMs: 1_000 })).toThrow(/"rpm" is 60000 ms long, received windowMs 1000/);
  });

  it('holds a window of 200,000 stamped entries in a ring, and frees them as they leave', () => {
    const { store, clock } = context;
    for (let i = 0; i < 200_000; i += 1) {
      if (i === 100_000) clock.advance(1_000);
      const entry = store.windowReserve('busy', { requestLimit: 1_000_000, tokens: 1 });
      if (entry.admitted) store.windowStamp('busy', entry.id);
    }
    expect(store.windowUsage('busy')).toEqual({ requests: 200_000, tokens: 200_000, pending: 0 });
    clock.advance(59_000);
    expect(store.windowUsage('busy')).toEqual({ requests: 100_000, tokens: 100_000, pending: 0 });
    clock.advance(1_000);
    expect(store.windowUsage('busy')).toEqual({ requests: 0, tokens: 0, pending: 0 });
  });
});
