// No delay derived from a header or an option reaches setTimeout past 2^31-1 ms: Node would warn
// (TimeoutOverflowWarning) and fire it after 1 ms, and a wait loop would then spin. Real timers here.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../core/errors.js';
import { MAX_TIMER_MS, timerDelay } from '../../core/timer-delay.js';
import { systemClock } from '../../plugins/rate-limit/index.js';
import { abortableSleep } from '../../plugins/retry/abortable-sleep.js';
import { settle } from './rate-limit-clock.js';
import { startWireRig } from './rate-limit-upstream.js';

const DAY = 24 * 3_600_000;
const warnings: Error[] = [];
const onWarning = (warning: Error) => void warnings.push(warning);
const overflows = () => warnings.filter((warning) => warning.name === 'TimeoutOverflowWarning');
const stops: (() => Promise<void>)[] = [];

beforeEach(() => {
  warnings.length = 0;
  process.on('warning', onWarning);
});
afterEach(async () => {
  process.off('warning', onWarning);
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

describe('timer delays', () => {
  it('are capped at 2^31-1 ms, and a negative or NaN one is 0', () => {
    expect(MAX_TIMER_MS).toBe(2_147_483_647);
    expect(timerDelay(2 ** 40)).toBe(MAX_TIMER_MS);
    expect(timerDelay(-5)).toBe(0);
    expect(timerDelay(Number.NaN)).toBe(0);
    expect(timerDelay(1500)).toBe(1500);
  });

  it("the rate limiter's system clock waits out a delay past 2^31-1 ms in several timers, without a warning or an early fire", async () => {
    let fired = 0;
    const cancel = systemClock.setTimer(() => (fired += 1), 30 * DAY);
    const never = systemClock.setTimer(() => (fired += 1), Number.POSITIVE_INFINITY);
    await settle(50);
    expect(fired).toBe(0);
    cancel();
    never();
    expect(overflows()).toEqual([]);
  });

  it("the retry plugin's sleep takes a delay past 2^31-1 ms without a warning, and still aborts", async () => {
    const controller = new AbortController();
    const sleeping = abortableSleep(30 * DAY, controller.signal);
    await settle(20);
    controller.abort();
    await expect(sleeping).rejects.toMatchObject({ code: ErrorCode.ABORTED });
    expect(overflows()).toEqual([]);
  });
});

describe('the rate-limit plugin on the real clock', () => {
  it('one response with x-ratelimit-remaining: 0 and x-ratelimit-reset: 1796346961: the next call completes, no warning', async () => {
    const rig = await startWireRig(systemClock, {
      rateLimit: {},
      upstream: { answer: (_content, index) => (index === 0 ? { headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1796346961' } } : {}) },
    });
    stops.push(rig.stop);
    await rig.client.infer([{ role: 'user', content: 'first' }]);
    await expect(rig.client.infer([{ role: 'user', content: 'second' }])).resolves.toMatchObject({ content: 'ok' });
    await settle();
    expect(rig.upstream.arrivals).toHaveLength(2);
    expect(overflows()).toEqual([]);
  });

  it('a reset held for longer than 2^31-1 ms (maxPauseMs of 30 days) sleeps on without a warning and without spinning', async () => {
    const rig = await startWireRig(systemClock, {
      rateLimit: { maxPauseMs: 30 * DAY, maxWaitMs: 40 * DAY },
      upstream: { answer: (_content, index) => (index === 0 ? { headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '86400' } } : {}) },
    });
    stops.push(rig.stop);
    await rig.client.infer([{ role: 'user', content: 'first' }]);
    const controller = new AbortController();
    const second = rig.client.infer([{ role: 'user', content: 'second' }], [], { signal: controller.signal });
    await settle(50);
    controller.abort();
    await expect(second).rejects.toMatchObject({ code: ErrorCode.ABORTED });
    expect(rig.upstream.arrivals).toHaveLength(1);
    expect(overflows()).toEqual([]);
  });

  it("a backend timeoutMs past 2^31-1 ms does not time the request out at once", async () => {
    const rig = await startWireRig(systemClock, { rateLimit: {}, timeoutMs: 30 * DAY });
    stops.push(rig.stop);
    await expect(rig.client.infer([{ role: 'user', content: 'first' }])).resolves.toMatchObject({ content: 'ok' });
    await settle();
    expect(overflows()).toEqual([]);
  });
});
