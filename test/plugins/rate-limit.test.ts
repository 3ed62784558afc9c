import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Kernel } from '../../core/kernel.js';
import type { InferRequest, KernelNotice } from '../../core/hooks.js';
import { ManagedInferenceStream } from '../../core/inference-stream.js';
import { ErrorCode, HyperAgentError, RateLimitError, type RateLimitInfo } from '../../core/errors.js';
import type { InferenceOutput, LLMBackend, ModelInfo, RateLimits, StreamEvent, TokenUsage } from '../../core/types.js';
import { estimateInferTokens } from '../../core/estimate.js';
import rateLimit, {
  mergeLimits,
  PLUGIN_NAME,
  WINDOW_MS,
  type RateLimitOptions,
} from '../../plugins/rate-limit/index.js';

interface Reply {
  readonly error?: HyperAgentError;
  readonly usage?: TokenUsage;
  readonly rateLimit?: RateLimitInfo;
}

interface FakeSettings {
  readonly latencyMs?: number;
  readonly rateLimits?: RateLimits;
  readonly replies?: readonly Reply[];
  /** Usage every successful reply reports. */
  readonly usage?: TokenUsage;
}

/** A backend that records when each request starts and how many are in flight. */
function fakeBackend(settings: FakeSettings = {}) {
  const replies = [...(settings.replies ?? [])];
  const latencyMs = settings.latencyMs ?? 10;
  const info: ModelInfo = {
    id: 'fake-1',
    provider: 'fake',
    contextWindow: 100_000,
    maxOutputTokens: 4096,
    pricing: 'unknown',
    capabilities: { functionCalling: true, streaming: true, vision: false, jsonMode: false, thinking: false, embeddings: true, promptCaching: false },
    ...(settings.rateLimits ? { rateLimits: settings.rateLimits } : {}),
  };
  const stats = { starts: [] as number[], inFlight: 0, maxInFlight: 0 };
  const begin = (): Reply => {
    stats.starts.push(Date.now());
    stats.inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    return replies.shift() ?? {};
  };
  const usageOf = (reply: Reply): TokenUsage => reply.usage ?? settings.usage ?? { promptTokens: 10, completionTokens: 5, totalTokens: 15 };
  const delay = (ms: number) => (ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve());
  const backend: LLMBackend = {
    provider: 'fake',
    async infer(): Promise<InferenceOutput> {
      const reply = begin();
      try {
        await delay(latencyMs);
        if (reply.error) throw reply.error;
        return {
          content: 'ok',
          confidence: 1,
          tokenUsage: usageOf(reply),
          finishReason: 'stop',
          metadata: { provider: 'fake', model: 'fake-1', ...(reply.rateLimit ? { rateLimit: reply.rateLimit } : {}) },
        };
      } finally {
        stats.inFlight -= 1;
      }
    },
    inferStream() {
      const metadata: Record<string, unknown> = {};
      return new ManagedInferenceStream(
        async function* (): AsyncGenerator<StreamEvent> {
          const reply = begin();
          let open = true;
          // The kernel does not resume a stream after its terminal event, so count the end there, not only in `finally`.
          const end = () => {
            if (open) stats.inFlight -= 1;
            open = false;
          };
          try {
            await delay(latencyMs);
            if (reply.error) throw reply.error;
            if (reply.rateLimit) metadata.rateLimit = reply.rateLimit;
            yield { type: 'text-delta', text: 'hel' };
            await delay(latencyMs);
            yield { type: 'text-delta', text: 'lo' };
            end();
            yield { type: 'done', tokenUsage: usageOf(reply), finishReason: 'stop' };
          } finally {
            end();
          }
        },
        { provider: 'fake', model: 'fake-1', metadata },
      );
    },
    async embed() {
      const reply = begin();
      try {
        await delay(latencyMs);
        return { embeddings: [[1]], model: 'fake-1', tokenUsage: usageOf(reply), metadata: { provider: 'fake', model: 'fake-1' } };
      } finally {
        stats.inFlight -= 1;
      }
    },
    modelInfo: () => info,
    supportsFunctionCalling: () => true,
    supportsStreaming: () => true,
  };
  return { backend, stats };
}

