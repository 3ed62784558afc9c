// What reaches the upstream under the rate limiter: arrivals recorded by a loopback server, in their
// real order, on the clock the limiter runs on. Admission-to-wire delays are put on that clock too, as
// the 0.3–1.4 s a cold connection pool took in the report that a 60-second window counted admissions.
import { afterEach, describe, expect, it } from 'vitest';
import { WINDOW_MS } from '../../plugins/rate-limit/index.js';
import { busiestWindow, ManualClock } from './rate-limit-clock.js';
import { startWireRig } from './rate-limit-upstream.js';

/** Deterministic spread in [low, high): the same delays on every run. */
function spread(low: number, high: number): (index: number) => number {
  return (index) => low + ((index * 7919) % 1000) * ((high - low) / 1000);
}

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

async function rig(...args: Parameters<typeof startWireRig>) {
  const started = await startWireRig(...args);
  stops.push(started.stop);
  return started;
}

const question = (index: number) => [{ role: 'user' as const, content: `question ${index}` }];

describe('requests per minute, as the upstream sees them', () => {
  it('rpm 10, 25 calls queued from a cold start, 0.3–1.4 s from admission to the wire: at most 10 arrivals in any 60 s', async () => {
    const clock = new ManualClock();
    const { client, upstream, drive } = await rig(clock, {
      rateLimit: { defaults: { rpm: 10 }, maxWaitMs: 10 * WINDOW_MS },
      upstream: { latencyMs: 500 },
      beforeWireMs: spread(300, 1400),
    });
    const results = await drive(Array.from({ length: 25 }, (_, index) => client.infer(question(index))));
    expect(results.map((result) => result.status)).toEqual(Array(25).fill('fulfilled'));
    const arrivals = upstream.arrivals.map((arrival) => arrival.at);
    expect(arrivals).toHaveLength(25);
    expect(busiestWindow(arrivals)).toBe(10);
    // Each batch waits for the last stamp of the one before: no capacity is held longer than that.
    expect(Math.max(...arrivals)).toBeLessThan(2 * WINDOW_MS + 2 * (1400 + 500) + 1400);
  });

  it('rpm 60, 300 concurrent calls: at most 60 arrivals in any 60 s, and every call completes', async () => {
    const clock = new ManualClock();
    const { client, upstream, drive } = await rig(clock, {
      rateLimit: { defaults: { rpm: 60 }, maxWaitMs: 10 * WINDOW_MS },
      upstream: { latencyMs: 200 },
      beforeWireMs: spread(0, 1400),
    });
    const results = await drive(Array.from({ length: 300 }, (_, index) => client.infer(question(index))));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(300);
    const arrivals = upstream.arrivals.map((arrival) => arrival.at);
    expect(busiestWindow(arrivals)).toBe(60);
    expect(new Set(upstream.arrivals.map((arrival) => arrival.content)).size).toBe(300);
  });
});

describe('tokens per minute, with the real usage the upstream reports', () => {
  it('tpm held when real usage is 2.5× the estimate, from a cold start', async () => {
    const clock = new ManualClock();
    const TPM = 10_000;
    let estimates: Map<string, number> = new Map();
    const started = await rig(clock, {
      rateLimit: { defaults: { tpm: TPM }, maxWaitMs: 10 * WINDOW_MS },
      upstream: { latencyMs: 2000, answer: (content) => ({ totalTokens: Math.round(2.5 * estimates.get(content)!) }) },
      beforeWireMs: spread(300, 1400),
    });
    estimates = started.estimates;
    // 30 calls of about 320 estimated tokens each really use about 800: 24,000 real tokens in all.
    const calls = Array.from({ length: 30 }, (_, index) => started.client.infer(question(index), [], { maxTokens: 300 }));
    const results = await started.drive(calls);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(30);
    const { arrivals } = started.upstream;
    const real = arrivals.map((arrival) => arrival.tokens);
    expect(real.reduce((sum, tokens) => sum + tokens, 0)).toBeGreaterThan(2 * TPM);
    expect(busiestWindow(arrivals.map((arrival) => arrival.at), real)).toBeLessThanOrEqual(TPM);
    // Held, not starved: once calibrated, each minute carries most of the budget.
    expect(busiestWindow(arrivals.map((arrival) => arrival.at), real)).toBeGreaterThan(0.8 * TPM);
  });
});
