// Aborting a call at every point it can wait: queued behind the rate limit, sleeping before a retry,
// waiting for the headers, mid-body and mid-stream. Each rejects (or ends its stream with one
// AbortError event) at once on a real clock, and the connection is let go.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { AbortError } from '../../core/errors.js';
import { Stage, type Attempt } from '../../core/hooks.js';
import type { StreamEvent } from '../../core/types.js';
import { countUnhandledRejections, expectClean, expectOneTerminal, HELLO, startRig, timeSettle, type Rig } from './harness.js';
import { blockOffset, DEFAULT_PIECES, errorStatus, okJson, okStream, PROVIDERS, type ProviderName } from './wire.js';

// Loose on purpose: the measured figures (printed with HYPERAGENT_RELIABILITY_FIGURES=1) are a few
// milliseconds; a loaded 2-core CI machine must not turn scheduling noise into a red build.
const PROMPT_MS = 250;
const figures: { readonly point: string; readonly provider: string; readonly ms: number }[] = [];
const unhandled = countUnhandledRejections();
const rigs: Rig[] = [];

async function rig(options: Parameters<typeof startRig>[0] = {}): Promise<Rig> {
  const started = await startRig(options);
  rigs.push(started);
  return started;
}

afterEach(async () => {
  await Promise.all(rigs.splice(0).map((each) => each.server.stop()));
  expect(unhandled.reasons).toEqual([]);
});

afterAll(() => {
  unhandled.stop();
  if (process.env.HYPERAGENT_RELIABILITY_FIGURES) {
    const byPoint = new Map<string, number[]>();
    for (const figure of figures) byPoint.set(figure.point, [...(byPoint.get(figure.point) ?? []), figure.ms]);
    for (const [point, values] of byPoint) console.info(`abort ${point}: max ${Math.max(...values).toFixed(1)} ms, mean ${(values.reduce((a, b) => a + b, 0) / values.length).toFixed(1)} ms over ${values.length}`);
  }
});

function record(point: string, provider: string, ms: number): void {
  figures.push({ point, provider, ms });
  expect(ms, `${point} (${provider}) took ${ms.toFixed(1)} ms`).toBeLessThan(PROMPT_MS);
}

/** Resolves with the first event of `iterator` that is not a text delta, and the time it came. */
async function nextTerminal(iterator: AsyncIterator<StreamEvent>): Promise<StreamEvent> {
  for (;;) {
    const next = await iterator.next();
    if (next.done) throw new Error('the stream ended without a terminal event');
    if (next.value.type === 'done' || next.value.type === 'error') return next.value;
  }
}