function setup(options: RateLimitOptions = {}, settings: FakeSettings = {}) {
  const kernel = new Kernel();
  rateLimit.apply(kernel, options);
  const { backend, stats } = fakeBackend(settings);
  kernel.register('b', backend);
  const notices: KernelNotice[] = [];
  kernel.hooks.onNotice.tap('test', (notice) => void notices.push(notice));
  const waits = () => notices.filter((notice) => notice.type === 'rate-limit-wait');
  return { kernel, stats, waits, client: kernel.backend('b') };
}

/** The most starts (or tokens) in any window of WINDOW_MS that opens at a start. */
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

const hi = [{ role: 'user' as const, content: 'hi' }];
/** About 250 prompt tokens. */
const longPrompt = [{ role: 'user' as const, content: 'x'.repeat(972) }];

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('requests per minute under concurrent load', () => {
  it('starts no more than rpm requests in any 60-second window across 20 concurrent calls', async () => {
    const { client, stats, waits } = setup({ defaults: { rpm: 5 }, maxWaitMs: 10 * WINDOW_MS });
    const calls = Array.from({ length: 20 }, () => client.infer(hi));
    await vi.advanceTimersByTimeAsync(4 * WINDOW_MS);
    const outputs = await Promise.all(calls);
    expect(outputs).toHaveLength(20);
    expect(stats.starts).toHaveLength(20);
    expect(busiestWindow(stats.starts)).toBe(5);
    // A request counts until a minute after its attempt settled (10 ms after it started), not after it was admitted.
    expect(Math.max(...stats.starts) - Math.min(...stats.starts)).toBe(3 * (WINDOW_MS + 10));
    expect(waits()).toHaveLength(15);
    expect(waits()[0]).toMatchObject({ reason: 'rpm', waitedMs: WINDOW_MS + 10 });
  });
});

describe('when a request counts as sent', () => {
  it('stamps a stream when its first event came, not when it was admitted nor when it ended', async () => {
    const { client, stats } = setup({ defaults: { rpm: 1 } }, { latencyMs: 50 });
    const first = client.inferStream(hi).output();
    const second = client.infer(hi);
    await vi.advanceTimersByTimeAsync(2 * WINDOW_MS);
    await Promise.all([first, second]);
    // First event at 50 ms (the stream ended at 100): the second may start a minute after the first event.
    expect(stats.starts).toEqual([0, 50 + WINDOW_MS]);
  });

  it('stamps a failed attempt when it failed: the upstream may have counted it', async () => {
    const failure = new RateLimitError('fake returned HTTP 500', { status: 500, retryable: false });
    const { client, stats } = setup({ defaults: { rpm: 1 } }, { replies: [{ error: failure }], latencyMs: 30 });
    const first = client.infer(hi);
    const firstFailed = expect(first).rejects.toBe(failure);
    const second = client.infer(hi);
    await vi.advanceTimersByTimeAsync(2 * WINDOW_MS);
    await firstFailed;
    await second;
    expect(stats.starts).toEqual([0, 30 + WINDOW_MS]);
  });
});

