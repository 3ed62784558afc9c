import { describe, expect, it } from 'vitest';
import { Kernel } from '../core/kernel.js';
import { Stage, type Attempt, type CallContext, type CostEvent } from '../core/hooks.js';
import { ManagedInferenceStream } from '../core/inference-stream.js';
import { ApprovalDeniedError, ConfigError, ServerError, HyperAgentError } from '../core/errors.js';
import type { InferenceOutput, LLMBackend, ModelInfo, StreamEvent, TokenUsage } from '../core/types.js';

const HI = [{ role: 'user' as const, content: 'hi' }];

const usage: TokenUsage = { promptTokens: 1000, completionTokens: 500, totalTokens: 1500, cachedTokens: 400 };

const info: ModelInfo = {
  id: 'fake-1',
  provider: 'fake',
  contextWindow: 1000,
  maxOutputTokens: 100,
  pricing: { input: 2, output: 8, cachedInput: 0.5 },
  capabilities: { functionCalling: true, streaming: true, vision: false, jsonMode: false, thinking: false, embeddings: true, promptCaching: true },
};

interface FakeOptions {
  failures?: HyperAgentError[];
  events?: StreamEvent[];
}

function fakeBackend(options: FakeOptions = {}): LLMBackend & { calls: number } {
  const failures = [...(options.failures ?? [])];
  const backend = {
    provider: 'fake',
    calls: 0,
    async infer(): Promise<InferenceOutput> {
      backend.calls += 1;
      const failure = failures.shift();
      if (failure) throw failure;
      return { content: 'hello', confidence: 1, tokenUsage: usage, finishReason: 'stop', metadata: { provider: 'fake', model: 'fake-1' } };
    },
    inferStream() {
      backend.calls += 1;
      const failure = failures.shift();
      const events = options.events ?? [
        { type: 'text-delta', text: 'hel' },
        { type: 'text-delta', text: 'lo' },
        { type: 'done', tokenUsage: usage, finishReason: 'stop' },
      ];
      return new ManagedInferenceStream(
        async function* () {
          if (failure) throw failure;
          yield* events;
        },
        { provider: 'fake', model: 'fake-1' },
      );
    },
    async embed() {
      backend.calls += 1;
      return { embeddings: [[1, 0]], model: 'fake-1', tokenUsage: { promptTokens: 10, completionTokens: 0, totalTokens: 10 }, metadata: { provider: 'fake', model: 'fake-1' } };
    },
    modelInfo: () => info,
    supportsFunctionCalling: () => true,
    supportsStreaming: () => true,
  };
  return backend;
}

describe('registry', () => {
  it('hands out kernel-wrapped backends by name, the first registered being the default', async () => {
    const kernel = new Kernel().register('a', fakeBackend()).register('b', fakeBackend());
    expect(kernel.backendNames).toEqual(['a', 'b']);
    expect(kernel.backend()).toBe(kernel.backend('a'));
    expect((await kernel.backend('b').infer([{ role: 'user', content: 'hi' }])).metadata.backend).toBe('b');
  });

  it('creates a backend from its factory on first use only', () => {
    let made = 0;
    const kernel = new Kernel().register('lazy', () => {
      made += 1;
      return fakeBackend();
    });
    expect(made).toBe(0);
    kernel.backend('lazy');
    kernel.backend('lazy');
    expect(made).toBe(1);
  });

  it('names the configured backends when asked for an unknown one', () => {
    const kernel = new Kernel().register('claude', fakeBackend());
    expect(() => kernel.backend('gpt')).toThrow(ConfigError);
    expect(() => kernel.backend('gpt')).toThrow(/Unknown backend "gpt". Configured backends: claude/);
  });
});

