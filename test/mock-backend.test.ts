import { Ajv } from 'ajv';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { calculateCost } from '../core/cost.js';
import {
  AbortError,
  AuthenticationError,
  ContextLengthError,
  ErrorCode,
  HyperAgentError,
  InvalidRequestError,
  NetworkError,
  OverloadedError,
  RateLimitError,
  ServerError,
  TimeoutError,
} from '../core/errors.js';
import type { CostEvent } from '../core/hooks.js';
import { ManagedInferenceStream } from '../core/inference-stream.js';
import { Kernel } from '../core/kernel.js';
import type { InferenceStream, LLMMessage, StreamEvent, ToolSchema } from '../core/types.js';
import mockProvider, { MockBackend, MockResponse, createMockBackend, hashEmbedding, mockOptionsSchema } from '../plugins/mock/index.js';

const user = (content: string): LLMMessage => ({ role: 'user', content });
const weatherTool: ToolSchema = {
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

async function collect(stream: InferenceStream): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

async function rejection(promise: Promise<unknown>): Promise<HyperAgentError> {
  try {
    await promise;
  } catch (error) {
    return error as HyperAgentError;
  }
  throw new Error('expected the promise to reject');
}

afterEach(() => {
  vi.useRealTimers();
});

describe('MockResponse builders', () => {
  it('are immutable: every with* returns a new response and leaves the original alone', () => {
    const base = MockResponse.text('hello');
    const slow = base.withLatency(50).withReasoning('thinking').withChunkSize(1).withFinishReason('length');
    expect(base.latencyMs).toBeUndefined();
    expect(base.reasoning).toBeUndefined();
    expect(slow).not.toBe(base);
    expect(slow).toMatchObject({ content: 'hello', latencyMs: 50, reasoning: 'thinking', chunkSize: 1, finishReason: 'length' });
    expect(Object.isFrozen(slow)).toBe(true);
    expect(Object.isFrozen(slow.toolCallSpecs)).toBe(true);
  });

  it('build tool calls one at a time, several at once, or alongside text', () => {
    expect(MockResponse.toolCall('get_weather', { city: 'Paris' }, 'id1').toolCallSpecs).toEqual([{ name: 'get_weather', arguments: { city: 'Paris' }, id: 'id1' }]);
    const two = MockResponse.toolCalls([{ name: 'a', arguments: { x: 1 } }, { name: 'b' }]);
    expect(two.toolCallSpecs.map((call) => call.name)).toEqual(['a', 'b']);
    const mixed = MockResponse.text('Let me check.').withToolCall('get_weather', { city: 'Oslo' });
    expect(mixed.content).toBe('Let me check.');
    expect(mixed.toolCallSpecs).toHaveLength(1);
  });

  it('reject bad input with a TypeError that names the method', () => {
    expect(() => MockResponse.text('x').withLatency(-1)).toThrow(/withLatency/);
    expect(() => MockResponse.text('x').withChunkSize(0)).toThrow(/withChunkSize/);
    expect(() => MockResponse.error('nope' as never)).toThrow(/unknown kind "nope"/);
    expect(() => MockResponse.text('x').withRetryAfter(5)).toThrow(TypeError);
    expect(() => MockResponse.error('auth').withText('x')).toThrow(TypeError);
    expect(() => MockResponse.toolCall('t', [] as never)).toThrow(/JSON object/);
    expect(() => MockResponse.toolCalls([])).toThrow(TypeError);
  });
});

describe('response sequence', () => {
  it('answers in order, then repeats the last response', async () => {
    const backend = new MockBackend({ responses: ['one', MockResponse.text('two')] });
    const contents: string[] = [];
    for (let index = 0; index < 4; index += 1) contents.push((await backend.infer([user('hi')])).content);
    expect(contents).toEqual(['one', 'two', 'two', 'two']);
  });

  it('falls back to the default once exhausted when whenExhausted is "default"', async () => {
    const backend = new MockBackend({ responses: ['one'], whenExhausted: 'default', defaultResponse: 'fallback' });
    expect((await backend.infer([user('hi')])).content).toBe('one');
    expect((await backend.infer([user('hi')])).content).toBe('fallback');
  });

  it('grows with addResponse/addResponses, and reset() starts it over', async () => {
    const backend = new MockBackend().addResponse('a').addResponses(['b', MockResponse.text('c')]);
    expect(backend.remainingResponses).toBe(3);
    expect((await backend.infer([user('x')])).content).toBe('a');
    expect((await backend.infer([user('x')])).content).toBe('b');
    backend.reset();
    expect(backend.remainingResponses).toBe(3);
    expect((await backend.infer([user('x')])).content).toBe('a');
  });
});

describe('pattern responses', () => {
  it('whenContains matches a substring of the last message and does not advance the sequence', async () => {
    const backend = new MockBackend({ responses: ['first', 'second'] }).whenContains('weather', MockResponse.toolCall('get_weather', { city: 'Paris' }));
    const called = await backend.infer([user('What is the weather in Paris?')]);
    expect(called.toolCalls?.[0].name).toBe('get_weather');
    expect((await backend.infer([user('hello')])).content).toBe('first');
  });

  it('whenMatches takes a RegExp or a string, and a global RegExp matches every time', async () => {
    const backend = new MockBackend().whenMatches(/^hello/gi, 'greeting').whenMatches('\\d{3}', 'digits');
    expect((await backend.infer([user('Hello there')])).content).toBe('greeting');
    expect((await backend.infer([user('HELLO again')])).content).toBe('greeting');
    expect((await backend.infer([user('call 555 now')])).content).toBe('digits');
    expect((await backend.infer([user('say hello')])).content).toBe('This is a mock response.');
  });

  it('when() gets messages, tools and options; the first matching rule wins', async () => {
    const predicate = vi.fn((_messages: readonly LLMMessage[], tools: readonly ToolSchema[]) => tools.length > 0);
    const backend = new MockBackend().when(predicate, 'has tools').whenContains('x', 'contains x');
    const options = { temperature: 0.1 };
    expect((await backend.infer([user('x')], [weatherTool], options)).content).toBe('has tools');
    expect(predicate).toHaveBeenCalledWith([user('x')], [weatherTool], options);
    expect((await backend.infer([user('x')])).content).toBe('contains x');
  });

  it('look at the last message, so a tool result after a pattern tool call moves on', async () => {
    const backend = new MockBackend({ patterns: [{ contains: 'weather', response: { toolCall: { name: 'get_weather', arguments: { city: 'Paris' } } } }], defaultResponse: 'It is sunny.' });
    const first = await backend.infer([user('weather in Paris?')], [weatherTool]);
    const call = first.toolCalls![0];
    const history: LLMMessage[] = [
      user('weather in Paris?'),
      { role: 'assistant', content: '', toolCalls: [call] },
      { role: 'tool', content: '{"forecast":"sunny"}', toolCallId: call.id, name: call.name },
    ];
    expect((await backend.infer(history, [weatherTool])).content).toBe('It is sunny.');
  });

  it('patterns from options: contains, regex with flags', async () => {
    const backend = new MockBackend({ patterns: [{ contains: 'a', response: 'A' }, { regex: '^B', flags: 'i', response: { text: 'B' } }] });
    expect((await backend.infer([user('banana')])).content).toBe('A');
    expect((await backend.infer([user('bob')])).content).toBe('B');
  });
});

describe('echo mode and default response', () => {
  it('echo replies with the text of the last user message', async () => {
    const backend = new MockBackend({ echo: true });
    const messages: LLMMessage[] = [
      { role: 'system', content: 'be brief' },
      { role: 'user', content: [{ type: 'text', text: 'ping ' }, { type: 'image', url: 'https://example.com/a.png' }, { type: 'text', text: 'pong' }] },
    ];
    expect((await backend.infer(messages)).content).toBe('ping pong');
  });

  it('the default is "This is a mock response." and can be replaced', async () => {
    expect((await new MockBackend().infer([user('x')])).content).toBe('This is a mock response.');
    expect((await new MockBackend({ defaultResponse: { text: 'custom' } }).infer([user('x')])).content).toBe('custom');
  });
});

describe('scripted errors', () => {
  const cases = [
    ['rate-limit', RateLimitError, ErrorCode.RATE_LIMITED, true, 429],
    ['auth', AuthenticationError, ErrorCode.AUTHENTICATION, false, 401],
    ['server', ServerError, ErrorCode.SERVER, true, 500],
    ['overloaded', OverloadedError, ErrorCode.OVERLOADED, true, 529],
    ['timeout', TimeoutError, ErrorCode.TIMEOUT, true, undefined],
    ['network', NetworkError, ErrorCode.NETWORK, true, undefined],
    ['context-length', ContextLengthError, ErrorCode.CONTEXT_LENGTH_EXCEEDED, false, 400],
    ['invalid-request', InvalidRequestError, ErrorCode.INVALID_REQUEST, false, 400],
  ] as const;

  it.each(cases)('%s rejects with the core error class, provider mock and the right flags', async (kind, errorClass, code, retryable, status) => {
    const error = await rejection(new MockBackend({ responses: [MockResponse.error(kind)] }).infer([user('x')]));
    expect(error).toBeInstanceOf(errorClass);
    expect(error).toMatchObject({ code, retryable, status, provider: 'mock' });
    expect(error.message).toContain(kind);
  });

  it('a rate limit carries retryAfterMs, 1000 by default or set by withRetryAfter', async () => {
    const backend = new MockBackend({ responses: [MockResponse.error('rate-limit'), MockResponse.error('rate-limit', 'slow down').withRetryAfter(250)] });
    expect((await rejection(backend.infer([user('x')]))).retryAfterMs).toBe(1000);
    const second = await rejection(backend.infer([user('x')]));
    expect(second).toMatchObject({ retryAfterMs: 250, message: 'slow down' });
  });

  it('each call gets a fresh error object', async () => {
    const backend = new MockBackend({ responses: [MockResponse.error('server')] });
    const [first, second] = [await rejection(backend.infer([user('x')])), await rejection(backend.infer([user('x')]))];
    expect(first).not.toBe(second);
  });
});

describe('infer output', () => {
  it('has content, confidence 1, estimated usage, stop, and mock metadata', async () => {
    const backend = new MockBackend({ responses: ['abcdefgh'] });
    const output = await backend.infer([user('12345678')]);
    expect(output).toEqual({
      content: 'abcdefgh',
      confidence: 1,
      tokenUsage: { promptTokens: 2, completionTokens: 2, totalTokens: 4 },
      finishReason: 'stop',
      metadata: { provider: 'mock', model: 'mock-model' },
    });
  });

  it('tool calls carry parsed arguments and the raw JSON, with numbered or given ids', async () => {
    const backend = new MockBackend({ responses: [MockResponse.toolCalls([{ name: 'get_weather', arguments: { city: 'Paris' } }, { name: 'get_time', id: 'mine' }])] });
    const output = await backend.infer([user('x')], [weatherTool]);
    expect(output.finishReason).toBe('tool-calls');
    expect(output.toolCalls).toEqual([
      { id: 'call_mock_1', name: 'get_weather', arguments: { city: 'Paris' }, rawArguments: '{"city":"Paris"}' },
      { id: 'mine', name: 'get_time', arguments: {}, rawArguments: '{}' },
    ]);
    expect(JSON.parse(output.toolCalls![0].rawArguments)).toEqual(output.toolCalls![0].arguments);
  });

  it('reports reasoning, usage overrides, finish reason and the per-call model', async () => {
    const response = MockResponse.text('ok').withReasoning('let me think').withUsage({ promptTokens: 100, completionTokens: 40, cachedTokens: 60 }).withFinishReason('length');
    const output = await new MockBackend({ responses: [response] }).infer([user('x')], [], { model: 'mock-large' });
    expect(output.reasoning).toBe('let me think');
    expect(output.reasoningParts).toEqual([{ text: 'let me think' }]);
    expect(output.tokenUsage).toEqual({ promptTokens: 100, completionTokens: 40, totalTokens: 140, cachedTokens: 60 });
    expect(output.finishReason).toBe('length');
    expect(output.metadata.model).toBe('mock-large');
  });

  it('estimates usage deterministically, counting reasoning and tools', async () => {
    const response = MockResponse.text('12345678').withReasoning('1234');
    const first = await new MockBackend({ responses: [response] }).infer([user('x'.repeat(40))], [weatherTool]);
    const second = await new MockBackend({ responses: [response] }).infer([user('x'.repeat(40))], [weatherTool]);
    expect(first.tokenUsage).toEqual(second.tokenUsage);
    expect(first.tokenUsage.promptTokens).toBe(10 + Math.ceil(JSON.stringify([weatherTool]).length / 4));
    expect(first.tokenUsage).toMatchObject({ completionTokens: 3, reasoningTokens: 1 });
  });
});

describe('latency and abort', () => {
  it('waits for the response latency (else the backend latency) before answering', async () => {
    vi.useFakeTimers();
    const backend = new MockBackend({ latencyMs: 100, responses: ['slow', MockResponse.text('slower').withLatency(500)] });
    let settled = false;
    const first = backend.infer([user('x')]).then((output) => ((settled = true), output));
    await vi.advanceTimersByTimeAsync(99);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect((await first).content).toBe('slow');
    settled = false;
    const second = backend.infer([user('x')]).then((output) => ((settled = true), output));
    await vi.advanceTimersByTimeAsync(499);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect((await second).content).toBe('slower');
  });

  it('an abort during latency rejects at once with AbortError and clears the timer', async () => {
    vi.useFakeTimers();
    const backend = new MockBackend({ latencyMs: 60_000 });
    const controller = new AbortController();
    const pending = rejection(backend.infer([user('x')], [], { signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(10);
    controller.abort();
    const error = await pending;
    expect(error).toBeInstanceOf(AbortError);
    expect(error.retryable).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('an abort rejects promptly with real timers too', async () => {
    const backend = new MockBackend({ latencyMs: 10_000 });
    const started = Date.now();
    const pending = rejection(backend.infer([user('x')], [], { signal: AbortSignal.timeout(20) }));
    expect(await pending).toBeInstanceOf(AbortError);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('an already aborted signal rejects without recording a call or using a response', async () => {
    const backend = new MockBackend({ responses: ['first'] });
    expect(await rejection(backend.infer([user('x')], [], { signal: AbortSignal.abort() }))).toBeInstanceOf(AbortError);
    expect(backend.callCount).toBe(0);
    expect((await backend.infer([user('x')])).content).toBe('first');
  });

  it('a latency beyond the call timeoutMs fails with TimeoutError after the timeout', async () => {
    vi.useFakeTimers();
    const backend = new MockBackend({ responses: [MockResponse.text('late').withLatency(5000)] });
    const pending = rejection(backend.infer([user('x')], [], { timeoutMs: 100 }));
    await vi.advanceTimersByTimeAsync(100);
    const error = await pending;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.retryable).toBe(true);
  });

  it('an error response arrives after its latency', async () => {
    vi.useFakeTimers();
    const backend = new MockBackend({ responses: [MockResponse.error('server').withLatency(200)] });
    let settled = false;
    const pending = rejection(backend.infer([user('x')])).finally(() => (settled = true));
    await vi.advanceTimersByTimeAsync(199);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await pending).toBeInstanceOf(ServerError);
  });
});

describe('streaming', () => {
  it('returns a ManagedInferenceStream', () => {
    expect(new MockBackend().inferStream([user('x')])).toBeInstanceOf(ManagedInferenceStream);
  });

  it('emits reasoning, then text in several deltas, then exactly one done', async () => {
    const response = MockResponse.text('one two three four five six seven').withReasoning('think about it first').withChunkSize(2);
    const events = await collect(new MockBackend({ responses: [response] }).inferStream([user('x')]));
    const types = events.map((event) => event.type);
    expect(types).toEqual(['reasoning-delta', 'reasoning-delta', 'text-delta', 'text-delta', 'text-delta', 'text-delta', 'done']);
    const text = events.flatMap((event) => (event.type === 'text-delta' ? [event.text] : []));
    expect(text).toEqual(['one two ', 'three four ', 'five six ', 'seven']);
    expect(events.filter((event) => event.type === 'done')).toHaveLength(1);
  });

  it('splits text into streamChunkSize words by default (3)', async () => {
    const events = await collect(new MockBackend({ responses: ['a b c d e f g'] }).inferStream([user('x')]));
    expect(events.flatMap((event) => (event.type === 'text-delta' ? [event.text] : []))).toEqual(['a b c ', 'd e f ', 'g']);
  });

  it('streams each tool call as start, several argument fragments, end', async () => {
    const response = MockResponse.text('Checking.').withToolCall('get_weather', { city: 'Paris', unit: 'celsius' }).withToolCall('get_time', { zone: 'CET' }, 'time-1');
    const events = await collect(new MockBackend({ responses: [response] }).inferStream([user('x')], [weatherTool]));
    const toolEvents = events.filter((event) => event.type.startsWith('tool-call'));
    const first = toolEvents.filter((event) => 'id' in event && event.id === 'call_mock_1');
    expect(first[0]).toEqual({ type: 'tool-call-start', id: 'call_mock_1', name: 'get_weather', index: 0 });
    const deltas = first.filter((event) => event.type === 'tool-call-delta');
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.map((event) => (event.type === 'tool-call-delta' ? event.argumentsDelta : '')).join('')).toBe('{"city":"Paris","unit":"celsius"}');
    expect(first.at(-1)).toEqual({
      type: 'tool-call-end',
      id: 'call_mock_1',
      toolCall: { id: 'call_mock_1', name: 'get_weather', arguments: { city: 'Paris', unit: 'celsius' }, rawArguments: '{"city":"Paris","unit":"celsius"}' },
    });
    expect(toolEvents.find((event) => event.type === 'tool-call-start' && event.id === 'time-1')).toMatchObject({ index: 1, name: 'get_time' });
    const order = events.map((event) => event.type);
    expect(order.indexOf('text-delta')).toBeLessThan(order.indexOf('tool-call-start'));
    expect(events.at(-1)).toMatchObject({ type: 'done', finishReason: 'tool-calls' });
  });

  it('output() resolves to exactly what infer returns for the same response', async () => {
    const response = MockResponse.text('Let me look that up for you.').withReasoning('The user wants weather.').withToolCall('get_weather', { city: 'Paris' });
    const backend = new MockBackend({ responses: [response] });
    const expected = await backend.infer([user('weather?')], [weatherTool]);
    backend.reset();
    const streamed = await backend.inferStream([user('weather?')], [weatherTool]).output();
    expect(streamed).toEqual(expected);
  });

  it('output() after iterating matches the events seen', async () => {
    const stream = new MockBackend({ responses: ['hello streaming world'] }).inferStream([user('x')]);
    const events = await collect(stream);
    const output = await stream.output();
    expect(output.content).toBe('hello streaming world');
    expect(output.tokenUsage).toEqual(events.at(-1)!.type === 'done' ? (events.at(-1) as { tokenUsage: unknown }).tokenUsage : undefined);
  });

  it('an error response is a single error event, and output() rejects with it', async () => {
    const backend = new MockBackend({ responses: [MockResponse.error('overloaded')] });
    const events = await collect(backend.inferStream([user('x')]));
    expect(events).toHaveLength(1);
    expect(events[0].type).toBe('error');
    expect(events[0].type === 'error' && events[0].error).toBeInstanceOf(OverloadedError);
    backend.reset();
    await expect(backend.inferStream([user('x')]).output()).rejects.toBeInstanceOf(OverloadedError);
  });

  it('applies latency before the first event and streamDelayMs between events', async () => {
    vi.useFakeTimers();
    const backend = new MockBackend({ latencyMs: 100, streamDelayMs: 10, streamChunkSize: 1, responses: ['a b'] });
    const seen: string[] = [];
    const reading = (async () => {
      for await (const event of backend.inferStream([user('x')])) seen.push(event.type);
    })();
    await vi.advanceTimersByTimeAsync(99);
    expect(seen).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(seen).toEqual(['text-delta']);
    await vi.advanceTimersByTimeAsync(10);
    expect(seen).toEqual(['text-delta', 'text-delta']);
    await vi.advanceTimersByTimeAsync(10);
    await reading;
    expect(seen).toEqual(['text-delta', 'text-delta', 'done']);
  });

  it('sets no timer when there is no latency and no stream delay', async () => {
    vi.useFakeTimers();
    const events = await collect(new MockBackend({ responses: ['a b c d e f g h'] }).inferStream([user('x')]));
    expect(events.at(-1)?.type).toBe('done');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('an abort mid-stream ends it with one AbortError event and no timer left', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const backend = new MockBackend({ streamDelayMs: 1000, streamChunkSize: 1, responses: ['a b c d'] });
    const events: StreamEvent[] = [];
    const reading = (async () => {
      for await (const event of backend.inferStream([user('x')], [], { signal: controller.signal })) events.push(event);
    })();
    await vi.advanceTimersByTimeAsync(1000);
    controller.abort();
    await reading;
    expect(events.map((event) => event.type)).toEqual(['text-delta', 'text-delta', 'error']);
    expect(events.at(-1)?.type === 'error' && events.at(-1)).toMatchObject({ error: expect.any(AbortError) });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('an aborted signal gives one error event and records no call', async () => {
    const backend = new MockBackend();
    const events = await collect(backend.inferStream([user('x')], [], { signal: AbortSignal.abort() }));
    expect(events).toHaveLength(1);
    expect(events[0].type === 'error' && events[0].error).toBeInstanceOf(AbortError);
    expect(backend.callCount).toBe(0);
  });

  it('breaking out of the loop stops the stream', async () => {
    const stream = new MockBackend({ streamChunkSize: 1, responses: ['a b c d e f'] }).inferStream([user('x')]);
    const seen: StreamEvent[] = [];
    for await (const event of stream) {
      seen.push(event);
      if (seen.length === 2) break;
    }
    expect(seen).toHaveLength(2);
    await expect(stream.output()).rejects.toBeInstanceOf(AbortError);
  });

  it('a throwing when() predicate becomes the error event', async () => {
    const backend = new MockBackend().when(() => {
      throw new Error('predicate broke');
    }, 'never');
    const events = await collect(backend.inferStream([user('x')]));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'error', error: { message: 'predicate broke' } });
    await expect(backend.infer([user('x')])).rejects.toThrow('predicate broke');
  });

  it('has one consumer', async () => {
    const stream = new MockBackend().inferStream([user('x')]);
    await collect(stream);
    expect(() => stream[Symbol.asyncIterator]()).toThrow(/one consumer/);
  });
});

describe('embeddings', () => {
  it('are deterministic, unit length, of the configured dimension (8 by default)', async () => {
    const backend = new MockBackend();
    const first = await backend.embed(['hello', 'world']);
    const again = await new MockBackend().embed('hello');
    expect(first.embeddings).toHaveLength(2);
    expect(first.embeddings[0]).toHaveLength(8);
    expect(again.embeddings[0]).toEqual(first.embeddings[0]);
    expect(first.embeddings[0]).not.toEqual(first.embeddings[1]);
    for (const vector of first.embeddings) expect(Math.hypot(...vector)).toBeCloseTo(1, 10);
    expect(hashEmbedding('hello', 8)).toEqual(first.embeddings[0]);
  });

  it('honour embeddingDimensions and the per-call dimensions', async () => {
    const backend = new MockBackend({ embeddingDimensions: 16 });
    expect((await backend.embed('x')).embeddings[0]).toHaveLength(16);
    expect((await backend.embed('x', { dimensions: 4 })).embeddings[0]).toHaveLength(4);
  });

  it('use preset vectors in order, then hashed ones; reset() starts the presets over', async () => {
    const backend = new MockBackend({ embeddings: [[1, 0], [0, 1]] });
    expect((await backend.embed(['a', 'b', 'c'])).embeddings).toEqual([[1, 0], [0, 1], hashEmbedding('c', 8)]);
    backend.reset();
    expect((await backend.embed('z')).embeddings).toEqual([[1, 0]]);
  });

  it('use preset vectors by text', async () => {
    const backend = new MockBackend({ embeddings: { cat: [0.6, 0.8] } });
    expect((await backend.embed(['cat', 'dog'])).embeddings).toEqual([[0.6, 0.8], hashEmbedding('dog', 8)]);
  });

  it('count tokens as usage and name provider and model', async () => {
    const output = await new MockBackend().embed(['12345678', '1234']);
    expect(output.tokenUsage).toEqual({ promptTokens: 3, completionTokens: 0, totalTokens: 3 });
    expect(output.model).toBe('mock-model');
    expect(output.metadata).toEqual({ provider: 'mock', model: 'mock-model' });
  });
});

describe('call recording', () => {
  it('records every call with operation, messages, tools, options, input and time', async () => {
    const backend = new MockBackend({ responses: [MockResponse.toolCall('get_weather', { city: 'Rome' }), 'done'] });
    const options = { temperature: 0 };
    await backend.infer([user('weather?')], [weatherTool], options);
    await collect(backend.inferStream([user('again')]));
    await backend.embed('text');
    expect(backend.callCount).toBe(3);
    expect(backend.calls.map((call) => call.operation)).toEqual(['infer', 'stream', 'embed']);
    expect(backend.calls[0]).toMatchObject({ messages: [user('weather?')], tools: [weatherTool], options, input: undefined });
    expect(backend.calls[0].toolCalls[0]).toMatchObject({ name: 'get_weather', arguments: { city: 'Rome' } });
    expect(backend.calls[1].response?.content).toBe('done');
    expect(backend.lastCall).toMatchObject({ operation: 'embed', input: ['text'] });
    expect(typeof backend.lastCall?.timestamp).toBe('number');
  });

  it('wasToolCalled is about what the model returned, wasToolOffered about what was passed', async () => {
    const backend = new MockBackend({ responses: ['no tools used'] });
    await backend.infer([user('x')], [weatherTool]);
    expect(backend.wasToolOffered('get_weather')).toBe(true);
    expect(backend.wasToolCalled('get_weather')).toBe(false);
    backend.addResponse(MockResponse.toolCall('get_weather', { city: 'Paris' }));
    await backend.infer([user('x')], [weatherTool]);
    expect(backend.wasToolCalled('get_weather')).toBe(true);
    expect(backend.wasToolCalled('other')).toBe(false);
    expect(backend.wasToolOffered('other')).toBe(false);
  });

  it('reset() clears the calls and the tool-call numbering', async () => {
    const backend = new MockBackend({ responses: [MockResponse.toolCall('t')] });
    await backend.infer([user('x')]);
    await backend.infer([user('x')]);
    expect(backend.calls.map((call) => call.toolCalls[0].id)).toEqual(['call_mock_1', 'call_mock_2']);
    backend.reset();
    expect(backend.callCount).toBe(0);
    expect(backend.lastCall).toBeUndefined();
    expect((await backend.infer([user('x')])).toolCalls?.[0].id).toBe('call_mock_1');
  });
});

describe('model info and capabilities', () => {
  it('describes mock-model with labelled made-up prices and every capability', () => {
    const info = new MockBackend().modelInfo();
    expect(info).toMatchObject({ id: 'mock-model', provider: 'mock', pricing: { input: 1, output: 2 } });
    expect(info.pricingSource).toMatch(/made-up/);
    expect(Object.values(info.capabilities).every(Boolean)).toBe(true);
    expect(calculateCost(info, { promptTokens: 1_000_000, completionTokens: 1_000_000, totalTokens: 2_000_000 })).toBe(3);
  });

  it('supports function calling and streaming unless capabilities say otherwise', () => {
    const backend = new MockBackend();
    expect(backend.supportsFunctionCalling()).toBe(true);
    expect(backend.supportsStreaming()).toBe(true);
    const limited = new MockBackend({ capabilities: { functionCalling: false, streaming: false } });
    expect(limited.supportsFunctionCalling()).toBe(false);
    expect(limited.supportsStreaming()).toBe(false);
    expect(limited.modelInfo().capabilities).toMatchObject({ functionCalling: false, streaming: false, vision: true });
  });

  it('rejects bad options with a TypeError naming the option', () => {
    expect(() => new MockBackend({ latencyMs: -5 })).toThrow(/latencyMs/);
    expect(() => new MockBackend({ streamChunkSize: 1.5 })).toThrow(/streamChunkSize/);
    expect(() => new MockBackend({ responses: ['ok', { text: 'x', error: 'auth' }] })).toThrow(/responses\[1\]/);
  });
});

describe('creation from config', () => {
  const context = { backendName: 'demo', configDir: process.cwd(), env: {} };
  const options = {
    responses: [{ text: 'hi' }, { toolCall: { name: 'get_weather', arguments: { city: 'Paris' } } }, { error: 'rate-limit', retryAfterMs: 10 }],
    echo: false,
    latencyMs: 0,
    patterns: [
      { contains: 'weather', response: { text: 'Checking.', toolCall: { name: 'get_weather', arguments: { city: 'Oslo' } } } },
      { regex: '^hello', response: { text: 'Hello to you.', reasoning: 'a greeting', usage: { promptTokens: 10, completionTokens: 5 } } },
    ],
    embeddingDimensions: 8,
    streamChunkSize: 3,
  } as const;

  it('the default export is the mock provider with its options schema', () => {
    expect(mockProvider.name).toBe('mock');
    expect(mockProvider.optionsSchema).toBe(mockOptionsSchema);
  });

  it('create() is synchronous and builds a MockBackend from the options', async () => {
    const created = mockProvider.create({ provider: 'mock', model: 'mock-model', options }, context);
    expect(created).toBeInstanceOf(MockBackend);
    const backend = created as MockBackend;
    expect((await backend.infer([user('x')])).content).toBe('hi');
    expect((await backend.infer([user('x')])).toolCalls?.[0]).toMatchObject({ name: 'get_weather', arguments: { city: 'Paris' } });
    expect(await rejection(backend.infer([user('x')]))).toMatchObject({ code: ErrorCode.RATE_LIMITED, retryAfterMs: 10 });
    const weather = await backend.infer([user('the weather?')]);
    expect(weather).toMatchObject({ content: 'Checking.', finishReason: 'tool-calls', toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }] });
    const hello = await backend.infer([user('hello there')]);
    expect(hello).toMatchObject({ content: 'Hello to you.', reasoning: 'a greeting', tokenUsage: { promptTokens: 10, completionTokens: 5, totalTokens: 15 } });
  });

  it('takes the model and rate limits from the backend entry', () => {
    const backend = createMockBackend({ provider: 'mock', model: 'mock-xl', rateLimits: { rpm: 60 } });
    expect(backend.model).toBe('mock-xl');
    expect(backend.modelInfo()).toMatchObject({ id: 'mock-xl', rateLimits: { rpm: 60 } });
    expect(createMockBackend({ provider: 'mock' }).model).toBe('mock-model');
  });

  it('the options schema accepts the documented shape and rejects mistakes (ajv strict)', () => {
    const validate = new Ajv({ strict: true, allErrors: true }).compile(mockOptionsSchema);
    expect(validate(options)).toBe(true);
    expect(validate({ embeddings: { cat: [1, 0] }, capabilities: { streaming: false }, defaultResponse: { error: 'auth', message: 'bad key' } })).toBe(true);
    expect(validate({ unknown: 1 })).toBe(false);
    expect(validate({ responses: [{ text: 'x', error: 'auth' }] })).toBe(false);
    expect(validate({ responses: [{ text: 'x', retryAfterMs: 5 }] })).toBe(false);
    expect(validate({ responses: [{ toolCall: { name: 'a' }, toolCalls: [{ name: 'b' }] }] })).toBe(false);
    expect(validate({ responses: [{ latencyMs: 5 }] })).toBe(false);
    expect(validate({ responses: [{ error: 'teapot' }] })).toBe(false);
    expect(validate({ patterns: [{ contains: 'a', regex: 'b', response: { text: 'x' } }] })).toBe(false);
    expect(validate({ capabilities: { teleport: true } })).toBe(false);
  });

  it('a bad scripted response fails at create with a TypeError naming it', () => {
    expect(() => createMockBackend({ provider: 'mock', options: { patterns: [{ contains: 'x', response: { foo: 1 } as never }] } })).toThrow(/patterns\[0\]\.response: unknown key "foo"/);
    expect(() => createMockBackend({ provider: 'mock', options: { patterns: [{ regex: '(', response: 'x' }] } })).toThrow(/patterns\[0\]\.regex/);
  });

  it('a config-made backend can show streaming, a tool call and cost', async () => {
    const backend = createMockBackend({ provider: 'mock', model: 'mock-model', options });
    backend.reset();
    const kernel = new Kernel().register('demo', backend);
    const costs: CostEvent[] = [];
    kernel.hooks.onCost.tap('test', (event) => void costs.push(event));
    const stream = kernel.backend('demo').inferStream([user('weather in Oslo?')], [weatherTool]);
    const types = (await collect(stream)).map((event) => event.type);
    expect(types).toContain('text-delta');
    expect(types).toContain('tool-call-end');
    expect((await stream.output()).toolCalls?.[0].name).toBe('get_weather');
    expect(costs[0].costUsd).toBeGreaterThan(0);
  });
});

describe('through a Kernel', () => {
  it('hooks see the call and onCost gets the cost from the mock prices', async () => {
    const backend = new MockBackend({ responses: [MockResponse.text('priced').withUsage({ promptTokens: 1000, completionTokens: 500 })] });
    const kernel = new Kernel().register('m', backend);
    const requests: string[] = [];
    const costs: CostEvent[] = [];
    kernel.hooks.beforeInfer.tapPromise('test', async (request, context) => {
      requests.push(`${context.backendName}:${context.operation}:${context.model}:${request.messages.length}`);
      return request;
    });
    kernel.hooks.afterInfer.tapPromise('test', async (output) => ({ ...output, content: `${output.content}!` }));
    kernel.hooks.onCost.tap('test', (event) => void costs.push(event));

    const output = await kernel.backend('m').infer([user('hi')]);

    expect(requests).toEqual(['m:infer:mock-model:1']);
    expect(backend.callCount).toBe(1);
    expect(output.content).toBe('priced!');
    // 1000 input tokens at 1 USD/1M + 500 output tokens at 2 USD/1M.
    expect(costs).toHaveLength(1);
    expect(costs[0]).toMatchObject({ backendName: 'm', provider: 'mock', model: 'mock-model', operation: 'infer', partial: false });
    expect(costs[0].costUsd).toBeCloseTo(0.002, 12);
    expect(output.metadata).toMatchObject({ backend: 'm', provider: 'mock' });
    expect(output.metadata.costUsd).toBeCloseTo(0.002, 12);
  });

  it('a stream runs onStreamEvent for every event and charges its cost once', async () => {
    const backend = new MockBackend({ responses: [MockResponse.text('a b c d').withChunkSize(2).withUsage({ promptTokens: 2000, completionTokens: 1000 })] });
    const kernel = new Kernel().register('m', backend);
    const seen: string[] = [];
    const costs: CostEvent[] = [];
    kernel.hooks.onStreamEvent.tap('test', (event) => void seen.push(event.type));
    kernel.hooks.onCost.tap('test', (event) => void costs.push(event));
    const events = await collect(kernel.backend('m').inferStream([user('x')]));
    expect(events.map((event) => event.type)).toEqual(['text-delta', 'text-delta', 'done']);
    expect(seen).toEqual(['text-delta', 'text-delta', 'done']);
    expect(costs).toHaveLength(1);
    expect(costs[0].costUsd).toBeCloseTo(0.004, 12);
  });

  it('onError sees a scripted error with its flags, and embed is priced too', async () => {
    const backend = new MockBackend({ responses: [MockResponse.error('rate-limit').withRetryAfter(5)] });
    const kernel = new Kernel().register('m', backend);
    const errors: HyperAgentError[] = [];
    const costs: CostEvent[] = [];
    kernel.hooks.onError.tap('test', (error) => void errors.push(error));
    kernel.hooks.onCost.tap('test', (event) => void costs.push(event));
    const error = await rejection(kernel.backend('m').infer([user('x')]));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(errors).toEqual([error]);
    expect(errors[0]).toMatchObject({ retryable: true, retryAfterMs: 5, provider: 'mock' });
    await kernel.backend('m').embed('x'.repeat(4000));
    expect(costs.at(-1)).toMatchObject({ operation: 'embed', usage: { promptTokens: 1000 } });
    expect(costs.at(-1)?.costUsd).toBeCloseTo(0.001, 12);
  });
});
