// What every StateStore does, as one suite each implementation runs (memory, Redis). The clock is a
// ManualClock the store was built with; TTL keys expire by each store's own clock, tested apart.
import { describe, expect, it } from 'vitest';
import type { StateStore } from '../../core/store/index.js';
import type { ManualClock } from './store-properties.js';

export interface ContractContext {
  readonly store: StateStore;
  readonly clock: ManualClock;
}

const W = 60_000;

export function describeStateStoreContract(context: () => ContractContext): void {
  describe('sliding window', () => {
    it('counts an admitted request as pending, which no amount of time removes until it is stamped', async () => {
      const { store, clock } = context();
      const first = await store.windowReserve('rpm', { requestLimit: 2 });
      const second = await store.windowReserve('rpm', { requestLimit: 2 });
      expect(first.admitted && second.admitted).toBe(true);
      clock.advance(W * 1.5);
      const third = await store.windowReserve('rpm', { requestLimit: 2 });
      expect(third).toMatchObject({ admitted: false, reason: 'requests', requests: 2, retryAfterMs: W });
      expect(await store.windowUsage('rpm')).toEqual({ requests: 2, tokens: 0, pending: 2 });
    });

    it('stamps an entry with the time it reached the wire, and lets it leave the window a window later', async () => {
      const { store, clock } = context();
      const entry = await store.windowReserve('rpm', { requestLimit: 1 });
      if (!entry.admitted) throw new Error('not admitted');
      clock.advance(5_000);
      expect(await store.windowStamp('rpm', entry.id)).toBe(true);
      expect(await store.windowStamp('rpm', entry.id)).toBe(false);
      clock.advance(10_000);
      const refused = await store.windowReserve('rpm', { requestLimit: 1 });
      expect(refused).toMatchObject({ admitted: false, retryAfterMs: W - 10_000 });
      clock.advance(W - 10_001);
      expect((await store.windowReserve('rpm', { requestLimit: 1 })).admitted).toBe(false);
      clock.advance(1);
      expect(await store.windowReserve('rpm', { requestLimit: 1 })).toMatchObject({ admitted: true, requests: 1 });
    });

    it('releases a pending entry that never reached the wire, but keeps a stamped one counted', async () => {
      const { store } = context();
      const a = await store.windowReserve('rpm', { requestLimit: 2, tokens: 10 });
      const b = await store.windowReserve('rpm', { requestLimit: 2, tokens: 20 });
      if (!a.admitted || !b.admitted) throw new Error('not admitted');
      await store.windowStamp('rpm', a.id);
      expect(await store.windowRelease('rpm', a.id)).toBe(false);
      expect(await store.windowRelease('rpm', b.id)).toBe(true);
      expect(await store.windowRelease('rpm', b.id)).toBe(false);
      expect(await store.windowUsage('rpm')).toEqual({ requests: 1, tokens: 10, pending: 0 });
    });

    it('settles an estimate to the real tokens, and makes later requests wait when real usage was higher', async () => {
      const { store, clock } = context();
      const entry = await store.windowReserve('tpm', { tokenLimit: 1_000, tokens: 400 });
      if (!entry.admitted) throw new Error('not admitted');
      await store.windowStamp('tpm', entry.id);
      expect(await store.windowSettle('tpm', entry.id, 1_000)).toBe(true);
      clock.advance(1_000);
      expect(await store.windowReserve('tpm', { tokenLimit: 1_000, tokens: 1 })).toMatchObject({ admitted: false, reason: 'tokens', tokens: 1_000, retryAfterMs: W - 1_000 });
      expect(await store.windowSettle('tpm', entry.id, 250)).toBe(true);
      expect(await store.windowReserve('tpm', { tokenLimit: 1_000, tokens: 750 })).toMatchObject({ admitted: true, tokens: 1_000 });
    });

    it('refuses for ever a request of more tokens than the limit', async () => {
      const { store } = context();
      expect(await store.windowReserve('tpm', { tokenLimit: 100, tokens: 101 })).toMatchObject({ admitted: false, reason: 'tokens', retryAfterMs: Number.POSITIVE_INFINITY });
    });

    it('rounds fractional token estimates up, never down', async () => {
      const { store } = context();
      expect(await store.windowReserve('tpm', { tokenLimit: 100, tokens: 99.2 })).toMatchObject({ admitted: true, tokens: 100 });
    });

    it('drops a pending entry after pendingTtlMs (its instance crashed), after which it can no longer be stamped', async () => {
      const { store, clock } = context();
      const entry = await store.windowReserve('rpm', { requestLimit: 1, pendingTtlMs: 5_000 });
      if (!entry.admitted) throw new Error('not admitted');
      clock.advance(4_999);
      expect((await store.windowReserve('rpm', { requestLimit: 1 })).admitted).toBe(false);
      clock.advance(1);
      expect(await store.windowStamp('rpm', entry.id)).toBe(false);
      expect((await store.windowReserve('rpm', { requestLimit: 1 })).admitted).toBe(true);
    });

    it('takes the window length as a parameter, and keeps each key apart', async () => {
      const { store, clock } = context();
      const entry = await store.windowReserve('short', { requestLimit: 1, windowMs: 1_000 });
      if (!entry.admitted) throw new Error('not admitted');
      await store.windowStamp('short', entry.id);
      expect((await store.windowReserve('other', { requestLimit: 1, windowMs: 1_000 })).admitted).toBe(true);
      expect(await store.windowReserve('short', { requestLimit: 1, windowMs: 1_000 })).toMatchObject({ admitted: false, retryAfterMs: 1_000 });
      clock.advance(1_000);
      expect((await store.windowReserve('short', { requestLimit: 1, windowMs: 1_000 })).admitted).toBe(true);
    });

    it('counts requests without limits, and holds both limits at once (the longer wait wins)', async () => {
      const { store, clock } = context();
      for (let i = 0; i < 5; i += 1) expect((await store.windowReserve('free', { tokens: 1_000_000 })).admitted).toBe(true);
      expect(await store.windowUsage('free')).toMatchObject({ requests: 5, tokens: 5_000_000 });
      const a = await store.windowReserve('both', { requestLimit: 2, tokenLimit: 100, tokens: 90 });
      if (!a.admitted) throw new Error('not admitted');
      await store.windowStamp('both', a.id);
      clock.advance(10_000);
      const b = await store.windowReserve('both', { requestLimit: 2, tokenLimit: 100, tokens: 5 });
      if (!b.admitted) throw new Error('not admitted');
      await store.windowStamp('both', b.id);
      // requests: the first entry leaves at 60 s; tokens (90 + 5 + 20 > 100): also the first → 50 s from now.
      expect(await store.windowReserve('both', { requestLimit: 2, tokenLimit: 100, tokens: 20 })).toMatchObject({ admitted: false, retryAfterMs: 50_000 });
      // 96 tokens need both entries gone: the second leaves at 70 s.
      expect(await store.windowReserve('both', { requestLimit: 3, tokenLimit: 100, tokens: 96 })).toMatchObject({ admitted: false, reason: 'tokens', retryAfterMs: 60_000 });
    });
  });

  describe('budget', () => {
    it('reserves while spent + reserved + amount fits, and refuses with what is spent and reserved', async () => {
      const { store } = context();
      const a = await store.budgetReserve('usd', 400, 1_000);
      const b = await store.budgetReserve('usd', 600, 1_000);
      expect(a).toMatchObject({ ok: true, reservedNano: 400, reservations: 1 });
      expect(b).toMatchObject({ ok: true, spentNano: 0, reservedNano: 1_000, reservations: 2 });
      expect(await store.budgetReserve('usd', 1, 1_000)).toEqual({ ok: false, spentNano: 0, reservedNano: 1_000, reservations: 2 });
    });

    it('settles to the actual cost, which may exceed the reservation; spent never goes down', async () => {
      const { store } = context();
      const a = await store.budgetReserve('usd', 100, 1_000);
      if (!a.ok) throw new Error('refused');
      expect(await store.budgetSettle('usd', a.id, 1_200)).toEqual({ applied: true, spentNano: 1_200, reservedNano: 0, reservations: 0 });
      expect(await store.budgetReserve('usd', 0, 1_000)).toMatchObject({ ok: false, spentNano: 1_200 });
      expect(await store.budgetTotals('usd')).toEqual({ spentNano: 1_200, reservedNano: 0, reservations: 0 });
    });

    it('charges a reservation once: a second settle or a release after it changes nothing', async () => {
      const { store } = context();
      const a = await store.budgetReserve('usd', 100, 1_000);
      if (!a.ok) throw new Error('refused');
      await store.budgetSettle('usd', a.id, 80);
      expect(await store.budgetSettle('usd', a.id, 80)).toMatchObject({ applied: false, spentNano: 80 });
      expect(await store.budgetRelease('usd', a.id)).toMatchObject({ applied: false, spentNano: 80 });
      expect(await store.budgetSettle('usd', 999, 80)).toMatchObject({ applied: false, spentNano: 80 });
    });

    it('releases a reservation without charging it', async () => {
      const { store } = context();
      const a = await store.budgetReserve('usd', 700, 1_000);
      if (!a.ok) throw new Error('refused');
      expect(await store.budgetRelease('usd', a.id)).toEqual({ applied: true, spentNano: 0, reservedNano: 0, reservations: 0 });
      expect(await store.budgetSettle('usd', a.id, 5)).toMatchObject({ applied: false, spentNano: 0 });
      expect((await store.budgetReserve('usd', 1_000, 1_000)).ok).toBe(true);
    });

    it('stops counting a reservation after its TTL (a crashed instance), and still charges it if it is settled late', async () => {
      const { store, clock } = context();
      const a = await store.budgetReserve('usd', 900, 1_000, { ttlMs: 10_000 });
      if (!a.ok) throw new Error('refused');
      clock.advance(9_999);
      expect((await store.budgetReserve('usd', 200, 1_000)).ok).toBe(false);
      clock.advance(1);
      expect(await store.budgetTotals('usd')).toEqual({ spentNano: 0, reservedNano: 0, reservations: 0 });
      expect(await store.budgetSettle('usd', a.id, 300)).toMatchObject({ applied: true, spentNano: 300 });
      expect(await store.budgetSettle('usd', a.id, 300)).toMatchObject({ applied: false, spentNano: 300 });
    });
  });

  describe('keys with a TTL', () => {
    it('sets, reads with the time left, and deletes', async () => {
      const { store } = context();
      expect(await store.get('cooldown:a')).toBeUndefined();
      await store.set('cooldown:a', '{"until":1}', 30_000);
      const stored = await store.get('cooldown:a');
      expect(stored?.value).toBe('{"until":1}');
      expect(stored!.ttlMs).toBeGreaterThan(25_000);
      expect(stored!.ttlMs).toBeLessThanOrEqual(30_000);
      expect(await store.delete('cooldown:a')).toBe(true);
      expect(await store.delete('cooldown:a')).toBe(false);
      expect(await store.get('cooldown:a')).toBeUndefined();
    });

    it('sets a value only when none is there: one winner', async () => {
      const { store } = context();
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.setIfAbsent('lock', `owner-${i}`, 30_000)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await store.get('lock'))?.value).toBe(`owner-${results.indexOf(true)}`);
    });

    it('keeps windows, budgets and keys in separate namespaces', async () => {
      const { store } = context();
      await store.set('same', 'value', 30_000);
      expect((await store.windowReserve('same', { requestLimit: 1 })).admitted).toBe(true);
      expect((await store.budgetReserve('same', 5, 10)).ok).toBe(true);
      expect((await store.get('same'))?.value).toBe('value');
    });
  });

  describe('arguments', () => {
    it('refuses bad arguments with a TypeError that names them, counting nothing', async () => {
      const { store } = context();
      const attempt = async (run: () => unknown): Promise<unknown> => {
        try {
          await run();
        } catch (error) {
          return error;
        }
        return undefined;
      };
      expect(await attempt(() => store.windowReserve('', {}))).toMatchObject({ name: 'TypeError', message: expect.stringContaining('`key`') });
      expect(await attempt(() => store.windowReserve('k', { tokens: -1 }))).toMatchObject({ message: expect.stringContaining('`tokens` must be a number >= 0, received -1') });
      expect(await attempt(() => store.windowReserve('k', { requestLimit: 0 }))).toMatchObject({ message: expect.stringContaining('`requestLimit`') });
      expect(await attempt(() => store.budgetReserve('k', 1.5, 10))).toMatchObject({ message: expect.stringContaining('`amountNano` must be a whole number of nano-dollars') });
      expect(await attempt(() => store.budgetSettle('k', -3, 1))).toMatchObject({ message: expect.stringContaining('`id`') });
      expect(await attempt(() => store.set('k', 5 as unknown as string, 10))).toMatchObject({ message: expect.stringContaining('`value` must be a string') });
      expect(await store.windowUsage('k')).toEqual({ requests: 0, tokens: 0, pending: 0 });
    });
  });
}