describe('hook order', () => {
  it('runs beforeInfer → wrapAttempt → attempt → onCost → afterInfer, ordered by stage not tap order', async () => {
    const kernel = new Kernel().register('b', fakeBackend());
    const order: string[] = [];
    kernel.hooks.beforeInfer.tap({ name: 'late', stage: Stage.OBSERVE }, (request) => (order.push('before:observe'), request));
    kernel.hooks.beforeInfer.tap({ name: 'early', stage: Stage.APPROVAL }, (request) => (order.push('before:approval'), request));
    kernel.hooks.wrapAttempt.tap({ name: 'retry', stage: Stage.RETRY }, (attempt) => async (context) => {
      order.push('retry:enter');
      const result = await attempt(context);
      order.push('retry:exit');
      return result;
    });
    kernel.hooks.wrapAttempt.tap({ name: 'rate', stage: Stage.RATE_LIMIT }, (attempt) => async (context) => {
      order.push('rate:enter');
      return attempt(context);
    });
    kernel.hooks.onNotice.tap('n', (notice) => void (notice.type === 'attempt-start' && order.push('attempt')));
    kernel.hooks.onCost.tap('c', () => void order.push('cost'));
    kernel.hooks.afterInfer.tap('a', (output) => (order.push('after'), output));
    await kernel.backend('b').infer([{ role: 'user', content: 'hi' }]);
    expect(order).toEqual(['before:approval', 'before:observe', 'retry:enter', 'rate:enter', 'attempt', 'retry:exit', 'cost', 'after']);
  });

  it('lets beforeInfer transform the request the backend receives', async () => {
    const backend = fakeBackend();
    const seen: unknown[] = [];
    backend.infer = async (messages) => {
      seen.push(messages);
      return { content: '', confidence: 1, tokenUsage: usage, finishReason: 'stop', metadata: { provider: 'fake', model: 'fake-1' } };
    };
    const kernel = new Kernel().register('b', backend);
    kernel.hooks.beforeInfer.tap('sys', (request) => ({ ...request, messages: [{ role: 'system', content: 'be brief' }, ...request.messages] }));
    await kernel.backend('b').infer([{ role: 'user', content: 'hi' }]);
    expect(seen[0]).toEqual([
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'hi' },
    ]);
  });

  it('lets afterInfer transform the output', async () => {
    const kernel = new Kernel().register('b', fakeBackend());
    kernel.hooks.afterInfer.tap('upper', (output) => ({ ...output, content: output.content.toUpperCase() }));
    expect((await kernel.backend('b').infer([{ role: 'user', content: 'hi' }])).content).toBe('HELLO');
  });
});

describe('failure semantics', () => {
  it('a throwing beforeInfer vetoes the call: no attempt, onError sees the error', async () => {
    const backend = fakeBackend();
    const kernel = new Kernel().register('b', backend);
    const errors: HyperAgentError[] = [];
    kernel.hooks.beforeInfer.tap('deny', () => {
      throw new ApprovalDeniedError('denied by test', 'test');
    });
    kernel.hooks.onError.tap('e', (error) => void errors.push(error));
    await expect(kernel.backend('b').infer([{ role: 'user', content: 'hi' }])).rejects.toBeInstanceOf(ApprovalDeniedError);
    expect(backend.calls).toBe(0);
    expect(errors.map((error) => error.code)).toEqual(['HA_APPROVAL_DENIED']);
  });

  it('a wrapper may call the attempt again; the attempt number is visible in the context', async () => {
    const backend = fakeBackend({ failures: [new ServerError('boom')] });
    const kernel = new Kernel().register('b', backend);
    const attempts: number[] = [];
    kernel.hooks.onNotice.tap('n', (notice) => void (notice.type === 'attempt-start' && attempts.push(notice.attempt)));
    kernel.hooks.wrapAttempt.tap({ name: 'once-more', stage: Stage.RETRY }, (attempt: Attempt) => async (context: CallContext) => {
      try {
        return await attempt(context);
      } catch {
        return attempt(context);
      }
    });
    const output = await kernel.backend('b').infer([{ role: 'user', content: 'hi' }]);
    expect(output.content).toBe('hello');
    expect(attempts).toEqual([1, 2]);
  });

  it('errors of unknown kind reach the caller typed', async () => {
    const backend = fakeBackend();
    backend.infer = async () => {
      throw new Error('plain');
    };
    const kernel = new Kernel().register('b', backend);
    await expect(kernel.backend('b').infer(HI)).rejects.toMatchObject({ code: 'HA_INTERNAL', message: 'plain' });
  });
});

