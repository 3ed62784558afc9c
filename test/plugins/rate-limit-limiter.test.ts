import { describe, expect, it } from 'vitest';
import { ErrorCode, RateLimitError } from '../../core/errors.js';
import { DEFAULT_MAX_WAIT_MS, RateLimiter, WINDOW_MS, type RateLimiterOptions, type RateLimitPermit } from '../../plugins/rate-limit/index.js';
import { busiestWindow, ManualClock } from './rate-limit-clock.js';

/** Sent at once and over: stamped and released the moment it is granted. */
function sendNow(permit: RateLimitPermit): void {
  permit.stamp();
  permit.release();
}

/** A limiter on a manual clock whose estimates are taken as exact (no cold-start scaling), unless told otherwise. */
function limiterOn(options: RateLimiterOptions = {}): { clock: ManualClock; limiter: RateLimiter } {
  const clock = new ManualClock();
  return { clock, limiter: new RateLimiter({ coldStartFactor: 1, maxWaitMs: 20 * WINDOW_MS, clock, ...options }) };
}

describe('RateLimiter: requests per minute', () => {
  it('lets no 60-second window hold more than rpm starts among 20 concurrent callers, and wastes no capacity', async () => {
    const { clock, limiter } = limiterOn({ rpm: 5 });
    const starts: number[] = [];
    const all = Array.from({ length: 20 }, () =>
      limiter.acquire(10).then((permit) => {
        starts.push(clock.now());
        sendNow(permit);
      }),
    );
    await clock.advance(4 * WINDOW_MS);
    await Promise.all(all);
    expect(starts).toHaveLength(20);
    expect(busiestWindow(starts)).toBe(5);
    expect(starts.filter((start) => start === 0)).toHaveLength(5);
    expect(Math.max(...starts)).toBe(3 * WINDOW_MS);
  });

  it('counts a request from admission and for a minute after it was stamped: late arrivals cannot crowd the next window', async () => {
    const { clock, limiter } = limiterOn({ rpm: 2 });
    const first = [await limiter.acquire(1), await limiter.acquire(1)];
    let third: RateLimitPermit | undefined;
    void limiter.acquire(1).then((permit) => (third = permit));
    // Not stamped yet: however long the requests take to reach the upstream, they still count.
    await clock.advance(3 * WINDOW_MS);
    expect(third).toBeUndefined();
    expect(limiter.usage()).toEqual({ requests: 2, tokens: 2 });
    for (const permit of first) permit.stamp();
    await clock.advance(WINDOW_MS - 1);
    expect(third).toBeUndefined();
    await clock.advance(1);
    expect(third).toMatchObject({ reason: 'rpm', waitedMs: 4 * WINDOW_MS });
    for (const permit of first) permit.release();
  });

  it('frees the place of a permit cancelled before it was sent, and keeps that of one released unstamped', async () => {
    const { limiter } = limiterOn({ rpm: 2 });
    (await limiter.acquire(1)).cancel();
    expect(limiter.usage().requests).toBe(0);
    (await limiter.acquire(1)).release();
    expect(limiter.usage().requests).toBe(1);
  });
});

describe('RateLimiter: tokens per minute', () => {
  it('keeps reserved tokens in any window within tpm', async () => {
    const { clock, limiter } = limiterOn({ tpm: 1000 });
    const starts: number[] = [];
    const sizes = [400, 300, 500, 200, 600, 100, 900, 250];
    const all = sizes.map((tokens) =>
      limiter.acquire(tokens).then((permit) => {
        starts.push(clock.now());
        sendNow(permit);
      }),
    );
    await clock.advance(10 * WINDOW_MS);
    await Promise.all(all);
    expect(busiestWindow(starts, sizes)).toBeLessThanOrEqual(1000);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });

  it('sleeps until just enough of the oldest reservations expire, in one step', async () => {
    const { clock, limiter } = limiterOn({ tpm: 1000 });
    for (const at of [0, 10_000, 20_000]) {
      await clock.advance(at - clock.now());
      sendNow(await limiter.acquire(300));
    }
    const big = limiter.acquire(500);
    await clock.advance(0);
    expect(clock.nextTimerAt).toBe(10_000 + WINDOW_MS);
    await clock.advance(10_000 + WINDOW_MS - clock.now());
    await expect(big).resolves.toMatchObject({ waitedMs: 50_000, reason: 'tpm' });
  });

  it('frees the unused part of a reservation when it is settled, waking a waiter early', async () => {
    const { clock, limiter } = limiterOn({ tpm: 1000 });
    const first = await limiter.acquire(800);
    let second: RateLimitPermit | undefined;
    void limiter.acquire(800).then((permit) => (second = permit));
    await clock.advance(1000);
    expect(second).toBeUndefined();
    first.stamp();
    first.settle(150);
    await clock.advance(0);
    expect(second?.waitedMs).toBe(1000);
    expect(second?.reason).toBe('tpm');
    expect(limiter.usage()).toEqual({ requests: 2, tokens: 950 });
  });

  it('holds later admissions back when a call used more than it reserved', async () => {
    const { clock, limiter } = limiterOn({ tpm: 1000 });
    const first = await limiter.acquire(300);
    first.stamp();
    first.settle(900);
    let second: RateLimitPermit | undefined;
    void limiter.acquire(300).then((permit) => (second = permit));
    await clock.advance(WINDOW_MS - 1);
    expect(second).toBeUndefined();
    await clock.advance(1);
    expect(second).toMatchObject({ reason: 'tpm', waitedMs: WINDOW_MS });
  });

  it('fails at once, not retryable, when one request needs more than the whole budget', async () => {
    const { limiter } = limiterOn({ tpm: 1000, name: 'gpt' });
    const failure = limiter.acquire(1500);
    await expect(failure).rejects.toBeInstanceOf(RateLimitError);
    await expect(failure).rejects.toMatchObject({ retryable: false, code: ErrorCode.RATE_LIMITED });
    await expect(failure).rejects.toThrow('needs about 1500 tokens but the limit is 1000 tokens per minute');
    expect(limiter.usage()).toEqual({ requests: 0, tokens: 0 });
  });
});

