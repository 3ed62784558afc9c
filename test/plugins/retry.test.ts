import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Kernel } from '../../core/kernel.js';
import type { KernelNotice } from '../../core/hooks.js';
import { ManagedInferenceStream } from '../../core/inference-stream.js';
import {
  AbortError,
  AuthenticationError,
  ErrorCode,
  HyperAgentError,
  InvalidRequestError,
  ModelNotFoundError,
  PermissionError,
  RateLimitError,
  ServerError,
} from '../../core/errors.js';
import type { InferenceOutput, LLMBackend, ModelInfo, StreamEvent, TokenUsage } from '../../core/types.js';
import retry, { backoffDelay, PLUGIN_NAME, type RetryOptions } from '../../plugins/retry/index.js';

const usage: TokenUsage = { promptTokens: 10, completionTokens: 5, totalTokens: 15 };

const info: ModelInfo = {
  id: 'fake-1',
  provider: 'fake',
  contextWindow: 10_000,
  maxOutputTokens: 1000,
  pricing: 'unknown',
  capabilities: { functionCalling: true, streaming: true, vision: false, jsonMode: false, thinking: false, embeddings: true, promptCaching: false },
};

/** One scripted answer: an error thrown before any output, or text (streamed word by word) that may fail midway. */
type Step = HyperAgentError | { readonly deltas?: readonly string[]; readonly failAfterFirst?: HyperAgentError };

function scriptedBackend(steps: readonly Step[]): LLMBackend & { calls: number } {
  const script = [...steps];
  const next = (): Step => script.shift() ?? {};
  const backend = {
    provider: 'fake',
    calls: 0,
    async infer(): Promise<InferenceOutput> {
      backend.calls += 1;
      const step = next();
      if (step instanceof HyperAgentError) throw step;
      return { content: (step.deltas ?? ['ok']).join(''), confidence: 1, tokenUsage: usage, finishReason: 'stop', metadata: { provider: 'fake', model: 'fake-1' } };
    },
    inferStream() {
      return new ManagedInferenceStream(
        async function* (): AsyncGenerator<StreamEvent> {
          backend.calls += 1;
          const step = next();
          if (step instanceof HyperAgentError) throw step;
          const [first, ...rest] = step.deltas ?? ['hel', 'lo'];
          yield { type: 'text-delta', text: first };
          if (step.failAfterFirst) throw step.failAfterFirst;
          for (const text of rest) yield { type: 'text-delta', text };
          yield { type: 'done', tokenUsage: usage, finishReason: 'stop' };
        },
        { provider: 'fake', model: 'fake-1' },
      );
    },
    async embed() {
      backend.calls += 1;
      const step = next();
      if (step instanceof HyperAgentError) throw step;
      return { embeddings: [[1, 0]], model: 'fake-1', tokenUsage: usage, metadata: { provider: 'fake', model: 'fake-1' } };
    },
    modelInfo: () => info,
    supportsFunctionCalling: () => true,
    supportsStreaming: () => true,
  };
  return backend;
}

function setup(steps: readonly Step[], options: RetryOptions = {}) {
  const kernel = new Kernel();
  retry.apply(kernel, options);
  const backend = scriptedBackend(steps);
  kernel.register('b', backend);
  const notices: KernelNotice[] = [];
  const finalAttempts: number[] = [];
  kernel.hooks.onNotice.tap('test', (notice) => void notices.push(notice));
  kernel.hooks.onError.tap('test', (_error, context) => void finalAttempts.push(context.attempt));
  const retries = () => notices.filter((notice) => notice.type === 'retry');
  return { kernel, backend, notices, retries, finalAttempts, client: kernel.backend('b') };
}