describe('cost', () => {
  it('prices each call, cached tokens at the cached rate, and reports it through onCost and metadata', async () => {
    const kernel = new Kernel().register('b', fakeBackend());
    const costs: CostEvent[] = [];
    kernel.hooks.onCost.tap('c', (event) => void costs.push(event));
    const output = await kernel.backend('b').infer([{ role: 'user', content: 'hi' }]);
    // 600 uncached × $2 + 400 cached × $0.5 + 500 out × $8, per 1M
    const expected = (600 * 2 + 400 * 0.5 + 500 * 8) / 1e6;
    expect(output.metadata.costUsd).toBeCloseTo(expected, 12);
    expect(costs).toHaveLength(1);
    expect(costs[0]).toMatchObject({ backendName: 'b', model: 'fake-1', partial: false, operation: 'infer' });
    expect(costs[0].costUsd).toBeCloseTo(expected, 12);
  });

  it('charges embeddings', async () => {
    const kernel = new Kernel().register('b', fakeBackend());
    const costs: CostEvent[] = [];
    kernel.hooks.onCost.tap('c', (event) => void costs.push(event));
    await kernel.backend('b').embed('text');
    expect(costs[0]).toMatchObject({ operation: 'embed', usage: { promptTokens: 10 } });
  });
});

describe('streams through the kernel', () => {
  it('passes every event through onStreamEvent and ends with exactly one done', async () => {
    const kernel = new Kernel().register('b', fakeBackend());
    const observed: string[] = [];
    kernel.hooks.onStreamEvent.tap('o', (event) => void observed.push(event.type));
    const received: string[] = [];
    for await (const event of kernel.backend('b').inferStream([{ role: 'user', content: 'hi' }])) received.push(event.type);
    expect(received).toEqual(['text-delta', 'text-delta', 'done']);
    expect(observed).toEqual(received);
  });

  it('output() gives the assembled output with the afterInfer transform and cost', async () => {
    const kernel = new Kernel().register('b', fakeBackend());
    kernel.hooks.afterInfer.tap('mark', (output) => ({ ...output, metadata: { ...output.metadata, marked: true } }));
    const output = await kernel.backend('b').inferStream([{ role: 'user', content: 'hi' }]).output();
    expect(output.content).toBe('hello');
    expect(output.metadata).toMatchObject({ marked: true, backend: 'b' });
    expect(output.metadata.costUsd).toBeGreaterThan(0);
  });

  it('retries a stream that fails before its first event', async () => {
    const backend = fakeBackend({ failures: [new ServerError('boom')] });
    const kernel = new Kernel().register('b', backend);
    kernel.hooks.wrapAttempt.tap({ name: 'retry', stage: Stage.RETRY }, (attempt) => async (context) => {
      try {
        return await attempt(context);
      } catch {
        return attempt(context);
      }
    });
    expect((await kernel.backend('b').inferStream(HI).output()).content).toBe('hello');
    expect(backend.calls).toBe(2);
  });

  it('a failure after the first event ends the stream with one error, charges partial usage, and is not retried', async () => {
    const partial: TokenUsage = { promptTokens: 10, completionTokens: 3, totalTokens: 13 };
    const backend = fakeBackend({
      events: [
        { type: 'text-delta', text: 'par' },
        { type: 'error', error: new ServerError('dropped'), tokenUsage: partial },
      ],
    });
    const kernel = new Kernel().register('b', backend);
    let wrapped = 0;
    kernel.hooks.wrapAttempt.tap('count', (attempt) => (context) => (wrapped++, attempt(context)));
    const costs: CostEvent[] = [];
    kernel.hooks.onCost.tap('c', (event) => void costs.push(event));
    const events: StreamEvent[] = [];
    for await (const event of kernel.backend('b').inferStream(HI)) events.push(event);
    expect(events.map((event) => event.type)).toEqual(['text-delta', 'error']);
    expect(wrapped).toBe(1);
    expect(costs).toHaveLength(1);
    expect(costs[0]).toMatchObject({ partial: true, usage: partial });
  });

  it('a vetoed stream ends with one error event and onError', async () => {
    const kernel = new Kernel().register('b', fakeBackend());
    kernel.hooks.beforeInfer.tap('deny', () => {
      throw new ApprovalDeniedError('no', 'no');
    });
    const errors: string[] = [];
    kernel.hooks.onError.tap('e', (error) => void errors.push(error.code));
    const events: StreamEvent[] = [];
    for await (const event of kernel.backend('b').inferStream(HI)) events.push(event);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'error', error: { code: 'HA_APPROVAL_DENIED' } });
    expect(errors).toEqual(['HA_APPROVAL_DENIED']);
  });

  it('breaking out early closes the upstream stream', async () => {
    let closed = false;
    const backend = fakeBackend();
    backend.inferStream = () =>
      new ManagedInferenceStream(
        async function* () {
          try {
            for (let index = 0; index < 100; index += 1) yield { type: 'text-delta', text: `${index}` } as StreamEvent;
            yield { type: 'done', tokenUsage: usage, finishReason: 'stop' } as StreamEvent;
          } finally {
            closed = true;
          }
        },
        { provider: 'fake', model: 'fake-1' },
      );
    const kernel = new Kernel().register('b', backend);
    const stream = kernel.backend('b').inferStream(HI);
    for await (const event of stream) if (event.type === 'text-delta' && event.text === '3') break;
    expect(closed).toBe(true);
    await expect(stream.output()).rejects.toMatchObject({ code: 'HA_ABORTED' });
  });

  it('a producer that stops without a terminal event ends with a typed error', async () => {
    const backend = fakeBackend({ events: [{ type: 'text-delta', text: 'cut' }] });
    const kernel = new Kernel().register('b', backend);
    const events: StreamEvent[] = [];
    for await (const event of kernel.backend('b').inferStream(HI)) events.push(event);
    expect(events.map((event) => event.type)).toEqual(['text-delta', 'error']);
    await expect(kernel.backend('b').inferStream(HI).output()).rejects.toMatchObject({ code: 'HA_INVALID_RESPONSE', retryable: true });
  });

  it('a stream has one consumer', () => {
    const kernel = new Kernel().register('b', fakeBackend());
    const stream = kernel.backend('b').inferStream(HI);
    stream[Symbol.asyncIterator]();
    expect(() => stream[Symbol.asyncIterator]()).toThrow(/one consumer/);
  });
});