describe('RateLimiter: calibrated estimates', () => {
  it('reserves four times the estimate until a call settled, at most tpm, then what real usage showed', async () => {
    const clock = new ManualClock();
    expect((await new RateLimiter({ tpm: 10_000, clock }).acquire(4000)).reservedTokens).toBe(10_000);
    const limiter = new RateLimiter({ tpm: 10_000, clock });
    const cold = await limiter.acquire(400);
    expect(cold.reservedTokens).toBe(1600);
    cold.stamp();
    cold.settle(1000);
    expect(limiter.calibrationFactor).toBe(2.5);
    expect(limiter.tryAcquire(400)?.reservedTokens).toBe(1000);
    expect(limiter.usage()).toEqual({ requests: 2, tokens: 2000 });
  });

  it('rises at once to a larger ratio, falls slowly, never below 1, and learns nothing from unmeasured counts', async () => {
    const { limiter } = limiterOn({ tpm: 1_000_000 });
    const settleAt = async (used: number, measured = true) => {
      const permit = await limiter.acquire(100);
      permit.stamp();
      permit.settle(used, measured);
      permit.release();
    };
    await settleAt(300);
    expect(limiter.calibrationFactor).toBe(3);
    await settleAt(100_000, false);
    expect(limiter.calibrationFactor).toBe(3);
    await settleAt(100);
    expect(limiter.calibrationFactor).toBe(2.75);
    for (let call = 0; call < 60; call += 1) await settleAt(10);
    expect(limiter.calibrationFactor).toBe(1);
  });
});

describe('RateLimiter: requests in flight', () => {
  it('never grants more than maxConcurrent permits at once, first come first served', async () => {
    const { clock, limiter } = limiterOn({ maxConcurrent: 2 });
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
    const { clock, limiter } = limiterOn();
    limiter.pause(3000);
    let permit: RateLimitPermit | undefined;
    void limiter.acquire(1).then((granted) => (permit = granted));
    await clock.advance(2999);
    expect(permit).toBeUndefined();
    await clock.advance(1);
    expect(permit).toMatchObject({ waitedMs: 3000, reason: 'retry-after' });
  });

  it('waits for the reset when the provider says no requests are left', async () => {
    const { clock, limiter } = limiterOn();
    limiter.observe({ remainingRequests: 0, resetRequestsMs: 2000 });
    const permit = limiter.acquire(1);
    await clock.advance(2000);
    await expect(permit).resolves.toMatchObject({ waitedMs: 2000, reason: 'provider-requests' });
  });

  it('waits for the token reset only when the request does not fit in what is left', async () => {
    const { clock, limiter } = limiterOn();
    limiter.observe({ remainingTokens: 500, resetTokensMs: 4000, remainingRequests: 10, resetRequestsMs: 1000 });
    await expect(limiter.acquire(300)).resolves.toMatchObject({ reason: undefined });
    const big = limiter.acquire(300);
    await clock.advance(4000);
    await expect(big).resolves.toMatchObject({ waitedMs: 4000, reason: 'provider-tokens' });
  });

  it('holds back for at most maxPauseMs, whatever a pause or a reset asks, and ignores resets that are no time', async () => {
    const { clock, limiter } = limiterOn({ maxPauseMs: 5000, maxWaitMs: 10_000 });
    limiter.pause(56 * 365 * 24 * 3_600_000);
    limiter.observe({ remainingRequests: 0, resetRequestsMs: 86_400_000 });
    limiter.observe({ remainingTokens: 0, resetTokensMs: Number.NaN });
    limiter.pause(Number.POSITIVE_INFINITY);
    const permit = limiter.acquire(1);
    await clock.advance(5000);
    await expect(permit).resolves.toMatchObject({ waitedMs: 5000 });
    expect(Math.max(...clock.delays)).toBeLessThanOrEqual(10_000);
  });
});

