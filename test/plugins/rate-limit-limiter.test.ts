import { describe, expect, it } from 'vitest';
import { ErrorCode, RateLimitError } from '../../core/errors.js';
import { RateLimiter, WINDOW_MS, type Clock, type RateLimitPermit } from '../../plugins/rate-limit/index.js';

/** A clock that only moves when told to; timers fire in order as it passes them. */
class ManualClock implements Clock {
  private time = 0;
  private readonly timers: { at: number; callback: () => void }[] = [];

  now(): number {
    return this.time;
  }

  setTimer(callback: () => void, ms: number): () => void {
    const timer = { at: this.time + ms, callback };
    this.timers.push(timer);
    return () => {
      const index = this.timers.indexOf(timer);
      if (index >= 0) this.timers.splice(index, 1);
    };
  }

  get pendingTimers(): number {
    return this.timers.length;
  }

  get nextTimerAt(): number | undefined {
    return Math.min(...this.timers.map((timer) => timer.at));
  }

  /** Move time forward by `ms`, firing due timers one by one and letting promises settle after each. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    await settle();
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (next === undefined || next.at > target) break;
      this.timers.shift();
      this.time = Math.max(this.time, next.at);
      next.callback();
      await settle();
    }
    this.time = target;
    await settle();
  }
}

async function settle(): Promise<void> {
  for (let turn = 0; turn < 20; turn += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** The most starts in any window of WINDOW_MS that opens at a start. */
function busiestWindow(starts: readonly number[], weights: readonly number[] = starts.map(() => 1)): number {
  let most = 0;
  for (const open of starts) {
    let total = 0;
    starts.forEach((start, index) => {
      if (start >= open && start < open + WINDOW_MS) total += weights[index];
    });
    most = Math.max(most, total);
  }
  return most;
}

describe('RateLimiter: requests per minute', () => {
  it('lets no 60-second window hold more than rpm starts among 20 concurrent callers, and wastes no capacity', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ rpm: 5, clock });
    const starts: number[] = [];
    const all = Array.from({ length: 20 }, () =>
      limiter.acquire(10).then((permit) => {
        starts.push(clock.now());
        permit.release();
      }),
    );
    await clock.advance(4 * WINDOW_MS);
    await Promise.all(all);
    expect(starts).toHaveLength(20);
    expect(busiestWindow(starts)).toBe(5);
    expect(starts.filter((start) => start === 0)).toHaveLength(5);
    expect(Math.max(...starts)).toBe(3 * WINDOW_MS);
  });
});

describe('RateLimiter: tokens per minute', () => {
  it('keeps reserved tokens in any window within tpm', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ tpm: 1000, clock });
    const starts: number[] = [];
    const sizes = [400, 300, 500, 200, 600, 100, 900, 250];
    const all = sizes.map((tokens) =>
      limiter.acquire(tokens).then((permit) => {
        starts.push(clock.now());
        permit.release();
      }),
    );
    await clock.advance(10 * WINDOW_MS);
    await Promise.all(all);
    expect(busiestWindow(starts, sizes)).toBeLessThanOrEqual(1000);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });

  it('sleeps until just enough of the oldest reservations expire, in one step', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ tpm: 1000, clock });
    for (const at of [0, 10_000, 20_000]) {
      await clock.advance(at - clock.now());
      (await limiter.acquire(300)).release();
    }
    const big = limiter.acquire(500);
    await clock.advance(0);
    expect(clock.nextTimerAt).toBe(10_000 + WINDOW_MS);
    await clock.advance(10_000 + WINDOW_MS - clock.now());
    await expect(big).resolves.toMatchObject({ waitedMs: 50_000, reason: 'tpm' });
  });

  it('frees the unused part of a reservation when it is settled, waking a waiter early', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ tpm: 1000, clock });
    const first = await limiter.acquire(800);
    let second: RateLimitPermit | undefined;
    void limiter.acquire(800).then((permit) => (second = permit));
    await clock.advance(1000);
    expect(second).toBeUndefined();
    first.settle(150);
    await clock.advance(0);
    expect(second?.waitedMs).toBe(1000);
    expect(second?.reason).toBe('tpm');
    expect(limiter.usage()).toEqual({ requests: 2, tokens: 950 });
  });

  it('fails at once, not retryable, when one request needs more than the whole budget', async () => {
    const limiter = new RateLimiter({ tpm: 1000, name: 'gpt', clock: new ManualClock() });
    const failure = limiter.acquire(1500);
    await expect(failure).rejects.toBeInstanceOf(RateLimitError);
    await expect(failure).rejects.toMatchObject({ retryable: false, code: ErrorCode.RATE_LIMITED });
    await expect(failure).rejects.toThrow('needs about 1500 tokens but the limit is 1000 tokens per minute');
    expect(limiter.usage()).toEqual({ requests: 0, tokens: 0 });
  });
});

