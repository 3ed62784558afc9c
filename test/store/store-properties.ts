// Property-style checks of a StateStore, run the same against every implementation: random
// interleavings of reserve / stamp / settle / release / clock moves / abandoned entries, checked
// step by step against a plain model of what the contract says, with a fake clock.
import { expect } from 'vitest';
import type { StateStore } from '../../core/store/index.js';

/** A clock the test moves by hand (whole milliseconds: the Redis scripts take integers). */
export class ManualClock {
  constructor(public time = 1_000_000) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += Math.round(ms);
  }
}

/** mulberry32: a seeded generator, so a failing run can be replayed from its seed. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface WindowRun {
  readonly seed: number;
  readonly steps: number;
  readonly requestLimit?: number;
  readonly tokenLimit?: number;
  readonly windowMs: number;
  readonly pendingTtlMs: number;
  /** Settle above the reservation too (real usage over the estimate). */
  readonly overSettle: boolean;
}

interface ModelEntry {
  tokens: number;
  stampedAt: number | undefined;
  readonly expiresAt: number;
}

/** Runs one random interleaving on `key`; returns how many requests were admitted and refused. */
export async function checkWindow(store: StateStore, clock: ManualClock, key: string, run: WindowRun): Promise<{ admitted: number; refused: number }> {
  const next = random(run.seed);
  const pick = <T>(items: readonly T[]): T | undefined => (items.length === 0 ? undefined : items[Math.floor(next() * items.length)]);
  const where = (step: number): string => `seed ${run.seed}, step ${step}`;
  const { windowMs: w, requestLimit, tokenLimit } = run;
  const live = new Map<number, ModelEntry>();
  const stamps: { at: number; id: number }[] = [];
  const finalTokens = new Map<number, number>();
  let admitted = 0;
  let refused = 0;

  const prune = (): void => {
    for (const [id, entry] of live) {
      const gone = entry.stampedAt === undefined ? entry.expiresAt <= clock.time : entry.stampedAt <= clock.time - w;
      if (gone) live.delete(id);
    }
  };
  /** Whether `tokens` fit at time `at` if nothing changes, pending entries counted as stamped now. */
  const fitsAt = (at: number, tokens: number): boolean => {
    let requests = 0;
    let counted = 0;
    for (const entry of live.values()) {
      if ((entry.stampedAt ?? clock.time) > at - w) {
        requests += 1;
        counted += entry.tokens;
      }
    }
    return (requestLimit === undefined || requests + 1 <= requestLimit) && (tokenLimit === undefined || counted + tokens <= tokenLimit);
  };

  for (let step = 0; step < run.steps; step += 1) {
    prune();
    const roll = next();
    const pending = [...live].filter(([, entry]) => entry.stampedAt === undefined).map(([id]) => id);
    if (roll < 0.4) {
      const tokens = Math.floor(next() * ((tokenLimit ?? 1000) / 3));
      const result = await store.windowReserve(key, { requestLimit, tokenLimit, tokens, windowMs: w, pendingTtlMs: run.pendingTtlMs });
      const fits = fitsAt(clock.time, tokens);
      expect(result.admitted, `${where(step)}: admitted when the model says ${fits ? 'it fits' : 'it does not fit'}`).toBe(fits);
      const requests = live.size;
      const counted = [...live.values()].reduce((sum, entry) => sum + entry.tokens, 0);
      if (result.admitted) {
        admitted += 1;
        expect({ requests: result.requests, tokens: result.tokens }, where(step)).toEqual({ requests: requests + 1, tokens: counted + tokens });
        expect(live.has(result.id), `${where(step)}: id ${result.id} given twice`).toBe(false);
        live.set(result.id, { tokens, stampedAt: undefined, expiresAt: clock.time + run.pendingTtlMs });
      } else {
        refused += 1;
        expect({ requests: result.requests, tokens: result.tokens }, where(step)).toEqual({ requests, tokens: counted });
        if (tokenLimit !== undefined && tokens > tokenLimit) {
          expect(result.retryAfterMs, where(step)).toBe(Number.POSITIVE_INFINITY);
        } else {
          // Exact: it fits after retryAfterMs (pending entries counted as stamped now), not a ms sooner.
          expect(fitsAt(clock.time + result.retryAfterMs, tokens), `${where(step)}: still blocked after retryAfterMs ${result.retryAfterMs}`).toBe(true);
          expect(fitsAt(clock.time + result.retryAfterMs - 1, tokens), `${where(step)}: retryAfterMs ${result.retryAfterMs} is too long`).toBe(false);
        }
      }
    } else if (roll < 0.6) {
      const id = pick(pending);
      if (id === undefined) continue;
      expect(await store.windowStamp(key, id), where(step)).toBe(true);
      live.get(id)!.stampedAt = clock.time;
      stamps.push({ at: clock.time, id });
      finalTokens.set(id, live.get(id)!.tokens);
    } else if (roll < 0.72) {
      const id = pick([...live.keys()]);
      if (id === undefined) continue;
      const entry = live.get(id)!;
      const tokens = run.overSettle ? Math.floor(next() * entry.tokens * 2.5) : Math.floor(next() * (entry.tokens + 1));
      expect(await store.windowSettle(key, id, tokens), where(step)).toBe(true);
      entry.tokens = tokens;
      if (entry.stampedAt !== undefined) finalTokens.set(id, tokens);
    } else if (roll < 0.8) {
      const id = pick(pending);
      if (id === undefined) continue;
      expect(await store.windowRelease(key, id), where(step)).toBe(true);
      live.delete(id);
    } else if (roll < 0.84) {
      // A stamped entry is not released: it reached the wire.
      const id = pick([...live].filter(([, entry]) => entry.stampedAt !== undefined).map(([entryId]) => entryId));
      if (id !== undefined) expect(await store.windowRelease(key, id), where(step)).toBe(false);
    } else {
      clock.advance(next() < 0.9 ? next() * (w / 8) : next() * run.pendingTtlMs * 1.2);
      prune();
      // What the instance that crashed (never stamps) left pending has expired with it.
      for (const [id, entry] of [...live]) {
        if (entry.stampedAt === undefined && entry.expiresAt <= clock.time) live.delete(id);
      }
    }
    const usage = await store.windowUsage(key, w);
    prune();
    expect(usage.requests, `${where(step)}: requests counted`).toBe(live.size);
    expect(usage.tokens, `${where(step)}: tokens counted`).toBe([...live.values()].reduce((sum, entry) => sum + entry.tokens, 0));
  }

  // At the upstream: no window holds more than the limits (tokens: when usage stayed under the estimates).
  for (const { at } of stamps) {
    const inWindow = stamps.filter((stamp) => stamp.at > at - w && stamp.at <= at);
    if (requestLimit !== undefined) expect(inWindow.length, `seed ${run.seed}: requests in the window ending ${at}`).toBeLessThanOrEqual(requestLimit);
    if (tokenLimit !== undefined && !run.overSettle) {
      const tokens = inWindow.reduce((sum, stamp) => sum + (finalTokens.get(stamp.id) ?? 0), 0);
      expect(tokens, `seed ${run.seed}: tokens in the window ending ${at}`).toBeLessThanOrEqual(tokenLimit);
    }
  }
  return { admitted, refused };
}