describe('afterInfer failures on streams', () => {
  it('a throwing afterInfer ends the stream with one error event, and output() rejects with it', async () => {
    const kernel = new Kernel().register('b', fakeBackend());
    kernel.hooks.afterInfer.tap('veto', () => {
      throw new ApprovalDeniedError('vetoed after the fact', 'test');
    });
    const errors: string[] = [];
    kernel.hooks.onError.tap('e', (error) => void errors.push(error.code));
    const stream = kernel.backend('b').inferStream(HI);
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types).toEqual(['text-delta', 'text-delta', 'error']);
    expect(errors).toEqual(['HA_APPROVAL_DENIED']);
    await expect(stream.output()).rejects.toMatchObject({ code: 'HA_APPROVAL_DENIED' });
  });
});

describe('onCallEnd', () => {
  function recordEnds(kernel: Kernel) {
    const ends: string[] = [];
    kernel.hooks.onCallEnd.tap('end', (end, context) => void ends.push(`${context.operation}:${end.outcome}${end.error ? `:${end.error.code}` : ''}`));
    return ends;
  }

  it('fires once per call: success, error, and a stream cut short by its consumer', async () => {
    const kernel = new Kernel().register('ok', fakeBackend()).register('bad', fakeBackend({ failures: [new ServerError('x'), new ServerError('y')] }));
    const ends = recordEnds(kernel);
    await kernel.backend('ok').infer(HI);
    await kernel.backend('ok').embed('x');
    await expect(kernel.backend('bad').infer(HI)).rejects.toThrow();
    await kernel.backend('ok').inferStream(HI).output();
    await kernel.backend('bad').inferStream(HI).output().catch(() => undefined);
    for await (const _event of kernel.backend('ok').inferStream(HI)) break;
    expect(ends).toEqual(['infer:success', 'embed:success', 'infer:error:HA_SERVER', 'stream:success', 'stream:error:HA_SERVER', 'stream:cancelled']);
  });

  it('closes the provider stream after its last event so its cleanup runs', async () => {
    let cleaned = false;
    const backend = fakeBackend();
    backend.inferStream = () =>
      new ManagedInferenceStream(
        async function* () {
          try {
            yield { type: 'text-delta', text: 'a' } as StreamEvent;
            yield { type: 'done', tokenUsage: usage, finishReason: 'stop' } as StreamEvent;
          } finally {
            cleaned = true;
          }
        },
        { provider: 'fake', model: 'fake-1' },
      );
    const kernel = new Kernel().register('b', backend);
    await kernel.backend('b').inferStream(HI).output();
    expect(cleaned).toBe(true);
  });
});