const hi = [{ role: 'user' as const, content: 'hi' }];
const rateLimited = (retryAfterMs?: number) => new RateLimitError('fake returned HTTP 429: slow down', { status: 429, retryAfterMs });
const unavailable = () => new ServerError('fake returned HTTP 503: unavailable', { status: 503 });

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('retry on 429 honours retry-after', () => {
  it('waits exactly the retry-after, not the backoff, then succeeds on the second attempt', async () => {
    const { backend, client, retries, notices } = setup([rateLimited(2000)], { initialDelayMs: 10, jitter: false });
    const result = client.infer(hi);
    await vi.advanceTimersByTimeAsync(1999);
    expect(backend.calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(backend.calls).toBe(2);
    expect((await result).content).toBe('ok');
    expect(retries()).toEqual([{ type: 'retry', attempt: 1, delayMs: 2000, error: expect.objectContaining({ code: ErrorCode.RATE_LIMITED }) }]);
    expect(notices.filter((notice) => notice.type === 'attempt-start').map((notice) => (notice as { attempt: number }).attempt)).toEqual([1, 2]);
  });

  it('fails at once with the provider error when retry-after is longer than maxRetryAfterMs', async () => {
    const { backend, client, retries } = setup([rateLimited(120_000)], { maxRetryAfterMs: 60_000 });
    await expect(client.infer(hi)).rejects.toMatchObject({ code: ErrorCode.RATE_LIMITED, retryAfterMs: 120_000 });
    expect(backend.calls).toBe(1);
    expect(retries()).toEqual([]);
  });

  it('does not retry a 429 the provider marked not retryable (quota)', async () => {
    const quota = new RateLimitError('fake returned HTTP 429 (insufficient_quota)', { status: 429, retryable: false });
    const { backend, client } = setup([quota]);
    await expect(client.infer(hi)).rejects.toBe(quota);
    expect(backend.calls).toBe(1);
  });
});

describe('retry on 503 with exponential backoff', () => {
  it('waits initialDelayMs, then factor times more, capped at maxDelayMs', async () => {
    const { backend, client, retries } = setup([unavailable(), unavailable(), unavailable()], {
      maxRetries: 3,
      initialDelayMs: 500,
      factor: 3,
      maxDelayMs: 1000,
      jitter: false,
    });
    const result = client.infer(hi);
    await vi.advanceTimersByTimeAsync(499);
    expect(backend.calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(backend.calls).toBe(2);
    await vi.advanceTimersByTimeAsync(999);
    expect(backend.calls).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(backend.calls).toBe(3);
    await vi.advanceTimersByTimeAsync(1000);
    expect(backend.calls).toBe(4);
    expect((await result).content).toBe('ok');
    expect(retries().map((notice) => (notice as { delayMs: number }).delayMs)).toEqual([500, 1000, 1000]);
    expect(retries().map((notice) => (notice as { attempt: number }).attempt)).toEqual([1, 2, 3]);
  });

  it('retries embeddings too', async () => {
    const { backend, client } = setup([unavailable()], { initialDelayMs: 5 });
    const result = client.embed('text');
    await vi.advanceTimersByTimeAsync(5);
    expect((await result).embeddings).toEqual([[1, 0]]);
    expect(backend.calls).toBe(2);
  });
});

describe('exhausting maxRetries', () => {
  it('surfaces the last error after maxRetries + 1 attempts', async () => {
    const last = unavailable();
    const { backend, client, retries, finalAttempts } = setup([unavailable(), unavailable(), last, unavailable()], { maxRetries: 2, initialDelayMs: 10 });
    const result = client.infer(hi);
    const settled = expect(result).rejects.toBe(last);
    await vi.advanceTimersByTimeAsync(1000);
    await settled;
    expect(backend.calls).toBe(3);
    expect(finalAttempts).toEqual([3]);
    expect(retries()).toHaveLength(2);
  });

  it('makes a single attempt with maxRetries 0', async () => {
    const { backend, client } = setup([unavailable()], { maxRetries: 0 });
    await expect(client.infer(hi)).rejects.toMatchObject({ status: 503 });
    expect(backend.calls).toBe(1);
  });
});

describe('errors that are never retried', () => {
  const cases: [string, () => HyperAgentError][] = [
    ['400', () => new InvalidRequestError('fake returned HTTP 400: bad', { status: 400 })],
    ['400 even when x-should-retry said true', () => new InvalidRequestError('fake returned HTTP 400: bad', { status: 400, retryable: true })],
    ['401', () => new AuthenticationError('fake returned HTTP 401', { status: 401 })],
    ['403', () => new PermissionError('fake returned HTTP 403', { status: 403 })],
    ['404', () => new ModelNotFoundError('fake returned HTTP 404', { status: 404 })],
    ['an abort', () => new AbortError()],
    ['an unknown internal error', () => new HyperAgentError(ErrorCode.INTERNAL, 'boom')],
  ];
  for (const [name, make] of cases) {
    it(`does not retry ${name}`, async () => {
      const error = make();
      const { backend, client, retries } = setup([error, {}]);
      await expect(client.infer(hi)).rejects.toBe(error);
      expect(backend.calls).toBe(1);
      expect(retries()).toEqual([]);
    });
  }
});

describe('retryOn narrows what is retried', () => {
  it('retries only the listed codes, and still only retryable errors', async () => {
    const only429 = setup([unavailable()], { retryOn: [ErrorCode.RATE_LIMITED] });
    await expect(only429.client.infer(hi)).rejects.toMatchObject({ status: 503 });
    expect(only429.backend.calls).toBe(1);

    const retried = setup([rateLimited()], { retryOn: [ErrorCode.RATE_LIMITED], initialDelayMs: 1 });
    const result = retried.client.infer(hi);
    await vi.advanceTimersByTimeAsync(1);
    expect((await result).content).toBe('ok');
    expect(retried.backend.calls).toBe(2);
  });
});

describe('jitter stays within its bounds', () => {
  const base = { initialDelayMs: 1000, maxDelayMs: 8000, factor: 2 } as const;

  it('full jitter is uniform in [0, backoff)', () => {
    for (let retryNumber = 1; retryNumber <= 5; retryNumber += 1) {
      const ceiling = Math.min(8000, 1000 * 2 ** (retryNumber - 1));
      for (let sample = 0; sample < 500; sample += 1) {
        const delay = backoffDelay(retryNumber, { ...base, jitter: 'full' });
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(ceiling);
      }
      expect(backoffDelay(retryNumber, { ...base, jitter: 'full' }, () => 0)).toBe(0);
      expect(backoffDelay(retryNumber, { ...base, jitter: 'full' }, () => 0.999_999)).toBe(ceiling - 1);
    }
  });

  it('equal jitter is in [backoff/2, backoff)', () => {
    for (let sample = 0; sample < 500; sample += 1) {
      const delay = backoffDelay(3, { ...base, jitter: 'equal' });
      expect(delay).toBeGreaterThanOrEqual(2000);
      expect(delay).toBeLessThan(4000);
    }
  });

  it('no jitter is the backoff exactly', () => {
    expect([1, 2, 3, 4, 5].map((retryNumber) => backoffDelay(retryNumber, { ...base, jitter: 'none' }))).toEqual([1000, 2000, 4000, 8000, 8000]);
  });

  it('the plugin jitters by default: the notice reports the jittered wait', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.25);
    const { client, retries } = setup([unavailable()], { initialDelayMs: 800 });
    const result = client.infer(hi);
    await vi.advanceTimersByTimeAsync(200);
    await result;
    expect(retries().map((notice) => (notice as { delayMs: number }).delayMs)).toEqual([200]);
  });
});