describe('RateLimiter: abort while waiting', () => {
  it('rejects promptly with an AbortError, clears its timers and gives up its place', async () => {
    const { clock, limiter } = limiterOn({ rpm: 1 });
    sendNow(await limiter.acquire(1));
    const controller = new AbortController();
    const waiting = limiter.acquire(1, controller.signal);
    const rejected = expect(waiting).rejects.toMatchObject({ code: ErrorCode.ABORTED });
    await clock.advance(10);
    // Its sleep for the window (at the head of the queue, the deadline is kept without a timer).
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
    const { clock, limiter } = limiterOn({ maxConcurrent: 1 });
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
    const { limiter } = limiterOn();
    await expect(limiter.acquire(1, AbortSignal.abort())).rejects.toMatchObject({ code: ErrorCode.ABORTED });
  });
});

describe('RateLimiter: maxWaitMs', () => {
  it('fails a call that would wait longer than maxWaitMs instead of waiting, saying for what', async () => {
    const { limiter } = limiterOn({ rpm: 1, maxWaitMs: 5000, name: 'claude' });
    sendNow(await limiter.acquire(1));
    const failure = limiter.acquire(1);
    await expect(failure).rejects.toMatchObject({ code: ErrorCode.RATE_LIMITED, retryable: false, retryAfterMs: WINDOW_MS });
    await expect(failure).rejects.toThrow(/no capacity for another 60000 ms, held back by its limit of 1 requests per minute \(rpm.*longer than maxWaitMs \(5000 ms\)/);
  });

  it('fails a call still queued at its deadline, saying how long it waited and behind what', async () => {
    const { clock, limiter } = limiterOn({ maxConcurrent: 1, maxWaitMs: 3000, name: 'gpt' });
    const holder = await limiter.acquire(1);
    const queued = limiter.acquire(1);
    const failed = expect(queued).rejects.toThrow(/backend "gpt" waited 3000 ms \(maxWaitMs\) for capacity, so it was not sent: its limit of 1 requests in flight \(maxConcurrent\) was reached/);
    await clock.advance(2999);
    expect(limiter.waiting).toBe(1);
    await clock.advance(1);
    await failed;
    expect(limiter.waiting).toBe(0);
    holder.release();
  });

  it('waits out a tpm wait that calls in flight may shorten, and fails at the deadline with what is left of it', async () => {
    const { clock, limiter } = limiterOn({ tpm: 1000, maxWaitMs: 3000 });
    const inFlight = await limiter.acquire(900);
    const waiting = limiter.acquire(500);
    const failed = expect(waiting).rejects.toThrow(/waited 3000 ms \(maxWaitMs\) for capacity and would have waited about 60000 ms more.*tokens per minute \(tpm\)/);
    await clock.advance(3000);
    await failed;
    expect(limiter.usage()).toEqual({ requests: 1, tokens: 900 });
    inFlight.release();
  });

  it('is finite by default', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ rpm: 1, clock });
    expect(limiter.maxWaitMs).toBe(DEFAULT_MAX_WAIT_MS);
    sendNow(await limiter.acquire(1));
    sendNow(await clock.advance(WINDOW_MS).then(() => limiter.acquire(1)));
    const third = limiter.acquire(1);
    const fourth = limiter.acquire(1);
    const fifth = limiter.acquire(1);
    const fifthFailed = expect(fifth).rejects.toThrow(/waited 120000 ms \(maxWaitMs\).*1 call\(s\) ahead of it were waiting for its limit of 1 requests per minute/);
    await clock.advance(0);
    // The third waits one window; the fourth two (just within the limit); the fifth is still queued at its deadline.
    void third.then(sendNow);
    void fourth.then(sendNow);
    await clock.advance(WINDOW_MS);
    await expect(third).resolves.toMatchObject({ waitedMs: WINDOW_MS });
    await clock.advance(WINDOW_MS);
    await expect(fourth).resolves.toMatchObject({ waitedMs: 2 * WINDOW_MS });
    await fifthFailed;
    await expect(fifth).rejects.toMatchObject({ code: ErrorCode.RATE_LIMITED, retryable: false });
  });
});

describe('RateLimiter: options', () => {
  it('throws a TypeError naming a bad limit', () => {
    expect(() => new RateLimiter({ rpm: 0 })).toThrow(/`rpm` must be an integer >= 1, received 0/);
    expect(() => new RateLimiter({ maxConcurrent: 1.5 })).toThrow(TypeError);
    expect(() => new RateLimiter({ maxWaitMs: -1 })).toThrow(/`maxWaitMs`/);
    expect(() => new RateLimiter({ maxPauseMs: Number.NaN })).toThrow(/`maxPauseMs`/);
    expect(() => new RateLimiter({ coldStartFactor: 0.5 })).toThrow(/`coldStartFactor` must be a finite number >= 1/);
  });
});