describe.each(PROVIDERS)('%s: aborting', (name: ProviderName) => {
  it('an already aborted signal: rejects at once and sends nothing', async () => {
    const own = await rig();
    const controller = new AbortController();
    controller.abort();
    await expect(own.backend(name).infer(HELLO, [], { signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
    expect(own.server.requests).toHaveLength(0);
    await expectClean(own);
  });

  it('while queued behind the rate limit', async () => {
    const own = await rig({ rateLimit: { backends: { [name]: { maxConcurrent: 1, rpm: 1_000_000, tpm: 1_000_000_000 } } } });
    // Know when a call reaches the rate limiter: a wrapper just outside it (stage 150).
    let reachedLimiter: () => void = () => {};
    own.kernel.hooks.wrapAttempt.tap({ name: 'probe', stage: (Stage.RATE_LIMIT + Stage.RETRY) / 2 }, (attempt: Attempt): Attempt => (context) => {
      reachedLimiter();
      return attempt(context);
    });
    own.server.enqueue({ stallBeforeHeaders: 'forever' });
    const holder = new AbortController();
    const holding = own.backend(name).infer(HELLO, [], { signal: holder.signal }).catch((error: unknown) => error);
    await own.server.waitForRequests(1);
    const queued = new AbortController();
    const entered = new Promise<void>((resolve) => (reachedLimiter = resolve));
    const waiting = own.backend(name).infer(HELLO, [], { signal: queued.signal });
    await entered;
    await new Promise((resolve) => setImmediate(resolve));
    const started = performance.now();
    queued.abort();
    const result = await timeSettle(waiting, started);
    expect(result.error).toBeInstanceOf(AbortError);
    expect((result.error as AbortError).message).toMatch(/rate limits/);
    record('queued for the rate limit', name, result.ms);
    holder.abort();
    expect(await holding).toBeInstanceOf(AbortError);
    expect(own.server.requests).toHaveLength(1);
    await own.server.whenConnectionClosed(0);
    await expectClean(own);
  });

  it('while sleeping before a retry', async () => {
    const own = await rig();
    own.server.enqueue(errorStatus(name, 503, { 'retry-after-ms': '30000' }));
    const controller = new AbortController();
    let abortedAt = 0;
    own.kernel.hooks.onNotice.tap('abort-on-retry', (notice) => {
      if (notice.type !== 'retry') return;
      abortedAt = performance.now();
      controller.abort();
    });
    const result = await timeSettle(own.backend(name).infer(HELLO, [], { signal: controller.signal }), 0);
    expect(result.error).toBeInstanceOf(AbortError);
    expect((result.error as AbortError).message).toMatch(/waiting to retry/);
    record('waiting to retry', name, result.ms - abortedAt);
    expect(own.server.requests).toHaveLength(1);
    await expectClean(own);
  });

  it('before the headers: rejects at once and the server sees the connection close', async () => {
    const own = await rig();
    own.server.enqueue({ stallBeforeHeaders: 'forever' });
    const controller = new AbortController();
    const pending = own.backend(name).infer(HELLO, [], { signal: controller.signal });
    await own.server.waitForRequests(1);
    const started = performance.now();
    controller.abort();
    const result = await timeSettle(pending, started);
    expect(result.error).toBeInstanceOf(AbortError);
    record('before headers', name, result.ms);
    // Freed without closing the pool: the aborted request's socket is gone. (undici may open a
    // fresh idle connection in its place; that one is reusable, not held by the aborted call.)
    await own.server.whenConnectionClosed(0);
    await expectClean(own);
  });

  it('mid-body of a JSON answer', async () => {
    const own = await rig();
    own.server.enqueue({ ...okJson(name), stall: { afterBytes: 30, ms: 'forever' } });
    const controller = new AbortController();
    const pending = own.backend(name).infer(HELLO, [], { signal: controller.signal });
    await own.server.waitForRequests(1);
    // The headers and 30 bytes are on their way; give them a turn to land, then abort.
    await new Promise((resolve) => setImmediate(resolve));
    const started = performance.now();
    controller.abort();
    const result = await timeSettle(pending, started);
    expect(result.error).toBeInstanceOf(AbortError);
    record('mid-body', name, result.ms);
    await own.server.whenConnectionClosed(0);
    await expectClean(own);
  });

  it('mid-stream: one AbortError event right away, after the deltas already read', async () => {
    const own = await rig();
    const plan = okStream(name);
    own.server.enqueue({ ...plan, stall: { afterBytes: blockOffset(plan.body as string, JSON.stringify(DEFAULT_PIECES[1])), ms: 'forever' } });
    const controller = new AbortController();
    const stream = own.backend(name).inferStream(HELLO, [], { signal: controller.signal });
    const iterator = stream[Symbol.asyncIterator]();
    const seen: StreamEvent[] = [];
    for (;;) {
      const next = await iterator.next();
      expect(next.done).toBe(false);
      seen.push(next.value as StreamEvent);
      if ((next.value as StreamEvent).type === 'text-delta') break;
    }
    const started = performance.now();
    controller.abort();
    const terminal = await nextTerminal(iterator);
    const ms = performance.now() - started;
    expect(terminal.type === 'error' && terminal.error).toBeInstanceOf(AbortError);
    seen.push(terminal);
    expectOneTerminal(seen);
    expect((await iterator.next()).done).toBe(true);
    await expect(stream.output()).rejects.toBeInstanceOf(AbortError);
    record('mid-stream', name, ms);
    await own.server.whenConnectionClosed(0);
    await expectClean(own);
  });
});