describe('RateLimiter: requests in flight', () => {
  it('never grants more than maxConcurrent permits at once, first come first served', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ maxConcurrent: 2, clock });
    const order: number[] = [];
    const permits: RateLimitPermit[] = [];
    for (let index = 0; index < 5; index += 1) {
      void limiter.acquire(1).then((permit) => {
        order.push(index);
        permits.push(permit);
      });
    }
    await clock.advance(0);
    expect(order).toEqual([0, 1]);
    expect(limiter.inFlight).toBe(2);
    expect(limiter.waiting).toBe(3);
    permits[0].release();
    permits[0].release();
    await clock.advance(5);
    expect(order).toEqual([0, 1, 2]);
    expect(limiter.inFlight).toBe(2);
    permits[1].release();
    permits[2].release();
    await clock.advance(5);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(permits[4].reason).toBe('maxConcurrent');
    expect(permits[4].waitedMs).toBe(5);
    expect(permits[2].waitedMs).toBe(0);
  });
});

describe('RateLimiter: provider headers and retry-after', () => {
  it('pauses every caller until a retry-after has passed', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ clock });
    limiter.pause(3000);
    let permit: RateLimitPermit | undefined;
    void limiter.acquire(1).then((granted) => (permit = granted));
    await clock.advance(2999);
    expect(permit).toBeUndefined();
    await clock.advance(1);
    expect(permit).toMatchObject({ waitedMs: 3000, reason: 'retry-after' });
  });

  it('waits for the reset when the provider says no requests are left', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ clock });
    limiter.observe({ remainingRequests: 0, resetRequestsMs: 2000 });
    const permit = limiter.acquire(1);
    await clock.advance(2000);
    await expect(permit).resolves.toMatchObject({ waitedMs: 2000, reason: 'provider-requests' });
  });

  it('waits for the token reset only when the request does not fit in what is left', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ clock });
    limiter.observe({ remainingTokens: 500, resetTokensMs: 4000, remainingRequests: 10, resetRequestsMs: 1000 });
    await expect(limiter.acquire(300)).resolves.toMatchObject({ reason: undefined });
    const big = limiter.acquire(300);
    await clock.advance(4000);
    await expect(big).resolves.toMatchObject({ waitedMs: 4000, reason: 'provider-tokens' });
  });
});

describe('RateLimiter: abort while waiting', () => {
  it('rejects promptly with an AbortError, clears its timer and gives up its place', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ rpm: 1, clock });
    (await limiter.acquire(1)).release();
    const controller = new AbortController();
    const waiting = limiter.acquire(1, controller.signal);
    const rejected = expect(waiting).rejects.toMatchObject({ code: ErrorCode.ABORTED });
    await clock.advance(10);
    expect(clock.pendingTimers).toBe(1);
    controller.abort();
    await rejected;
    expect(clock.pendingTimers).toBe(0);
    const next = limiter.acquire(1);
    await clock.advance(WINDOW_MS);
    await expect(next).resolves.toMatchObject({ waitedMs: WINDOW_MS - 10 });
    expect(limiter.usage().requests).toBe(1);
  });

  it('leaves the concurrency queue when aborted there', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ maxConcurrent: 1, clock });
    const holder = await limiter.acquire(1);
    const controller = new AbortController();
    const queued = limiter.acquire(1, controller.signal);
    await clock.advance(0);
    expect(limiter.waiting).toBe(1);
    controller.abort();
    await expect(queued).rejects.toMatchObject({ code: ErrorCode.ABORTED });
    expect(limiter.waiting).toBe(0);
    holder.release();
    await expect(limiter.acquire(1)).resolves.toBeDefined();
  });

  it('rejects at once when the signal is already aborted', async () => {
    const limiter = new RateLimiter({ clock: new ManualClock() });
    await expect(limiter.acquire(1, AbortSignal.abort())).rejects.toMatchObject({ code: ErrorCode.ABORTED });
  });
});

describe('RateLimiter: maxWaitMs', () => {
  it('fails a call that would wait longer than maxWaitMs instead of waiting', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ rpm: 1, maxWaitMs: 5000, clock, name: 'claude' });
    (await limiter.acquire(1)).release();
    await expect(limiter.acquire(1)).rejects.toMatchObject({ code: ErrorCode.RATE_LIMITED, retryable: false, retryAfterMs: WINDOW_MS });
  });
});

describe('RateLimiter: options', () => {
  it('throws a TypeError naming a bad limit', () => {
    expect(() => new RateLimiter({ rpm: 0 })).toThrow(/`rpm` must be an integer >= 1, received 0/);
    expect(() => new RateLimiter({ maxConcurrent: 1.5 })).toThrow(TypeError);
    expect(() => new RateLimiter({ maxWaitMs: -1 })).toThrow(/`maxWaitMs`/);
  });
});