describe('tokens per minute under concurrent load', () => {
  it('keeps the tokens started in any 60-second window within tpm', async () => {
    // Sized from the estimator in use, so the test holds whatever it counts for this prompt.
    const estimate = estimateInferTokens({ messages: longPrompt, tools: [], options: { maxTokens: 50 } }, 1024).totalTokens;
    const used: TokenUsage = { promptTokens: estimate - 50, completionTokens: 50, totalTokens: estimate };
    const tpm = 3 * estimate + 10;
    const { client, stats } = setup({ defaults: { tpm }, maxWaitMs: 20 * WINDOW_MS }, { usage: used });
    const calls = Array.from({ length: 10 }, () => client.infer(longPrompt, [], { maxTokens: 50 }));
    await vi.advanceTimersByTimeAsync(6 * WINDOW_MS);
    await Promise.all(calls);
    expect(busiestWindow(stats.starts, stats.starts.map(() => estimate))).toBeLessThanOrEqual(tpm);
    expect(busiestWindow(stats.starts)).toBe(3);
  });

  it('settles reservations to the real usage, so calls that used little let others start at once', async () => {
    const little: TokenUsage = { promptTokens: 5, completionTokens: 5, totalTokens: 10 };
    const { client, stats, waits } = setup({ defaults: { tpm: 2000 }, defaultOutputTokens: 900 }, { usage: little });
    for (let index = 0; index < 10; index += 1) {
      const call = client.infer(hi);
      await vi.advanceTimersByTimeAsync(10);
      await call;
    }
    expect(stats.starts).toHaveLength(10);
    expect(Math.max(...stats.starts)).toBeLessThan(1000);
    expect(waits()).toEqual([]);
  });

  it('fails at once, without calling the backend, when one request is larger than the whole budget', async () => {
    const { client, stats } = setup({ backends: { b: { tpm: 500 } } });
    const failure = client.infer(hi, [], { maxTokens: 1000 });
    await expect(failure).rejects.toBeInstanceOf(RateLimitError);
    await expect(failure).rejects.toMatchObject({ retryable: false, code: ErrorCode.RATE_LIMITED });
    await expect(failure).rejects.toThrow(/needs about 100[0-9] tokens but the limit is 500 tokens per minute/);
    expect(stats.starts).toEqual([]);
  });
});

describe('requests in flight', () => {
  it('never has more than maxConcurrent calls in flight', async () => {
    const { client, stats, waits } = setup({ defaults: { maxConcurrent: 3 } }, { latencyMs: 100 });
    const calls = Array.from({ length: 12 }, () => client.infer(hi));
    await vi.advanceTimersByTimeAsync(1000);
    await Promise.all(calls);
    expect(stats.maxInFlight).toBe(3);
    expect(stats.starts).toHaveLength(12);
    expect(waits()[0]).toMatchObject({ reason: 'maxConcurrent', waitedMs: 100 });
  });

  it('counts a stream as in flight until its last event, not just its first', async () => {
    const { client, stats } = setup({ defaults: { maxConcurrent: 2 } }, { latencyMs: 50 });
    const outputs = Array.from({ length: 6 }, () => client.inferStream(hi).output());
    await vi.advanceTimersByTimeAsync(1000);
    expect((await Promise.all(outputs)).map((output) => output.content)).toEqual(Array(6).fill('hello'));
    expect(stats.maxInFlight).toBe(2);
    expect(stats.starts).toEqual([0, 0, 100, 100, 200, 200]);
  });

  it('frees the slot of a stream whose consumer stops early', async () => {
    const { client, stats } = setup({ defaults: { maxConcurrent: 1 } }, { latencyMs: 50 });
    const abandoned = (async () => {
      for await (const event of client.inferStream(hi)) if (event.type === 'text-delta') break;
    })();
    const next = client.infer(hi);
    await vi.advanceTimersByTimeAsync(200);
    await abandoned;
    await expect(next).resolves.toMatchObject({ content: 'ok' });
    expect(stats.starts).toEqual([0, 50]);
  });
});