export interface BudgetRun {
  readonly seed: number;
  readonly steps: number;
  readonly budgetNano: number;
  /** Largest reservation drawn. */
  readonly maxAmountNano: number;
  readonly ttlMs: number;
  /** Settle above the reservation too (the call cost more than its worst case), and settle expired reservations. */
  readonly overSettle: boolean;
}

/** Runs one random interleaving of reserve / settle / release / expiry on `key`, checking totals at every step. */
export async function checkBudget(store: StateStore, clock: ManualClock, key: string, run: BudgetRun): Promise<{ reserved: number; refused: number }> {
  const next = random(run.seed);
  const where = (step: number): string => `seed ${run.seed}, step ${step}`;
  const live = new Map<number, { amount: number; expiresAt: number }>();
  const expired = new Set<number>();
  const ended: number[] = [];
  let spent = 0;
  let lastSpent = 0;
  let granted = 0;
  let refused = 0;

  for (let step = 0; step < run.steps; step += 1) {
    for (const [id, reservation] of live) {
      if (reservation.expiresAt <= clock.time) {
        live.delete(id);
        expired.add(id);
      }
    }
    const reserved = [...live.values()].reduce((sum, reservation) => sum + reservation.amount, 0);
    const roll = next();
    if (roll < 0.45) {
      const amount = Math.floor(next() * run.maxAmountNano);
      const result = await store.budgetReserve(key, amount, run.budgetNano, { ttlMs: run.ttlMs });
      expect(result.ok, `${where(step)}: reserve of ${amount} with ${spent} spent, ${reserved} reserved`).toBe(spent + reserved + amount <= run.budgetNano);
      if (result.ok) {
        granted += 1;
        live.set(result.id, { amount, expiresAt: clock.time + run.ttlMs });
      } else {
        refused += 1;
      }
    } else if (roll < 0.75) {
      // An expired reservation belongs to an instance presumed dead: settling it late still charges, but
      // may pass the budget (others reserved its room), so only the lenient run does it.
      const candidates = run.overSettle ? [...live.keys(), ...expired] : [...live.keys()];
      const duplicate = next() < 0.15 && ended.length > 0;
      const id = duplicate ? ended[Math.floor(next() * ended.length)] : candidates[Math.floor(next() * candidates.length)];
      if (id === undefined) continue;
      const amount = live.get(id)?.amount ?? run.maxAmountNano / 2;
      const actual = Math.floor(run.overSettle ? next() * amount * 2 : next() * (amount + 1));
      const result = await store.budgetSettle(key, id, actual);
      expect(result.applied, `${where(step)}: settle of ${id}${duplicate ? ' (again)' : ''}`).toBe(!duplicate);
      if (!duplicate) {
        spent += actual;
        live.delete(id);
        expired.delete(id);
        ended.push(id);
      }
    } else if (roll < 0.85) {
      const id = [...live.keys()][Math.floor(next() * live.size)];
      if (id === undefined) continue;
      expect((await store.budgetRelease(key, id)).applied, where(step)).toBe(true);
      live.delete(id);
      ended.push(id);
    } else {
      clock.advance(next() < 0.85 ? next() * run.ttlMs * 0.2 : next() * run.ttlMs * 1.5);
    }
    for (const [id, reservation] of live) {
      if (reservation.expiresAt <= clock.time) {
        live.delete(id);
        expired.add(id);
      }
    }
    const totals = await store.budgetTotals(key);
    const modelReserved = [...live.values()].reduce((sum, reservation) => sum + reservation.amount, 0);
    expect(totals, where(step)).toEqual({ spentNano: spent, reservedNano: modelReserved, reservations: live.size });
    expect(totals.spentNano, `${where(step)}: spent went down`).toBeGreaterThanOrEqual(lastSpent);
    lastSpent = totals.spentNano;
    if (!run.overSettle) {
      expect(totals.spentNano + totals.reservedNano, `${where(step)}: spent + reserved over the budget`).toBeLessThanOrEqual(run.budgetNano);
    }
  }
  return { reserved: granted, refused };
}
