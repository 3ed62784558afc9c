// The invariants of the store as properties over random interleavings (memory store, fake clock);
// test/store/redis-state-store.test.ts runs the same against Redis.
import { describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../../core/store/index.js';
import { checkBudget, checkWindow, ManualClock } from './store-properties.js';

const SEEDS = Array.from({ length: 12 }, (_, i) => 0x5eed + i * 7919);

describe('sliding window invariants (memory)', () => {
  it.each(SEEDS)('seed %i: admits exactly what fits; no window at the upstream carries more than rpm or tpm; retryAfterMs is exact', async (seed) => {
    const clock = new ManualClock();
    const store = new MemoryStateStore({ clock });
    const counts = await checkWindow(store, clock, 'k', { seed, steps: 1_500, requestLimit: 8, tokenLimit: 3_000, windowMs: 60_000, pendingTtlMs: 120_000, overSettle: false });
    expect(counts.admitted).toBeGreaterThan(50);
    expect(counts.refused).toBeGreaterThan(20);
  });

  it.each(SEEDS.slice(0, 6))('seed %i: real usage over the estimate makes later requests wait (settles above the reservation)', async (seed) => {
    const clock = new ManualClock();
    const store = new MemoryStateStore({ clock });
    await checkWindow(store, clock, 'k', { seed, steps: 1_500, tokenLimit: 2_000, windowMs: 10_000, pendingTtlMs: 5_000, overSettle: true });
  });

  it.each(SEEDS.slice(0, 4))('seed %i: requests only, short pending TTL (crashed instances)', async (seed) => {
    const clock = new ManualClock();
    const store = new MemoryStateStore({ clock });
    await checkWindow(store, clock, 'k', { seed, steps: 1_500, requestLimit: 3, windowMs: 60_000, pendingTtlMs: 2_000, overSettle: false });
  });
});

describe('budget invariants (memory)', () => {
  it.each(SEEDS)('seed %i: spent + reserved ≤ budget at every step, spent never goes down, totals exact', async (seed) => {
    const clock = new ManualClock();
    const store = new MemoryStateStore({ clock });
    const counts = await checkBudget(store, clock, 'usd', { seed, steps: 1_500, budgetNano: 3_000_000_000, maxAmountNano: 50_000_000, ttlMs: 60_000, overSettle: false });
    expect(counts.reserved).toBeGreaterThan(50);
    expect(counts.refused).toBeGreaterThan(20);
  });

  it.each(SEEDS.slice(0, 6))('seed %i: calls that cost more than reserved, and late settles of expired reservations, are all charged', async (seed) => {
    const clock = new ManualClock();
    const store = new MemoryStateStore({ clock });
    await checkBudget(store, clock, 'usd', { seed, steps: 1_500, budgetNano: 3_000_000_000, maxAmountNano: 50_000_000, ttlMs: 60_000, overSettle: true });
  });
});
