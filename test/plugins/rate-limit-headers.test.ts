// Provider headers are advice, not orders: every pause they cause is bounded by maxPauseMs, each
// form of time is read as what it is, and nothing in them can set a timer past 2^31-1 ms.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode, RateLimitError } from '../../core/errors.js';
import { headerWaitMs, MAX_HEADER_WAIT_MS, parseHeaderTime, parseRetryAfter } from '../../core/rate-limit-headers.js';
import { readOpenAICompatibleRateLimitHeaders as parseRateLimitHeaders } from '../../plugins/openai-compatible/index.js';
import { MAX_TIMER_MS } from '../../core/timer-delay.js';
import { DEFAULT_MAX_PAUSE_MS, WINDOW_MS } from '../../plugins/rate-limit/index.js';
import { ManualClock } from './rate-limit-clock.js';
import { startWireRig, type UpstreamAnswer } from './rate-limit-upstream.js';

const HOUR = 3_600_000;
const epochSeconds = (fromNowMs: number) => String(Math.ceil((Date.now() + fromNowMs) / 1000));
const epochMs = (fromNowMs: number) => String(Date.now() + fromNowMs);

describe('reading a time from a header', () => {
  const now = Date.parse('2026-12-04T02:00:00Z');
  const cases: [string, 's' | 'ms', number | undefined][] = [
    ['1796346961', 's', undefined], // epoch seconds (10 digits), 44 minutes before `now`: past, ignored
    [String(Math.floor(now / 1000) + 30), 's', 30_000], // epoch seconds ahead
    [String(now + 20_000), 's', 20_000], // epoch milliseconds (13 digits), as OpenRouter sends
    [String(now + 20_000), 'ms', 20_000],
    [String(Math.floor(now / 1000) + 10 * 365 * 24 * 3600), 's', undefined], // epoch ten years ahead: absurd
    ['86400', 's', 86_400_000], // a day in seconds: believed, and capped by maxPauseMs where it is used
    ['1h', 's', HOUR],
    ['1m30s', 's', 90_000],
    ['6ms', 's', 6],
    ['0.5s', 's', 500],
    ['0s', 's', 0],
    ['2', 's', 2000],
    ['1500.5', 'ms', 1500.5],
    ['Fri, 04 Dec 2026 02:00:10 GMT', 's', 10_000], // HTTP date
    ['2026-12-04T02:00:37Z', 's', 37_000], // RFC 3339, as Anthropic sends
    ['2026-12-04T01:59:00Z', 's', undefined], // in the past
    ['56000000000', 's', undefined], // 11 digits: neither epoch, and 1,775 years as seconds
    ['99999999999999', 'ms', undefined], // 14 digits
    ['-5', 's', undefined],
    ['', 's', undefined],
    ['soon', 's', undefined],
    ['2026', 's', 2_026_000], // a bare number, not a year
  ];
  for (const [text, unit, expected] of cases) {
    it(`reads ${JSON.stringify(text)} (${unit}) as ${expected === undefined ? 'nothing' : `${expected} ms`}`, () => {
      expect(headerWaitMs(parseHeaderTime(text, unit), now)).toBe(expected);
    });
  }

  it('believes nothing further than a week away', () => {
    expect(MAX_HEADER_WAIT_MS).toBe(7 * 24 * HOUR);
    expect(headerWaitMs(parseHeaderTime(String(8 * 24 * 3600), 's'), now)).toBeUndefined();
  });

  it('reads retry-after-ms before retry-after, and skips either when unreadable', () => {
    expect(parseRetryAfter({ 'retry-after-ms': 'soon', 'retry-after': '3' }, now)).toBe(3000);
    expect(parseRetryAfter({ 'retry-after': '1796346961' }, now)).toBeUndefined();
    expect(parseRetryAfter({ 'retry-after': String(Math.floor(now / 1000) + 5) }, now)).toBe(5000);
  });

  it('reads remaining and reset without a limit header, as many OpenAI-compatible servers send them', () => {
    expect(parseRateLimitHeaders({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(now / 1000) + 30) }, now)).toEqual({
      remainingRequests: 0,
      resetRequestsMs: 30_000,
    });
    expect(parseRateLimitHeaders({ 'x-ratelimit-remaining': '', 'x-ratelimit-reset': '1796346961' }, now)).toEqual({});
  });
});

