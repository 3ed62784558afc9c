import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Kernel } from '../../core/kernel.js';
import type { KernelNotice } from '../../core/hooks.js';
import { ManagedInferenceStream } from '../../core/inference-stream.js';
import { ErrorCode, HyperAgentError, OverloadedError, RateLimitError, ServerError } from '../../core/errors.js';
import type { InferenceOutput, LLMBackend, ModelInfo, StreamEvent, TokenUsage } from '../../core/types.js';
import rateLimit, { WINDOW_MS, type RateLimitOptions } from '../../plugins/rate-limit/index.js';
import retry, { type RetryOptions } from '../../plugins/retry/index.js';

const usage: TokenUsage = { promptTokens: 10, completionTokens: 5, totalTokens: 15 };

const info: ModelInfo = {
  id: 'fake-1',
  provider: 'fake',
  contextWindow: 10_000,
  maxOutputTokens: 1000,
  pricing: 'unknown',
  capabilities: { functionCalling: true, streaming: true, vision: false, jsonMode: false, thinking: false, embeddings: false, promptCaching: false },
};

/** Answers with the scripted errors first (thrown before any output), then successes; records each request's start. */
function scriptedBackend(failures: readonly HyperAgentError[], latencyMs = 0) {
  const script = [...failures];
  const starts: number[] = [];
  const stats = { starts, inFlight: 0, maxInFlight: 0 };
  const begin = (): HyperAgentError | undefined => {
    starts.push(Date.now());
    stats.inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    return script.shift();
  };
  const delay = () => (latencyMs > 0 ? new Promise((resolve) => setTimeout(resolve, latencyMs)) : Promise.resolve());
  const backend: LLMBackend = {
    provider: 'fake',
    async infer(): Promise<InferenceOutput> {
      const failure = begin();
      try {
        await delay();
        if (failure) throw failure;
        return { content: 'ok', confidence: 1, tokenUsage: usage, finishReason: 'stop', metadata: { provider: 'fake', model: 'fake-1' } };
      } finally {
        stats.inFlight -= 1;
      }
    },
    inferStream() {
      return new ManagedInferenceStream(
        async function* (): AsyncGenerator<StreamEvent> {
          const failure = begin();
          let open = true;
          const end = () => {
            if (open) stats.inFlight -= 1;
            open = false;
          };
          try {
            await delay();
            if (failure) throw failure;
            yield { type: 'text-delta', text: 'hel' };
            yield { type: 'text-delta', text: 'lo' };
            end();
            yield { type: 'done', tokenUsage: usage, finishReason: 'stop' };
          } finally {
            end();
          }
        },
        { provider: 'fake', model: 'fake-1' },
      );
    },
    async embed() {
      throw new Error('not used');
    },
    modelInfo: () => info,
    supportsFunctionCalling: () => true,
    supportsStreaming: () => true,
  };
  return { backend, stats };
}

function setup(failures: readonly HyperAgentError[], retryOptions: RetryOptions, rateLimitOptions: RateLimitOptions, latencyMs = 0) {
  const kernel = new Kernel();
  // Applied in the opposite order to the stages on purpose: the stages, not the order, decide the nesting.
  retry.apply(kernel, retryOptions);
  rateLimit.apply(kernel, rateLimitOptions);
  const { backend, stats } = scriptedBackend(failures, latencyMs);
  kernel.register('b', backend);
  const notices: KernelNotice[] = [];
  kernel.hooks.onNotice.tap('test', (notice) => {
    if (notice.type !== 'first-token') notices.push(notice);
  });
  return { stats, notices, client: kernel.backend('b') };
}