describe('where the limits come from', () => {
  it('merges per field: plugin backends entry, then the backend own rateLimits, then plugin defaults', () => {
    expect(mergeLimits({ rpm: 3 }, { rpm: 100, tpm: 5000 }, { tpm: 1, maxConcurrent: 4 })).toEqual({ rpm: 3, tpm: 5000, maxConcurrent: 4 });
    expect(mergeLimits(undefined, undefined, undefined)).toEqual({});
  });

  it('uses the backend modelInfo().rateLimits when the plugin sets none', async () => {
    const { client, stats } = setup({}, { rateLimits: { rpm: 2 } });
    const calls = [client.infer(hi), client.infer(hi), client.infer(hi)];
    await vi.advanceTimersByTimeAsync(2 * WINDOW_MS);
    await Promise.all(calls);
    expect(stats.starts).toEqual([0, 0, WINDOW_MS + 10]);
  });

  it('lets the plugin backends entry override the backend own limits', async () => {
    const { client, stats } = setup({ backends: { b: { rpm: 3 } }, defaults: { rpm: 1 } }, { rateLimits: { rpm: 2 } });
    const calls = [client.infer(hi), client.infer(hi), client.infer(hi)];
    await vi.advanceTimersByTimeAsync(100);
    await Promise.all(calls);
    expect(stats.starts).toEqual([0, 0, 0]);
  });

  it('is unlimited when nothing sets a limit', async () => {
    const { client, stats, waits } = setup({}, { latencyMs: 10 });
    const calls = Array.from({ length: 50 }, () => client.infer(hi));
    await vi.advanceTimersByTimeAsync(10);
    await Promise.all(calls);
    expect(stats.maxInFlight).toBe(50);
    expect(waits()).toEqual([]);
  });
});

describe('following the provider', () => {
  it('pauses the backend for a rate-limit error retry-after', async () => {
    const limited = new RateLimitError('fake returned HTTP 429', { status: 429, retryAfterMs: 5000 });
    const { client, stats, waits } = setup({}, { replies: [{ error: limited }], latencyMs: 0 });
    await expect(client.infer(hi)).rejects.toBe(limited);
    const next = client.infer(hi);
    await vi.advanceTimersByTimeAsync(5000);
    await next;
    expect(stats.starts).toEqual([0, 5000]);
    expect(waits()).toEqual([{ type: 'rate-limit-wait', waitedMs: 5000, reason: 'retry-after' }]);
  });

  it('caps the pause a provider asks for at maxPauseMs, so one 429 cannot stall the backend for an hour', async () => {
    const limited = new RateLimitError('fake returned HTTP 429', { status: 429, retryAfterMs: 3_600_000 });
    const { client, stats } = setup({ maxPauseMs: 2000 }, { replies: [{ error: limited }], latencyMs: 0 });
    await expect(client.infer(hi)).rejects.toBe(limited);
    const next = client.infer(hi);
    await vi.advanceTimersByTimeAsync(2000);
    await next;
    expect(stats.starts).toEqual([0, 2000]);
  });

  it('waits for the reset when a successful response says no requests are left', async () => {
    const { client, stats, waits } = setup({}, { replies: [{ rateLimit: { remainingRequests: 0, resetRequestsMs: 3000 } }], latencyMs: 0 });
    await client.infer(hi);
    const next = client.infer(hi);
    await vi.advanceTimersByTimeAsync(3000);
    await next;
    expect(stats.starts).toEqual([0, 3000]);
    expect(waits()[0]).toMatchObject({ reason: 'provider-requests', waitedMs: 3000 });
  });

  it('waits for the token reset a stream reported when the next request does not fit', async () => {
    const { client, stats, waits } = setup({}, { replies: [{ rateLimit: { remainingTokens: 100, resetTokensMs: 2000 } }], latencyMs: 0 });
    await client.inferStream(hi).output();
    const next = client.infer(hi, [], { maxTokens: 500 });
    await vi.advanceTimersByTimeAsync(2000);
    await next;
    expect(stats.starts).toEqual([0, 2000]);
    expect(waits()[0]).toMatchObject({ reason: 'provider-tokens' });
  });
});