describe('a successful response that says nothing is left', () => {
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => void warnings.push(warning);
  const stops: (() => Promise<void>)[] = [];
  beforeEach(() => {
    warnings.length = 0;
    process.on('warning', onWarning);
  });
  afterEach(async () => {
    process.off('warning', onWarning);
    await Promise.all(stops.splice(0).map((stop) => stop()));
  });

  /** Two calls in a row; the first answer carries `first`. The wait of the second, on the limiter's clock. */
  async function secondWaits(first: UpstreamAnswer, rateLimit: { maxPauseMs?: number; maxWaitMs?: number } = {}) {
    const clock = new ManualClock();
    const rig = await startWireRig(clock, { rateLimit, upstream: { answer: (_content, index) => (index === 0 ? first : {}) } });
    stops.push(rig.stop);
    const [one] = await rig.drive([rig.client.infer([{ role: 'user', content: 'first' }])]);
    const [two] = await rig.drive([rig.client.infer([{ role: 'user', content: 'second' }])]);
    const arrivals = rig.upstream.arrivals;
    return { one, two, clock, waitedMs: arrivals.length === 2 ? arrivals[1].at - arrivals[0].at : undefined, waits: rig.waits };
  }

  const remainingZero = (reset: string) => ({ headers: { 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset } });
  const openAI = (reset: string) => ({ headers: { 'x-ratelimit-limit-requests': '100', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': reset } });
  const anthropic = (reset: string) => ({
    headers: { 'anthropic-ratelimit-tokens-limit': '1000', 'anthropic-ratelimit-tokens-remaining': '0', 'anthropic-ratelimit-tokens-reset': reset },
  });
  const cases: [string, () => UpstreamAnswer, (waitedMs: number) => void][] = [
    ['x-ratelimit-reset: 1796346961 (the report: epoch seconds, now past)', () => remainingZero('1796346961'), (ms) => expect(ms).toBe(0)],
    ['x-ratelimit-reset: epoch seconds 30 s ahead', () => remainingZero(epochSeconds(30_000)), (ms) => expect(ms).toBeGreaterThan(28_000)],
    ['x-ratelimit-reset: epoch seconds 2 h ahead', () => remainingZero(epochSeconds(2 * HOUR)), (ms) => expect(ms).toBe(DEFAULT_MAX_PAUSE_MS)],
    ['x-ratelimit-reset: epoch seconds 10 years ahead (absurd)', () => remainingZero(epochSeconds(10 * 8760 * HOUR)), (ms) => expect(ms).toBe(0)],
    ['x-ratelimit-reset: epoch milliseconds 20 s ahead (OpenRouter)', () => remainingZero(epochMs(20_000)), (ms) => expect(ms).toBeGreaterThan(19_000)],
    ['x-ratelimit-reset: epoch milliseconds a day ahead', () => remainingZero(epochMs(24 * HOUR)), (ms) => expect(ms).toBe(DEFAULT_MAX_PAUSE_MS)],
    ['x-ratelimit-reset: 86400', () => remainingZero('86400'), (ms) => expect(ms).toBe(DEFAULT_MAX_PAUSE_MS)],
    ['x-ratelimit-reset-requests: 1h', () => openAI('1h'), (ms) => expect(ms).toBe(DEFAULT_MAX_PAUSE_MS)],
    ['x-ratelimit-reset-requests: 1m30s', () => openAI('1m30s'), (ms) => expect(ms).toBe(DEFAULT_MAX_PAUSE_MS)],
    ['x-ratelimit-reset-requests: 6ms', () => openAI('6ms'), (ms) => expect(ms).toBe(6)],
    ['x-ratelimit-reset-requests: 0.5s', () => openAI('0.5s'), (ms) => expect(ms).toBe(500)],
    ['anthropic-ratelimit-tokens-reset: RFC 3339 2 h ahead', () => anthropic(new Date(Date.now() + 2 * HOUR).toISOString()), (ms) => expect(ms).toBe(DEFAULT_MAX_PAUSE_MS)],
    ['x-ratelimit-reset: soon', () => remainingZero('soon'), (ms) => expect(ms).toBe(0)],
  ];
  for (const [name, answer, check] of cases) {
    it(`${name}: the next call waits a bounded time and completes, with no timer past 2^31-1 ms`, async () => {
      const { one, two, clock, waitedMs } = await secondWaits(answer());
      expect(one.status).toBe('fulfilled');
      expect(two.status).toBe('fulfilled');
      expect(waitedMs).toBeLessThanOrEqual(DEFAULT_MAX_PAUSE_MS);
      check(waitedMs!);
      // No spinning: a sleep and a deadline at most, each asked for once.
      expect(clock.delays.length).toBeLessThanOrEqual(2);
      expect(Math.max(0, ...clock.delays)).toBeLessThanOrEqual(MAX_TIMER_MS);
      expect(warnings.filter((warning) => warning.name === 'TimeoutOverflowWarning')).toEqual([]);
    });
  }

  it('fails the next call with a typed error when the capped reset is longer than maxWaitMs', async () => {
    const { two, waitedMs } = await secondWaits(remainingZero(epochSeconds(2 * HOUR)), { maxWaitMs: 30_000 });
    expect(waitedMs).toBeUndefined();
    expect(two.status).toBe('rejected');
    const error = (two as PromiseRejectedResult).reason;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ code: ErrorCode.RATE_LIMITED, retryable: false, retryAfterMs: DEFAULT_MAX_PAUSE_MS });
    expect(error.message).toMatch(/no capacity for another 60000 ms, held back by the provider's rate-limit headers.*longer than maxWaitMs \(30000 ms\)/);
  });
});

describe('a 429 with retry-after', () => {
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all(stops.splice(0).map((stop) => stop()));
  });

  const cases: [Record<string, string>, number][] = [
    [{ 'retry-after': '86400' }, DEFAULT_MAX_PAUSE_MS],
    [{ 'retry-after': '1796346961' }, 0],
    [{ 'retry-after-ms': '6' }, 6],
    [{ 'retry-after': new Date(Date.now() + 10 * HOUR).toUTCString() }, DEFAULT_MAX_PAUSE_MS],
  ];
  for (const [headers, expected] of cases) {
    it(`${JSON.stringify(headers)} holds the backend back ${expected} ms`, async () => {
      const clock = new ManualClock();
      const rig = await startWireRig(clock, { rateLimit: { maxWaitMs: 2 * WINDOW_MS }, upstream: { answer: (_content, index) => (index === 0 ? { status: 429, headers } : {}) } });
      stops.push(rig.stop);
      const [one] = await rig.drive([rig.client.infer([{ role: 'user', content: 'first' }])]);
      expect((one as PromiseRejectedResult).reason).toMatchObject({ code: ErrorCode.RATE_LIMITED, status: 429 });
      const [two] = await rig.drive([rig.client.infer([{ role: 'user', content: 'second' }])]);
      expect(two.status).toBe('fulfilled');
      expect(rig.upstream.arrivals[1].at - rig.upstream.arrivals[0].at).toBe(expected);
    });
  }
});
