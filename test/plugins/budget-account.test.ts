// BudgetAccount: the reserve / settle / release operations the budget is kept with.
import { describe, expect, it } from 'vitest';
import { BudgetAccount } from '../../plugins/cost/index.js';

describe('budget account: reserve, settle, release', () => {
  it('reserves only what fits next to what is spent and reserved, and changes nothing when it refuses', () => {
    const account = new BudgetAccount(1000);
    expect(account.reserve('a', 600)).toBe(true);
    expect(account.reserve('b', 401)).toBe(false);
    expect(account).toMatchObject({ spent: 0, reserved: 600, holders: 1, available: 400 });
    expect(account.reserve('b', 400)).toBe(true);
    expect(account.available).toBe(0);
  });

  it('settles a call to its real cost, several times if it is charged several times, and releases the rest once', () => {
    const account = new BudgetAccount(1000);
    account.reserve('a', 600);
    account.settle('a', 100);
    account.settle('a', 150);
    expect(account).toMatchObject({ spent: 250, reserved: 350 });
    expect(account.release('a')).toBe(350);
    expect(account.release('a')).toBe(0);
    expect(account).toMatchObject({ spent: 250, reserved: 0, holders: 0 });
  });

  it('takes the whole reservation off when a call cost more than it reserved', () => {
    const account = new BudgetAccount(1000);
    account.reserve('a', 300);
    account.settle('a', 500);
    expect(account).toMatchObject({ spent: 500, reserved: 0 });
    expect(account.release('a')).toBe(0);
  });

  it('never lets spending go down: a negative or non-numeric cost adds nothing', () => {
    const account = new BudgetAccount(1000);
    account.reserve('a', 300);
    for (const bad of [-1e8, Number.NaN, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY]) account.settle('a', bad);
    expect(account).toMatchObject({ spent: 0, reserved: 300 });
    expect(account.reserve('b', -500)).toBe(true);
    expect(account.reserved).toBe(300);
  });

  it('holds settled + reserved ≤ limit through 20,000 random operations while every call costs at most its reservation', () => {
    let seed = 7;
    const random = (max: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % max;
    };
    const account = new BudgetAccount(50_000);
    const live = new Map<string, number>();
    let next = 0;
    let expectedSpent = 0;
    for (let step = 0; step < 20_000; step += 1) {
      const choice = random(3);
      if (choice === 0 || live.size === 0) {
        const key = `call-${next++}`;
        const amount = 1 + random(5000);
        if (account.reserve(key, amount)) live.set(key, amount);
      } else {
        const keys = [...live.keys()];
        const key = keys[random(keys.length)];
        if (choice === 1) {
          const cost = random(live.get(key)! + 1);
          account.settle(key, cost);
          expectedSpent += cost;
          live.set(key, live.get(key)! - cost);
        }
        account.release(key);
        live.delete(key);
      }
      expect(account.spent + account.reserved).toBeLessThanOrEqual(account.limitNano);
      expect(account.reserved).toBe([...live.values()].reduce((sum, amount) => sum + amount, 0));
      expect(account.holders).toBe(live.size);
    }
    expect(account.spent).toBe(expectedSpent);
  });

  it('forgets what was spent on resetSpent, keeping what calls in flight hold', () => {
    const account = new BudgetAccount(1000);
    account.reserve('a', 400);
    account.settle('a', 300);
    account.resetSpent();
    expect(account).toMatchObject({ spent: 0, reserved: 100 });
  });
});