describe('abort while waiting for capacity', () => {
  it('rejects promptly with an AbortError and does not use the slot it waited for', async () => {
    const { client, stats } = setup({ defaults: { rpm: 1 } }, { latencyMs: 0 });
    await client.infer(hi);
    const controller = new AbortController();
    const waiting = client.infer(hi, [], { signal: controller.signal });
    const rejected = expect(waiting).rejects.toMatchObject({ code: ErrorCode.ABORTED });
    await vi.advanceTimersByTimeAsync(1000);
    controller.abort();
    await rejected;
    expect(vi.getTimerCount()).toBe(0);
    const later = client.infer(hi);
    await vi.advanceTimersByTimeAsync(WINDOW_MS);
    await later;
    expect(stats.starts).toEqual([0, WINDOW_MS]);
  });

  it('ends a waiting stream with an abort error event', async () => {
    const { client } = setup({ defaults: { maxConcurrent: 1 } }, { latencyMs: 100 });
    const first = client.infer(hi);
    const controller = new AbortController();
    const events: StreamEvent[] = [];
    const reading = (async () => {
      for await (const event of client.inferStream(hi, [], { signal: controller.signal })) events.push(event);
    })();
    await vi.advanceTimersByTimeAsync(10);
    controller.abort();
    await reading;
    expect(events).toEqual([expect.objectContaining({ type: 'error', error: expect.objectContaining({ code: ErrorCode.ABORTED }) })]);
    await vi.advanceTimersByTimeAsync(100);
    await first;
  });
});

describe('token estimate', () => {
  const request = (overrides: Partial<InferRequest>): InferRequest => ({ messages: hi, tools: [], options: {}, ...overrides });

  it('reserves the prompt estimate plus maxTokens of output', () => {
    const estimate = estimateInferTokens(request({ messages: [{ role: 'user', content: 'x'.repeat(400) }], options: { maxTokens: 50 } }), 1024);
    expect(estimate.outputTokens).toBe(50);
    expect(estimate.promptTokens).toBeGreaterThanOrEqual(100);
    expect(estimate.totalTokens).toBe(estimate.promptTokens + 50);
  });

  it('reserves the default output estimate, capped at the model limit, when maxTokens is unset', () => {
    expect(estimateInferTokens(request({}), 1024).outputTokens).toBe(1024);
    expect(estimateInferTokens(request({}), 1024, 256).outputTokens).toBe(256);
  });

  it('counts tools, tool calls and images', () => {
    const plain = estimateInferTokens(request({}), 0).promptTokens;
    const tool = { name: 'lookup', description: 'Look a word up in the dictionary.', parameters: { type: 'object', properties: { word: { type: 'string' } } } };
    expect(estimateInferTokens(request({ tools: [tool] }), 0).promptTokens).toBeGreaterThan(plain + 20);
    const image = estimateInferTokens(request({ messages: [{ role: 'user', content: [{ type: 'image', url: 'https://example.com/a.png' }] }] }), 0);
    expect(image.promptTokens).toBeGreaterThanOrEqual(1000);
  });
});

describe('options', () => {
  it('is a plugin named rate-limit with a closed options schema', () => {
    expect(rateLimit.name).toBe(PLUGIN_NAME);
    expect(rateLimit.optionsSchema).toMatchObject({ type: 'object', additionalProperties: false });
  });

  const bad: [Record<string, unknown>, RegExp][] = [
    [{ rpm: 5 }, /unknown option "rpm"/],
    [{ defaults: { rpm: 0 } }, /option "defaults.rpm" must be >= 1 \(got 0\)/],
    [{ backends: { gpt: { tpm: 'lots' } } }, /option "backends.gpt.tpm" must be integer \(got "lots"\)/],
    [{ backends: { gpt: { rps: 1 } } }, /unknown option "backends.gpt.rps"/],
    [{ defaultOutputTokens: -1 }, /option "defaultOutputTokens"/],
    [{ maxWaitMs: 'soon' }, /option "maxWaitMs" must be number/],
  ];
  for (const [options, message] of bad) {
    it(`rejects ${JSON.stringify(options)} with a TypeError naming it`, () => {
      const apply = () => rateLimit.apply(new Kernel(), options as RateLimitOptions);
      expect(apply).toThrow(TypeError);
      expect(apply).toThrow(message);
    });
  }
});