describe('stream output details', () => {
  it('carries the confidence of the done event and redacted reasoning through the kernel', async () => {
    const backend = fakeBackend({
      events: [
        { type: 'reasoning-redacted', data: 'opaque' },
        { type: 'text-delta', text: 'x' },
        { type: 'done', tokenUsage: usage, finishReason: 'stop', confidence: 0.5 },
      ],
    });
    const output = await new Kernel().register('b', backend).backend('b').inferStream(HI).output();
    expect(output.confidence).toBe(0.5);
    expect(output.reasoningParts).toEqual([{ text: '', redactedData: 'opaque' }]);
  });
});

describe('requests are checked before anything is sent', () => {
  it('refuses an empty conversation or a tool result that answers no call, with no attempt and one error', async () => {
    const backend = fakeBackend();
    const kernel = new Kernel().register('b', backend);
    const ends: string[] = [];
    kernel.hooks.onCallEnd.tap('end', (end) => void ends.push(end.outcome));
    await expect(kernel.backend('b').infer([])).rejects.toMatchObject({ code: 'HA_INVALID_REQUEST', message: expect.stringMatching(/messages: is empty/) });
    const events: StreamEvent[] = [];
    for await (const event of kernel.backend('b').inferStream([{ role: 'tool', toolCallId: 'nope', content: 'x' }])) events.push(event);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'error', error: { code: 'HA_INVALID_REQUEST' } });
    expect(backend.calls).toBe(0);
    expect(ends).toEqual(['error', 'error']);
  });
});

describe('callsInFlight', () => {
  it('counts calls from their start until their onCallEnd, whatever their outcome', async () => {
    const kernel = new Kernel().register('a', fakeBackend({ failures: [new ServerError('down', { provider: 'fake' })] }));
    const seen: number[] = [];
    kernel.hooks.onCallEnd.tap('test', () => void seen.push(kernel.callsInFlight));
    const api = kernel.backend('a');

    const failing = api.infer(HI).catch((error: unknown) => error);
    const succeeding = api.infer(HI);
    expect(kernel.callsInFlight).toBe(2);
    expect(await failing).toBeInstanceOf(ServerError);
    await succeeding;
    const stream = api.inferStream(HI);
    expect(kernel.callsInFlight).toBe(1);
    await stream.output();
    // Each call had left the count when its own onCallEnd ran.
    expect(seen).toEqual([1, 0, 0]);
    expect(kernel.callsInFlight).toBe(0);

    // A request check that fails still ends the call.
    await expect(api.infer([])).rejects.toThrow();
    expect(kernel.callsInFlight).toBe(0);
  });
});

describe('hooks nobody tapped are skipped, and a tap added later runs', () => {
  it('runs beforeInfer, wrapAttempt and afterInfer taps added after the backend was handed out', async () => {
    const kernel = new Kernel().register('a', fakeBackend());
    const api = kernel.backend('a');
    expect((await api.infer(HI)).content).toBe('hello');
    const order: string[] = [];
    kernel.hooks.beforeInfer.tap('late', (request) => (order.push('beforeInfer'), request));
    kernel.hooks.wrapAttempt.tap('late', (attempt: Attempt) => (context: CallContext) => (order.push('attempt'), attempt(context)));
    kernel.hooks.afterInfer.tap('late', (output) => (order.push('afterInfer'), { ...output, content: output.content.toUpperCase() }));
    expect((await api.infer(HI)).content).toBe('HELLO');
    expect(order).toEqual(['beforeInfer', 'attempt', 'afterInfer']);
  });
});