describe('abort during the backoff wait', () => {
  it('rejects promptly with an AbortError and leaves no timer behind', async () => {
    const { backend, client } = setup([unavailable(), {}], { initialDelayMs: 10_000, jitter: false });
    const controller = new AbortController();
    const result = client.infer(hi, [], { signal: controller.signal });
    const settled = expect(result).rejects.toMatchObject({ code: ErrorCode.ABORTED });
    await vi.advanceTimersByTimeAsync(100);
    expect(vi.getTimerCount()).toBe(1);
    controller.abort();
    await settled;
    expect(vi.getTimerCount()).toBe(0);
    expect(backend.calls).toBe(1);
  });

  it('does not retry when the signal is already aborted as the attempt fails', async () => {
    const controller = new AbortController();
    controller.abort();
    const { backend, client } = setup([unavailable()], { initialDelayMs: 10 });
    await expect(client.infer(hi, [], { signal: controller.signal })).rejects.toMatchObject({ code: ErrorCode.ABORTED });
    expect(backend.calls).toBe(1);
  });
});

async function collect(stream: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

describe('streams', () => {
  it('retries a stream that failed before its first event, without duplicating text', async () => {
    const { backend, client } = setup([unavailable(), { deltas: ['hel', 'lo'] }], { initialDelayMs: 50 });
    const stream = client.inferStream(hi);
    const events = collect(stream);
    await vi.advanceTimersByTimeAsync(50);
    const texts = (await events).filter((event) => event.type === 'text-delta').map((event) => (event as { text: string }).text);
    expect(texts).toEqual(['hel', 'lo']);
    expect((await events).at(-1)?.type).toBe('done');
    expect((await stream.output()).content).toBe('hello');
    expect(backend.calls).toBe(2);
  });

  it('does not retry once an event was delivered: the stream ends with the error', async () => {
    const { backend, client, retries } = setup([{ deltas: ['hel', 'lo'], failAfterFirst: unavailable() }, { deltas: ['again'] }], { initialDelayMs: 1 });
    const stream = client.inferStream(hi);
    const events = collect(stream);
    await vi.advanceTimersByTimeAsync(100);
    const received = await events;
    expect(received.map((event) => event.type)).toEqual(['text-delta', 'error']);
    expect(received[0]).toEqual({ type: 'text-delta', text: 'hel' });
    expect(received[1]).toMatchObject({ error: { status: 503 } });
    await expect(stream.output()).rejects.toMatchObject({ status: 503 });
    expect(backend.calls).toBe(1);
    expect(retries()).toEqual([]);
  });
});

describe('options', () => {
  it('is a plugin named retry with a closed options schema', () => {
    expect(retry.name).toBe(PLUGIN_NAME);
    expect(retry.optionsSchema).toMatchObject({ type: 'object', additionalProperties: false });
  });

  const bad: [RetryOptions | Record<string, unknown>, RegExp][] = [
    [{ maxRetries: -1 }, /option "maxRetries" must be >= 0 \(got -1\)/],
    [{ maxRetries: 1.5 }, /option "maxRetries" must be integer/],
    [{ maxRetry: 3 }, /unknown option "maxRetry"/],
    [{ jitter: 'half' }, /option "jitter" must be equal to one of the allowed values: true, false, "full", "equal" \(got "half"\)/],
    [{ retryOn: ['HA_NOPE'] }, /option "retryOn.0"/],
    [{ factor: 0.5 }, /option "factor" must be >= 1/],
    [{ initialDelayMs: 5000, maxDelayMs: 1000 }, /option "initialDelayMs" \(5000\) must not exceed option "maxDelayMs" \(1000\)/],
  ];
  for (const [options, message] of bad) {
    it(`rejects ${JSON.stringify(options)} with a TypeError naming it`, () => {
      const apply = () => retry.apply(new Kernel(), options as RetryOptions);
      expect(apply).toThrow(TypeError);
      expect(apply).toThrow(message);
    });
  }

  it('accepts no options at all', () => {
    expect(() => retry.apply(new Kernel(), undefined as unknown as RetryOptions)).not.toThrow();
  });
});