const hi = [{ role: 'user' as const, content: 'hi' }];
const unavailable = () => new ServerError('fake returned HTTP 503', { status: 503 });

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('every attempt counts against the rate limit', () => {
  it('counts a failed attempt and its retry as two requests per minute', async () => {
    const { client, stats, notices } = setup([unavailable()], { initialDelayMs: 100, jitter: false }, { defaults: { rpm: 2 } });
    const first = client.infer(hi);
    await vi.advanceTimersByTimeAsync(100);
    await first;
    const second = client.infer(hi);
    await vi.advanceTimersByTimeAsync(WINDOW_MS);
    await second;
    expect(stats.starts).toEqual([0, 100, WINDOW_MS]);
    expect(notices.at(-2)).toEqual({ type: 'rate-limit-wait', waitedMs: WINDOW_MS - 100, reason: 'rpm' });
  });

  it('makes a retry wait for capacity again after its backoff', async () => {
    const { client, stats, notices } = setup([unavailable()], { initialDelayMs: 100, jitter: false }, { defaults: { rpm: 1 } });
    const call = client.infer(hi);
    await vi.advanceTimersByTimeAsync(WINDOW_MS);
    await expect(call).resolves.toMatchObject({ content: 'ok' });
    expect(stats.starts).toEqual([0, WINDOW_MS]);
    // The fake model has no price: its one price-unknown notice is not what this test is about.
    expect(notices.filter((notice) => notice.type !== 'price-unknown')).toEqual([
      { type: 'attempt-start', attempt: 1 },
      { type: 'retry', attempt: 1, delayMs: 100, error: expect.objectContaining({ status: 503 }) },
      // The kernel counts an attempt innermost: it starts when the request goes out, after the wait.
      { type: 'rate-limit-wait', waitedMs: WINDOW_MS - 100, reason: 'rpm' },
      { type: 'attempt-start', attempt: 2 },
    ]);
  });

  it('frees the concurrency slot of a failed attempt so its retry can run', async () => {
    const { client, stats } = setup([unavailable(), unavailable()], { initialDelayMs: 10, jitter: false }, { defaults: { maxConcurrent: 1 } }, 5);
    const calls = [client.infer(hi), client.infer(hi)];
    await vi.advanceTimersByTimeAsync(200);
    await expect(Promise.all(calls)).resolves.toHaveLength(2);
    expect(stats.maxInFlight).toBe(1);
    expect(stats.starts).toHaveLength(4);
  });
});

describe('retry-after pauses the whole backend once', () => {
  it('waits the retry-after once, not twice, and holds back other calls to that backend', async () => {
    const limited = new RateLimitError('fake returned HTTP 429', { status: 429, retryAfterMs: 3000 });
    const { client, stats } = setup([limited], { initialDelayMs: 10 }, {});
    const first = client.infer(hi);
    await vi.advanceTimersByTimeAsync(1000);
    const other = client.infer(hi);
    await vi.advanceTimersByTimeAsync(2000);
    await Promise.all([first, other]);
    expect(stats.starts).toEqual([0, 3000, 3000]);
  });
});

describe('rate-limit failures are not retried', () => {
  it('fails a request larger than the whole tokens-per-minute budget at once', async () => {
    const { client, stats, notices } = setup([], { initialDelayMs: 10 }, { defaults: { tpm: 100 } });
    await expect(client.infer(hi, [], { maxTokens: 500 })).rejects.toMatchObject({ code: ErrorCode.RATE_LIMITED, retryable: false });
    expect(stats.starts).toEqual([]);
    expect(notices.filter((notice) => notice.type === 'retry')).toEqual([]);
  });
});

describe('streams with retry and rate limit', () => {
  it('retries a stream that failed before its first event, each attempt waiting for capacity, without duplicate text', async () => {
    const overloaded = new OverloadedError('fake overloaded', { status: 529 });
    const { client, stats } = setup([overloaded], { initialDelayMs: 100, jitter: false }, { defaults: { rpm: 1 } });
    const stream = client.inferStream(hi);
    const events: StreamEvent[] = [];
    const reading = (async () => {
      for await (const event of stream) events.push(event);
    })();
    await vi.advanceTimersByTimeAsync(WINDOW_MS);
    await reading;
    expect(events.filter((event) => event.type === 'text-delta')).toEqual([
      { type: 'text-delta', text: 'hel' },
      { type: 'text-delta', text: 'lo' },
    ]);
    expect(events.at(-1)?.type).toBe('done');
    expect(stats.starts).toEqual([0, WINDOW_MS]);
  });
});
