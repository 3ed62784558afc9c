// The anthropic provider against every recorded Anthropic response in test/fixtures/recorded/anthropic,
// served over real HTTP on 127.0.0.1 by the replay server.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { calculateCost } from '../../core/cost.js';
import {
  AbortError,
  AuthenticationError,
  ContextLengthError,
  HyperAgentError,
  InvalidResponseError,
  MissingApiKeyError,
  ModelNotFoundError,
  OverloadedError,
  RateLimitError,
  ToolArgumentsError,
  UnsupportedError,
} from '../../core/errors.js';
import { closeAllPools, poolFor } from '../../core/http.js';
import type { CostEvent } from '../../core/hooks.js';
import { Kernel } from '../../core/kernel.js';
import type { InferenceOutput, InferenceStream, LLMMessage, StreamEvent, TokenUsage } from '../../core/types.js';
import anthropicDefinition, {
  AnthropicProvider,
  ANTHROPIC_MODEL_IDS,
  DEFAULT_RATE_LIMITS,
  anthropicModelInfo,
  convertToAnthropicMessages,
  mapAnthropicStopReason,
  resolveAnthropicModel,
} from '../../plugins/anthropic/index.js';
import { FIXTURES_DIR, ReplayServer, type ReplayRoute } from '../replay-server.js';

const FAKE_KEY = 'hyperagent-test-anthropic-key-7f3a9c21e8d4';
const PATH = '/v1/messages';
const fixtureText = (name: string): string => readFileSync(join(FIXTURES_DIR, 'anthropic', name), 'utf8');
const fixtureJson = (name: string): Record<string, any> => JSON.parse(fixtureText(name));

const SIG_STREAM_TEXT =
  'EuYDCmMIDBgCKkC05Zda4P+Cdk/LQKE+Aol4ZY3EY4wLDrf8XcApz2PiqrxiRjS7uY1kGtZ63vVlaVmtuIpdsHbkdfGHb9AsBYw+MhljbGF1ZGUtaGFpa3UtNC01LTIwMjUxMDAxOAASDAXGiw23anViCe75HBoMATySwgVJ0A405/0FIjDbVX0lAn7rEq/ejcuOZWDihLSbS9KGihD2QsWmXzp2Ly5ZD5vtKOcKvhEDQ0PCeVkqsALmnx7FhoJ7TQQyomwwFY+zA/Sft9n7u3lNE/RzbZMF4jmvo9i1vtNLETK18iSdCAhSy+NJLFRK/vcw6sVaDNrEMGgIadv5iZ0Jmx+iHyR8sXbasYDMbN07/ype7JGpKxHCdQOrNA7plS39Yy5l7hqJz4ueYoCpMxc+IkNY+TCyMpKwGxYqKSUdElyLr0Ko3vXtdLJBTJQuMtU+cz+UPHkpTbGRPntg/hBvNztCjlqqeM6PKoE8rsDJMx0+q1eOrFPC9SYgCZqSGHlSHoOexnfkrN2aTlZjcBcFblXq76bKF1YHINp3uL+jByhp91XFSkhF+b43BC9PDtRUYKw3wT+IZlEI6V3GppKBDSa8L0Sgm8m1Bb2PYvi3oIv+LDpUImrMckjemNZmBeGcEZQ4FjZiGAE=';
const SIG_STREAM_TOOL =
  'EoQDCm0IDhgCKkCDzGs2kL2PgnDCZU/nM2wG2P1VIXCRHVnhDDzBQxNF1fl4QBXEKLxRItNJ2MwFdW9eeZPhsxSQIxD54cv3zs29MhljbGF1ZGUtaGFpa3UtNC01LTIwMjUxMDAxOABCCHRoaW5raW5nEgy/OWlwTmmqUjC6L70aDJ4P0R5NfuIe9U5zAiIwCxPduXS2UxCNxJCee3i91qK3cAyAgxCjL2wkQ5UD56iX1hXGOyuNaiH5k+dF5OCQKsQBxiAo+NjC61hV8nRYtaiP+C4inOcuMKuTG9Z1rysxTXkKBTl3oMiOlnEPHHPpKpg4sYF2G5VoTg8JTon20hdZw4GfTEVupnU1qAmnMqyAgke9SoV7HBW/PyA/FxL/q33xJ2gKFiD+BsgI9Z0koMmFKCvm2MoYE6u+ONEwKdFQXL1FKRW6t/bYbJGrLJLwxilsL82h9j4xjggjMn8Npvpn+zsrDPW/8PuLd4Pu+/EsjoneYwyxQQtUVgzhVGhhANWRjSBwUxgB';
const SIG_MESSAGES_THINKING =
  'EqYCCpMBCBAYAipAsqrYOGEqLx4yVo0+cVjQVdBwzWNDZHokiEsHIT3obviR6hdeBik5aa0p5pZNaIS9uipRp0EYcIN946pMU47CYjIZY2xhdWRlLWhhaWt1LTQtNS0yMDI1MTAwMTgAQgh0aGlua2luZ1okMDEzN2IxNWMtMTZiZi00OTBkLTlmOTAtOGNmZDdlMzI1ZWMwEgxDM7+UAr1Ud1NJCzYaDJszdVdXsV8FJmCJSCIw6+DrD/mZhhAwsGlyARf08TOl0ORm1mRYHFoWlZ6yIC1WaXhK9iI6Ah9ZlLsBaX6vKkA1vow8WYe7oRvZMQLmWd4wa3tmwiUnlATxuMDSTElHV2nOJxTym8y37AMK0EdqsWbBWNIdYywtnxVhCzGCkHMHGAE=';

const HELLO: readonly LLMMessage[] = [{ role: 'user', content: 'Hello' }];

let server: ReplayServer;
let provider: AnthropicProvider;

beforeAll(async () => {
  server = await new ReplayServer().start();
  provider = new AnthropicProvider({ apiKey: FAKE_KEY, baseURL: `${server.baseURL}/v1`, model: 'claude-haiku-4-5' });
});

afterAll(async () => {
  await server.stop();
  await closeAllPools();
});

function serve(route: ReplayRoute): void {
  server.enqueue(PATH, route);
}

/** What a consumer of a kernel-wrapped backend sees: the kernel keeps `usage` reports for the charge. */
async function collect(stream: InferenceStream): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of stream) if (event.type !== 'usage') events.push(event);
  return events;
}

async function streamFixture(fixture: string, route: Omit<ReplayRoute, 'fixture'> = {}): Promise<{ events: StreamEvent[]; output: InferenceOutput }> {
  serve({ fixture: `anthropic/${fixture}`, ...route });
  const stream = provider.inferStream(HELLO);
  const events = await collect(stream);
  return { events, output: await stream.output() };
}

async function streamBody(body: string, route: Omit<ReplayRoute, 'body'> = {}): Promise<{ events: StreamEvent[]; stream: InferenceStream }> {
  serve({ status: 200, headers: { 'content-type': 'text/event-stream', 'request-id': 'req_synthetic_1' }, body, ...route });
  const stream = provider.inferStream(HELLO);
  return { events: await collect(stream), stream };
}

function terminalEvents(events: readonly StreamEvent[]): StreamEvent[] {
  return events.filter((event) => event.type === 'done' || event.type === 'error');
}

function errorOf(events: readonly StreamEvent[]): HyperAgentError {
  const last = events[events.length - 1];
  if (last?.type !== 'error') throw new Error(`expected the stream to end with an error event, got ${last?.type}`);
  return last.error;
}

/** The value's structure with leaves replaced by their type, to compare infer and stream outputs. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, shape(v)]));
  return typeof value;
}

const perMillion = (tokens: number, usd: number): number => (tokens * usd) / 1_000_000;

describe('every recorded Anthropic fixture is exercised', () => {
  it('lists exactly the fixtures this file replays', () => {
    const bodies = readdirSync(join(FIXTURES_DIR, 'anthropic')).filter((name) => !name.endsWith('.headers.txt'));
    expect(bodies.sort()).toEqual(
      [
        'error-400-prompt-too-long.json',
        'error-401-authentication.json',
        'error-404-not-found-model.json',
        'error-event-overloaded.observed.txt',
        'messages-prompt-cache-read.json',
        'messages-prompt-cache-write.json',
        'messages-text.json',
        'messages-thinking.json',
        'stream-text.sse',
        'stream-thinking-signature-text.sse',
        'stream-thinking-then-tool-use.sse',
        'stream-tool-use-input-json-delta.sse',
      ].sort(),
    );
  });
});

describe('infer: non-streamed message bodies', () => {
  it('messages-text.json: text, finish reason, usage, ids and cost', async () => {
    serve({ fixture: 'anthropic/messages-text.json' });
    const output = await provider.infer(HELLO);
    expect(output).toEqual({
      content: "Hello! As an AI language model, I don't have feelings, but I'm functioning properly and ready to assist you. How can I help you today?",
      confidence: 1,
      tokenUsage: { promptTokens: 13, completionTokens: 35, totalTokens: 48, cachedTokens: 0, cacheWriteTokens: 0 },
      finishReason: 'stop',
      metadata: {
        provider: 'anthropic',
        model: 'claude-3-opus-20240229',
        requestId: 'req_011CSFCDzbeWe2qGKAeNMhfZ',
        responseId: 'msg_014pVpaDLxzAdWjwpuN7rQQX',
        rawFinishReason: 'end_turn',
      },
    });
    const cost = calculateCost(provider.modelInfo(output.metadata.model), output.tokenUsage);
    expect(cost).toBeCloseTo(perMillion(13, 15) + perMillion(35, 75), 12);
  });

  it('messages-prompt-cache-write.json: cache writes are part of promptTokens and billed at the 5m write rate (1.25x input)', async () => {
    serve({ fixture: 'anthropic/messages-prompt-cache-write.json' });
    const output = await provider.infer(HELLO);
    // input_tokens 10 + cache_creation_input_tokens 7351 + cache_read_input_tokens 0
    expect(output.tokenUsage).toEqual({ promptTokens: 7361, completionTokens: 4, totalTokens: 7365, cachedTokens: 0, cacheWriteTokens: 7351 });
    expect(output.content).toBe('OK');
    expect(output.finishReason).toBe('stop');
    expect(output.metadata.model).toBe('claude-haiku-4-5-20251001');
    expect(output.metadata.responseId).toBe('msg_011CeCGmEvpLavqWk6LbVTKT');
    // The recording replaced the header value with a placeholder; we report what the header says.
    expect(output.metadata.requestId).toBe('<REQUEST_ID>');
    expect(output.metadata.rateLimit).toMatchObject({ limitRequests: 10000, remainingRequests: 9999, limitTokens: 12000000, remainingTokens: 11998000 });
    const info = provider.modelInfo(output.metadata.model);
    expect(info.pricing).toEqual({ input: 1, output: 5, cacheWrite: 1.25, cachedInput: 0.1, cacheWrite1h: 2 });
    const expected = perMillion(10, 1) + perMillion(7351, 1.25) + perMillion(4, 5);
    expect(calculateCost(info, output.tokenUsage)).toBeCloseTo(expected, 12);
    expect(expected).toBeCloseTo(0.00921875, 12);
  });

  it('messages-prompt-cache-read.json: cache reads are part of promptTokens and billed at the cached rate (0.1x input)', async () => {
    serve({ fixture: 'anthropic/messages-prompt-cache-read.json' });
    const output = await provider.infer(HELLO);
    expect(output.tokenUsage).toEqual({ promptTokens: 7361, completionTokens: 4, totalTokens: 7365, cachedTokens: 7351, cacheWriteTokens: 0 });
    expect(output.metadata.responseId).toBe('msg_011CeCGmJuBv4nzeaMk9ez38');
    const expected = perMillion(10, 1) + perMillion(7351, 0.1) + perMillion(4, 5);
    expect(calculateCost(provider.modelInfo(output.metadata.model), output.tokenUsage)).toBeCloseTo(expected, 12);
    expect(expected).toBeCloseTo(0.0007651, 12);
  });

  it('messages-thinking.json: signed thinking, text and thinking_tokens', async () => {
    serve({ fixture: 'anthropic/messages-thinking.json' });
    const output = await provider.infer(HELLO);
    expect(output.content).toBe('5 + 3 = **8**');
    expect(output.reasoning).toBe('This is a simple arithmetic question. 5 + 3 = 8.');
    expect(output.reasoningParts).toEqual([{ text: 'This is a simple arithmetic question. 5 + 3 = 8.', signature: SIG_MESSAGES_THINKING }]);
    expect(output.tokenUsage).toEqual({ promptTokens: 45, completionTokens: 39, totalTokens: 84, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 23 });
    expect(output.finishReason).toBe('stop');
    expect(output.toolCalls).toBeUndefined();
  });
});

describe('reasoning round-trip: signed thinking goes back unchanged', () => {
  it('the thinking fixture output, as an assistant message, converts back to the identical thinking block', async () => {
    serve({ fixture: 'anthropic/messages-thinking.json' });
    const output = await provider.infer(HELLO);
    const recorded = fixtureJson('messages-thinking.json').content;
    const assistant: LLMMessage = { role: 'assistant', content: output.content, reasoning: output.reasoningParts };
    const { messages } = convertToAnthropicMessages([...HELLO, assistant]);
    expect(messages[1]).toEqual({ role: 'assistant', content: recorded });
    expect(messages[1].content[0]).toEqual({ type: 'thinking', thinking: 'This is a simple arithmetic question. 5 + 3 = 8.', signature: SIG_MESSAGES_THINKING });

    serve({ fixture: 'anthropic/messages-text.json' });
    await provider.infer([...HELLO, assistant, { role: 'user', content: 'And 6 + 3?' }]);
    const sent = server.requests[server.requests.length - 1].body as { messages: unknown[] };
    expect(sent.messages[1]).toEqual({ role: 'assistant', content: recorded });
  });

  it('a streamed thinking turn with a tool call converts back to thinking + tool_use blocks', async () => {
    const { output } = await streamFixture('stream-thinking-then-tool-use.sse');
    const assistant: LLMMessage = { role: 'assistant', content: output.content, reasoning: output.reasoningParts, toolCalls: output.toolCalls };
    const { messages } = convertToAnthropicMessages([...HELLO, assistant]);
    expect(messages[1].content).toEqual([
      {
        type: 'thinking',
        thinking:
          'The user wants me to:\n1. Use the fixed_version tool\n2. Tell them the version\n3. Make a short joke about it\n\nLet me first call the fixed_version tool to see what version it returns.',
        signature: SIG_STREAM_TOOL,
      },
      { type: 'tool_use', id: 'toolu_01825dXWLSoJwCst1qTsiWdb', name: 'fixed_version', input: {} },
    ]);
  });
});

const STREAM_TEXT_USAGE: TokenUsage = { promptTokens: 10, completionTokens: 4, totalTokens: 14, cachedTokens: 0, cacheWriteTokens: 0 };

describe('inferStream: recorded SSE streams', () => {
  it("stream-text.sse: message_start's usage is reported as it arrives, so a stream cut short is charged it", async () => {
    serve({ fixture: 'anthropic/stream-text.sse' });
    const events: StreamEvent[] = [];
    for await (const event of provider.inferStream(HELLO)) events.push(event);
    expect(events[0]).toEqual({ type: 'usage', tokenUsage: { promptTokens: 10, completionTokens: 2, totalTokens: 12, cachedTokens: 0, cacheWriteTokens: 0 } });
    expect(events.filter((event) => event.type === 'usage')).toHaveLength(1);
  });

  it('stream-text.sse: one text delta, then done with the final message_delta usage', async () => {
    const { events, output } = await streamFixture('stream-text.sse');
    expect(events).toEqual([
      { type: 'text-delta', text: 'Hello' },
      { type: 'done', tokenUsage: STREAM_TEXT_USAGE, finishReason: 'stop' },
    ]);
    expect(output).toEqual({
      content: 'Hello',
      confidence: 1,
      tokenUsage: STREAM_TEXT_USAGE,
      finishReason: 'stop',
      metadata: {
        provider: 'anthropic',
        model: 'claude-haiku-4-5-20251001',
        requestId: 'req_011CZknL2bUdgvrtea9HYSrj',
        responseId: 'msg_01T8kTq7cYyYJeQ5DxcVUc6D',
        rawFinishReason: 'end_turn',
        rateLimit: expect.objectContaining({ limitRequests: 20000, remainingRequests: 19999, limitTokens: 4800000, remainingTokens: 4800000 }),
      },
    });
  });

  it('stream-thinking-signature-text.sse: thinking deltas (empty one skipped), signature, then text', async () => {
    const { events, output } = await streamFixture('stream-thinking-signature-text.sse');
    const reasoning = [
      'The user wants',
      " two names for a pet pelican, and they want me to be brief. I'll suggest two names that would suit a pelican well.",
      '\n\nSome good options:\n- Pelé (play on pelican)\n- Pouch',
      ' (referencing their bill pouch)\n- Captain Beak\n- Squ',
      'irt\n- Scoop\n- Wing\n\nLet me give two brief, catchy names:',
    ];
    const usage: TokenUsage = { promptTokens: 46, completionTokens: 133, totalTokens: 179, cachedTokens: 0, cacheWriteTokens: 0 };
    expect(events).toEqual([
      ...reasoning.map((text) => ({ type: 'reasoning-delta', text })),
      { type: 'reasoning-signature', signature: SIG_STREAM_TEXT },
      { type: 'text-delta', text: '1. **Pouch** - references their iconic bill pouch\n2. **Pelé** - play' },
      { type: 'text-delta', text: 'ful take on "pelican"' },
      { type: 'done', tokenUsage: usage, finishReason: 'stop' },
    ]);
    expect(output.content).toBe('1. **Pouch** - references their iconic bill pouch\n2. **Pelé** - playful take on "pelican"');
    expect(output.reasoning).toBe(reasoning.join(''));
    expect(output.reasoningParts).toEqual([{ text: reasoning.join(''), signature: SIG_STREAM_TEXT }]);
    expect(output.tokenUsage).toEqual(usage);
    expect(output.metadata).toMatchObject({ responseId: 'msg_01Eg56TYRnKCEgWtZu2yjR1t', requestId: 'req_011CZknLUJYvpB2LarebrVDv', rawFinishReason: 'end_turn' });
  });

  it('stream-thinking-then-tool-use.sse: signed thinking, a tool with empty input → {}, thinking_tokens', async () => {
    const { events, output } = await streamFixture('stream-thinking-then-tool-use.sse');
    const toolCall = { id: 'toolu_01825dXWLSoJwCst1qTsiWdb', name: 'fixed_version', arguments: {}, rawArguments: '' };
    const usage: TokenUsage = { promptTokens: 598, completionTokens: 92, totalTokens: 690, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 53 };
    expect(events).toEqual([
      { type: 'reasoning-delta', text: 'The user wants me to:\n1' },
      {
        type: 'reasoning-delta',
        text: '. Use the fixed_version tool\n2. Tell them the version\n3. Make a short joke about it\n\nLet me first call the fixed_version tool to see what version it returns.',
      },
      { type: 'reasoning-signature', signature: SIG_STREAM_TOOL },
      { type: 'tool-call-start', id: toolCall.id, name: 'fixed_version', index: 0 },
      { type: 'tool-call-end', id: toolCall.id, toolCall },
      { type: 'done', tokenUsage: usage, finishReason: 'tool-calls' },
    ]);
    expect(output.toolCalls).toEqual([toolCall]);
    expect(output.content).toBe('');
    expect(output.metadata).toMatchObject({ rawFinishReason: 'tool_use', requestId: 'req_011CbVjqiXA7wxBTF7BBSFMV', responseId: 'msg_01JdU4xqNHXL9QCFWkwCDKGr' });
  });

  it('stream-tool-use-input-json-delta.sse: start at block start, one delta per non-empty fragment, parsed input at block stop', async () => {
    const { events, output } = await streamFixture('stream-tool-use-input-json-delta.sse');
    const id = 'toolu_01MKSN7NHsBVKr7Jvw5pqCQq';
    const fragments = ['{"latitude"', ': ', '"52.5200"', ', "long', 'itude": ', '"13.4050"}'];
    const toolCall = { id, name: 'weather', arguments: { latitude: '52.5200', longitude: '13.4050' }, rawArguments: fragments.join('') };
    const usage: TokenUsage = { promptTokens: 633, completionTokens: 75, totalTokens: 708, cachedTokens: 0, cacheWriteTokens: 0 };
    expect(events).toEqual([
      { type: 'tool-call-start', id, name: 'weather', index: 0 },
      ...fragments.map((argumentsDelta) => ({ type: 'tool-call-delta', id, argumentsDelta })),
      { type: 'tool-call-end', id, toolCall },
      { type: 'done', tokenUsage: usage, finishReason: 'tool-calls' },
    ]);
    expect(output.toolCalls).toEqual([toolCall]);
    expect(output.finishReason).toBe('tool-calls');
    // The recording replaced the request id with a placeholder.
    expect(output.metadata.requestId).toBe('<REQUEST_ID>');
    expect(calculateCost(provider.modelInfo(output.metadata.model), output.tokenUsage)).toBeCloseTo(perMillion(633, 1) + perMillion(75, 5), 12);
  });

  it.each(['stream-text.sse', 'stream-thinking-signature-text.sse', 'stream-thinking-then-tool-use.sse', 'stream-tool-use-input-json-delta.sse'])(
    '%s ends with exactly one terminal event, and it is the last',
    async (fixture) => {
      const { events } = await streamFixture(fixture);
      expect(terminalEvents(events)).toHaveLength(1);
      expect(events[events.length - 1].type).toBe('done');
    },
  );

  it('stream.output() has the same shape as infer() for the same kind of answer', async () => {
    const { output: streamed } = await streamFixture('stream-text.sse');
    serve({ fixture: 'anthropic/messages-prompt-cache-read.json' });
    const inferred = await provider.infer(HELLO);
    expect(shape(streamed)).toEqual(shape(inferred));

    const { output: streamedThinking } = await streamFixture('stream-thinking-signature-text.sse');
    serve({ fixture: 'anthropic/messages-thinking.json' });
    const inferredThinking = await provider.infer(HELLO);
    const withoutUsage = ({ tokenUsage: _usage, ...rest }: InferenceOutput): unknown => shape(rest);
    expect(withoutUsage(streamedThinking)).toEqual(withoutUsage(inferredThinking));
  });

  it('output() without iterating consumes the stream itself', async () => {
    serve({ fixture: 'anthropic/stream-text.sse' });
    const output = await provider.inferStream(HELLO).output();
    expect(output.content).toBe('Hello');
    expect(output.tokenUsage).toEqual(STREAM_TEXT_USAGE);
  });
});

describe('chunked delivery: tiny TCP writes assemble identically', () => {
  const fixtures = ['stream-text.sse', 'stream-thinking-signature-text.sse', 'stream-thinking-then-tool-use.sse', 'stream-tool-use-input-json-delta.sse'];

  it.each(fixtures)('%s in 5-byte pieces', async (fixture) => {
    const whole = await streamFixture(fixture);
    const chunked = await streamFixture(fixture, { chunkSize: 5 });
    expect(chunked.events).toEqual(whole.events);
    expect(chunked.output).toEqual(whole.output);
  });

  it('stream-thinking-signature-text.sse in 1-byte pieces (multi-byte "é" split across writes)', async () => {
    const whole = await streamFixture('stream-thinking-signature-text.sse');
    const chunked = await streamFixture('stream-thinking-signature-text.sse', { chunkSize: 1 });
    expect(chunked.events).toEqual(whole.events);
    expect(chunked.output).toEqual(whole.output);
  });
});

describe('Anthropic wire quirks from SOURCES.md', () => {
  it('data lines padded with trailing spaces and {"type": "ping"} with a space are JSON-decoded, not string-compared', async () => {
    const raw = fixtureText('stream-text.sse');
    expect(raw).toContain('data: {"type": "ping"}');
    expect(raw).toContain('{"type":"message_stop"   }');
    const { events } = await streamFixture('stream-text.sse');
    expect(events.map((event) => event.type)).toEqual(['text-delta', 'done']);
  });

  it('message_delta usage is cumulative: the final values replace message_start values, never add to them (stream-text.sse: output 2 → 4)', async () => {
    const raw = fixtureText('stream-text.sse');
    expect(raw).toMatch(/"message_start".*"input_tokens":10,.*"output_tokens":2/);
    expect(raw).toMatch(/"message_delta".*"input_tokens":10,.*"output_tokens":4/);
    const { output } = await streamFixture('stream-text.sse');
    expect(output.tokenUsage).toEqual({ promptTokens: 10, completionTokens: 4, totalTokens: 14, cachedTokens: 0, cacheWriteTokens: 0 });
  });

  it('message_delta cache counters that differ from message_start win as they are (recorded stream, counters edited)', async () => {
    const raw = fixtureText('stream-text.sse')
      .replace('"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"cache_creation"', '"cache_creation_input_tokens":100,"cache_read_input_tokens":50,"cache_creation"')
      .replace('"usage":{"input_tokens":10,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":4}', '"usage":{"input_tokens":10,"cache_creation_input_tokens":7351,"cache_read_input_tokens":0,"output_tokens":4}');
    expect(raw).toContain('"cache_read_input_tokens":50');
    expect(raw).toContain('"cache_creation_input_tokens":7351');
    const { events } = await streamBody(raw);
    expect(events[events.length - 1]).toEqual({
      type: 'done',
      tokenUsage: { promptTokens: 7361, completionTokens: 4, totalTokens: 7365, cachedTokens: 0, cacheWriteTokens: 7351 },
      finishReason: 'stop',
    });
  });

  it('a message_delta without cache counters keeps the message_start ones (older API versions sent only output_tokens)', async () => {
    const raw = fixtureText('stream-text.sse')
      .replace('"cache_read_input_tokens":0,"cache_creation"', '"cache_read_input_tokens":7351,"cache_creation"')
      .replace('"usage":{"input_tokens":10,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":4}', '"usage":{"output_tokens":4}');
    const { events } = await streamBody(raw);
    expect(events[events.length - 1]).toMatchObject({ type: 'done', tokenUsage: { promptTokens: 7361, cachedTokens: 7351, completionTokens: 4 } });
  });

  it('the first input_json_delta is often "" and a tool without arguments sends only that: accumulated "" means {}', async () => {
    const raw = fixtureText('stream-thinking-then-tool-use.sse');
    expect(raw).toContain('"partial_json":""');
    const { output } = await streamFixture('stream-thinking-then-tool-use.sse');
    expect(output.toolCalls?.[0].arguments).toEqual({});
  });
});

const MESSAGE_START = fixtureText('stream-text.sse').split('\n\n')[0];
const TEXT_START = 'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}';
const TEXT_DELTA = 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}';
const USAGE_SO_FAR: TokenUsage = { promptTokens: 10, completionTokens: 2, totalTokens: 12, cachedTokens: 0, cacheWriteTokens: 0 };

describe('mid-stream error event', () => {
  it('the observed overloaded_error payload ends the stream with one retryable OverloadedError carrying usage so far', async () => {
    const payload = fixtureText('error-event-overloaded.observed.txt').trimEnd();
    expect(payload).toBe('{"type":"error","error":{"details":null,"type":"overloaded_error","message":"Overloaded"} }');
    const body = [MESSAGE_START, TEXT_START, TEXT_DELTA, `event: error\ndata: ${payload}`].join('\n\n') + '\n\n';
    const { events, stream } = await streamBody(body);
    expect(events.map((event) => event.type)).toEqual(['text-delta', 'error']);
    expect(terminalEvents(events)).toHaveLength(1);
    const last = events[1] as Extract<StreamEvent, { type: 'error' }>;
    expect(last.tokenUsage).toEqual(USAGE_SO_FAR);
    expect(last.error).toBeInstanceOf(OverloadedError);
    expect(last.error).toMatchObject({ code: 'HA_OVERLOADED', retryable: true, provider: 'anthropic', providerCode: 'overloaded_error', requestId: 'req_synthetic_1' });
    expect(last.error.message).toContain('Overloaded');
    await expect(stream.output()).rejects.toBeInstanceOf(OverloadedError);
  });

  it('a mid-stream rate_limit_error maps like HTTP 429: retryable RateLimitError', async () => {
    const body = [MESSAGE_START, `event: error\ndata: {"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit"}}`].join('\n\n') + '\n\n';
    const { events } = await streamBody(body);
    const error = errorOf(events);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryable).toBe(true);
  });
});

describe('broken streams', () => {
  it('a stream cut mid-body (truncateAt) ends with exactly one error event and the usage so far', async () => {
    const raw = fixtureText('stream-text.sse');
    const cut = Buffer.byteLength(raw.slice(0, raw.indexOf('event: content_block_stop')));
    serve({ fixture: 'anthropic/stream-text.sse', truncateAt: cut });
    const stream = provider.inferStream(HELLO);
    const events = await collect(stream);
    await expect(stream.output()).rejects.toBeInstanceOf(HyperAgentError);
    expect(events.map((event) => event.type)).toEqual(['text-delta', 'error']);
    expect(terminalEvents(events)).toHaveLength(1);
    expect((events[1] as Extract<StreamEvent, { type: 'error' }>).tokenUsage).toEqual(USAGE_SO_FAR);
    expect(errorOf(events).retryable).toBe(true);
  });

  it('a body that ends cleanly before message_stop is a retryable InvalidResponseError with usage so far', async () => {
    const body = [MESSAGE_START, TEXT_START, TEXT_DELTA].join('\n\n') + '\n\n';
    const { events } = await streamBody(body);
    expect(events.map((event) => event.type)).toEqual(['text-delta', 'error']);
    const error = errorOf(events);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('message_stop');
    expect((events[1] as Extract<StreamEvent, { type: 'error' }>).tokenUsage).toEqual(USAGE_SO_FAR);
  });

  it('malformed JSON in a data line is an InvalidResponseError event', async () => {
    const body = [MESSAGE_START, 'event: content_block_start\ndata: {"type":"content_block_start","index":0,'].join('\n\n') + '\n\n';
    const { events } = await streamBody(body);
    expect(events).toHaveLength(1);
    const error = errorOf(events);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toContain('not a JSON object');
    expect((events[0] as Extract<StreamEvent, { type: 'error' }>).tokenUsage).toEqual(USAGE_SO_FAR);
  });

  it('tool input that never parses is a ToolArgumentsError event naming the tool', async () => {
    const body =
      [
        MESSAGE_START,
        'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_bad","name":"weather","input":{}}}',
        'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\\"latitude\\": "}}',
        'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}',
        'event: message_stop\ndata: {"type":"message_stop"}',
      ].join('\n\n') + '\n\n';
    const { events } = await streamBody(body);
    expect(events.map((event) => event.type)).toEqual(['tool-call-start', 'tool-call-delta', 'error']);
    const error = errorOf(events);
    expect(error).toBeInstanceOf(ToolArgumentsError);
    expect(error).toMatchObject({ toolName: 'weather', toolCallId: 'toolu_bad', rawArguments: '{"latitude": ' });
  });
});

describe('HTTP error fixtures map to typed errors', () => {
  async function failure(fixture: string): Promise<HyperAgentError> {
    serve({ fixture: `anthropic/${fixture}` });
    const error = await provider.infer(HELLO).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(HyperAgentError);
    return error as HyperAgentError;
  }

  function expectNoKey(error: HyperAgentError): void {
    for (const text of [error.message, String(error), error.stack ?? '', JSON.stringify(error), JSON.stringify(error.body ?? null)]) {
      expect(text).not.toContain(FAKE_KEY);
    }
  }

  it('400 "prompt is too long" → ContextLengthError, not retryable', async () => {
    const error = await failure('error-400-prompt-too-long.json');
    expect(error).toBeInstanceOf(ContextLengthError);
    expect(error).toMatchObject({ status: 400, retryable: false, provider: 'anthropic', providerCode: 'invalid_request_error', requestId: '<REQUEST_ID>' });
    expect(error.message).toContain('prompt is too long: 3333404 tokens > 200000 maximum');
    expectNoKey(error);
  });

  it('401 with X-Should-Retry: false → AuthenticationError, not retryable, naming ANTHROPIC_API_KEY but never the key', async () => {
    const error = await failure('error-401-authentication.json');
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, retryable: false, providerCode: 'authentication_error', requestId: '<REQUEST_ID>' });
    expect(error.message).toContain('invalid x-api-key');
    expect(error.message).toContain('ANTHROPIC_API_KEY');
    expectNoKey(error);
  });

  it('404 unknown model → ModelNotFoundError with the request id from the body', async () => {
    const error = await failure('error-404-not-found-model.json');
    expect(error).toBeInstanceOf(ModelNotFoundError);
    expect(error).toMatchObject({ status: 404, retryable: false, providerCode: 'not_found_error', requestId: 'req_011CdufXo8Y2LVfY2veyuQWG' });
    expect(error.message).toContain('model: claude-sonet-4-5');
    expectNoKey(error);
  });

  it('the same errors arrive as the one error event of a stream', async () => {
    serve({ fixture: 'anthropic/error-401-authentication.json' });
    const events = await collect(provider.inferStream(HELLO));
    expect(events).toHaveLength(1);
    expect(errorOf(events)).toBeInstanceOf(AuthenticationError);
    expectNoKey(errorOf(events));
  });
});

describe('API key', () => {
  const keyless = (env: Record<string, string | undefined>): AnthropicProvider => new AnthropicProvider({ baseURL: `${server.baseURL}/v1`, env });

  it('a missing key fails at call time with MissingApiKeyError saying what to set, while modelInfo works', async () => {
    const backend = keyless({});
    expect(backend.modelInfo().provider).toBe('anthropic');
    const requestsBefore = server.requests.length;
    await expect(backend.infer(HELLO)).rejects.toBeInstanceOf(MissingApiKeyError);
    await expect(backend.infer(HELLO)).rejects.toThrow(/ANTHROPIC_API_KEY/);
    const events = await collect(backend.inferStream(HELLO));
    expect(events).toHaveLength(1);
    expect(errorOf(events)).toBeInstanceOf(MissingApiKeyError);
    expect(server.requests.length).toBe(requestsBefore);
  });

  it('falls back to ANTHROPIC_API_KEY from the environment', async () => {
    serve({ fixture: 'anthropic/messages-text.json' });
    await keyless({ ANTHROPIC_API_KEY: FAKE_KEY }).infer(HELLO);
    expect(server.requests[server.requests.length - 1].headers['x-api-key']).toBe(FAKE_KEY);
  });
});

describe('stream lifecycle', () => {
  afterEach(async () => {
    await closeAllPools();
  });

  it('breaking out of the loop early closes the socket', async () => {
    const local = await new ReplayServer().start();
    try {
      const backend = new AnthropicProvider({ apiKey: FAKE_KEY, baseURL: `${local.baseURL}/v1` });
      local.enqueue(PATH, { fixture: 'anthropic/stream-thinking-signature-text.sse', chunkSize: 64, delayMs: 20 });
      const pool = poolFor(local.baseURL);
      const seen: StreamEvent[] = [];
      for await (const event of backend.inferStream(HELLO)) {
        seen.push(event);
        expect(pool.stats.connected).toBe(1);
        break;
      }
      expect(seen).toHaveLength(1);
      await expect.poll(() => pool.stats.connected, { timeout: 2000, interval: 10 }).toBe(0);
      // The server saw the client hang up before the response was fully written.
      await expect.poll(() => local.hangUps, { timeout: 2000, interval: 10 }).toEqual([PATH]);
    } finally {
      await local.stop();
    }
  });

  it('aborting via the signal ends the stream promptly with one AbortError event', async () => {
    const local = await new ReplayServer().start();
    try {
      const backend = new AnthropicProvider({ apiKey: FAKE_KEY, baseURL: `${local.baseURL}/v1` });
      // The first 1000 bytes hold the first reasoning delta; the rest would take another 1.5 s to arrive.
      local.enqueue(PATH, { fixture: 'anthropic/stream-thinking-signature-text.sse', chunkSize: 1000, delayMs: 500 });
      const controller = new AbortController();
      const stream = backend.inferStream(HELLO, [], { signal: controller.signal });
      const events: StreamEvent[] = [];
      let abortedAt = 0;
      for await (const event of stream) {
        events.push(event);
        if (events.length === 1) {
          abortedAt = performance.now();
          controller.abort();
        }
      }
      expect(performance.now() - abortedAt).toBeLessThan(300);
      expect(terminalEvents(events)).toHaveLength(1);
      expect(errorOf(events)).toBeInstanceOf(AbortError);
      await expect(stream.output()).rejects.toBeInstanceOf(AbortError);
    } finally {
      await local.stop();
    }
  });

  it('a signal aborted before the call yields one AbortError and sends nothing', async () => {
    const before = server.requests.length;
    const events = await collect(provider.inferStream(HELLO, [], { signal: AbortSignal.abort() }));
    expect(events).toHaveLength(1);
    expect(errorOf(events)).toBeInstanceOf(AbortError);
    await expect(provider.infer(HELLO, [], { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortError);
    expect(server.requests.length).toBe(before);
  });
});

describe('model catalog and prices', () => {
  it('dated ids and aliases resolve to one catalog entry', () => {
    expect(resolveAnthropicModel('claude-haiku-4-5-20251001')).toBe('claude-haiku-4-5-20251001');
    expect(resolveAnthropicModel('claude-haiku-4-5')).toBe('claude-haiku-4-5-20251001');
    expect(resolveAnthropicModel('claude-sonnet-4-5')).toBe('claude-sonnet-4-5-20250929');
    expect(resolveAnthropicModel('claude-3-5-sonnet-latest')).toBe('claude-3-5-sonnet-20241022');
    expect(resolveAnthropicModel('claude-opus-4-6-20260205')).toBe('claude-opus-4-6');
    expect(anthropicModelInfo('claude-haiku-4-5-20251001').pricing).toEqual(anthropicModelInfo('claude-haiku-4-5').pricing);
  });

  it('unknown ids answer with pricing "unknown", never a made-up price', () => {
    const info = anthropicModelInfo('claude-imaginary-9');
    expect(info).toMatchObject({ id: 'claude-imaginary-9', provider: 'anthropic', pricing: 'unknown', contextWindow: undefined, maxOutputTokens: undefined });
    expect(calculateCost(info, { promptTokens: 10, completionTokens: 10, totalTokens: 20 })).toBeUndefined();
  });

  it('seed and current models carry prices, limits, a dated source and the seed rate-limit defaults', () => {
    const expected: Record<string, [number, number]> = {
      'claude-3-5-sonnet-20241022': [3, 15],
      'claude-3-5-haiku-20241022': [0.8, 4],
      'claude-3-opus-20240229': [15, 75],
      'claude-3-haiku-20240307': [0.25, 1.25],
      'claude-sonnet-4-5': [3, 15],
      'claude-haiku-4-5': [1, 5],
      'claude-opus-4-1': [15, 75],
      'claude-opus-4-5': [5, 25],
      'claude-sonnet-4': [3, 15],
      'claude-opus-4': [15, 75],
      'claude-3-7-sonnet': [3, 15],
    };
    expect(DEFAULT_RATE_LIMITS).toEqual({ rpm: 50, tpm: 40_000 });
    for (const [id, [input, output]] of Object.entries(expected)) {
      const info = anthropicModelInfo(id);
      expect(info.pricing, id).toMatchObject({ input, output });
      const pricing = info.pricing as { input: number; cacheWrite: number; cachedInput: number };
      // Anthropic's multipliers; Claude Haiku 3 is the documented exception ($0.30 write, $0.03 read on $0.25).
      if (id !== 'claude-3-haiku-20240307') {
        expect(pricing.cacheWrite, id).toBeCloseTo(input * 1.25, 10);
        expect(pricing.cachedInput, id).toBeCloseTo(input * 0.1, 10);
      }
      expect(info.pricingSource, id).toMatch(/\d{4}-\d{2}-\d{2}/);
      expect(info.contextWindow, id).toBeGreaterThanOrEqual(200_000);
      expect(info.maxOutputTokens, id).toBeGreaterThanOrEqual(4096);
      expect(info.rateLimits, id).toEqual({ rpm: 50, tpm: 40_000 });
      expect(info.capabilities.embeddings).toBe(false);
    }
    expect(anthropicModelInfo('claude-3-haiku-20240307').pricing).toEqual({ input: 0.25, output: 1.25, cacheWrite: 0.3, cachedInput: 0.03, cacheWrite1h: 0.5 });
    expect(ANTHROPIC_MODEL_IDS.length).toBeGreaterThan(20);
  });

  it('withRateLimits and withMaxTokens return new providers; the original is unchanged', () => {
    const base = AnthropicProvider.claude35Sonnet(FAKE_KEY);
    const limited = base.withRateLimits(5, 1000);
    expect(limited).not.toBe(base);
    expect(limited.modelInfo().rateLimits).toEqual({ rpm: 5, tpm: 1000 });
    expect(base.modelInfo().rateLimits).toEqual(DEFAULT_RATE_LIMITS);
    const capped = limited.withMaxTokens(256);
    expect(capped.maxTokens).toBe(256);
    expect(limited.maxTokens).toBeUndefined();
    expect(capped.modelInfo().rateLimits).toEqual({ rpm: 5, tpm: 1000 });
    expect(() => base.withRateLimits(0, 10)).toThrow(TypeError);
    expect(() => base.withMaxTokens(1.5)).toThrow(/maxTokens/);
  });

  it('presets pick the seed models; those whose model was retired call its successor (test/retired-presets.test.ts)', () => {
    expect(AnthropicProvider.claude35Sonnet(FAKE_KEY).model).toBe('claude-sonnet-4-6');
    expect(AnthropicProvider.claude35Haiku(FAKE_KEY).model).toBe('claude-haiku-4-5');
    expect(AnthropicProvider.claude3Opus(FAKE_KEY).model).toBe('claude-opus-4-6');
    expect(AnthropicProvider.claude3Haiku(FAKE_KEY).model).toBe('claude-3-haiku-20240307');
    expect(AnthropicProvider.claudeSonnet45(FAKE_KEY).model).toBe('claude-sonnet-4-5');
    expect(AnthropicProvider.claudeHaiku45(FAKE_KEY).model).toBe('claude-haiku-4-5');
    expect(new AnthropicProvider(FAKE_KEY, 'claude-opus-4-5').model).toBe('claude-opus-4-5');
    expect(AnthropicProvider.claude35Sonnet(FAKE_KEY).supportsFunctionCalling()).toBe(true);
    expect(AnthropicProvider.claude35Sonnet(FAKE_KEY).supportsStreaming()).toBe(true);
  });
});

describe('embeddings', () => {
  it('embed rejects with UnsupportedError pointing to an OpenAI-compatible backend', async () => {
    await expect(provider.embed('hello')).rejects.toBeInstanceOf(UnsupportedError);
    await expect(provider.embed(['a', 'b'])).rejects.toThrow(
      'Anthropic has no embeddings API; configure an OpenAI or OpenAI-compatible backend for embeddings',
    );
  });
});

describe('provider definition', () => {
  it('is named anthropic, has an options schema, and creates a backend synchronously from config', () => {
    expect(anthropicDefinition.name).toBe('anthropic');
    expect(anthropicDefinition.optionsSchema).toMatchObject({ type: 'object', additionalProperties: false });
    const backend = anthropicDefinition.create(
      { provider: 'anthropic', model: 'claude-3-5-haiku-20241022', maxTokens: 512, rateLimits: { rpm: 7, tpm: 700 }, options: { anthropicBeta: ['a-beta'] } },
      { backendName: 'claude', configDir: '.', env: {} },
    );
    expect(backend).toBeInstanceOf(AnthropicProvider);
    const created = backend as AnthropicProvider;
    expect(created.model).toBe('claude-3-5-haiku-20241022');
    expect(created.maxTokens).toBe(512);
    expect(created.modelInfo().rateLimits).toEqual({ rpm: 7, tpm: 700 });
  });
});

describe('through the kernel', () => {
  it('a wrapped stream keeps the provider metadata and is charged at the cache-write price', async () => {
    const kernel = new Kernel();
    const costs: CostEvent[] = [];
    kernel.hooks.onCost.tap('test', (event) => {
      costs.push(event);
    });
    kernel.register('claude', provider);
    serve({ fixture: 'anthropic/stream-thinking-then-tool-use.sse' });
    const stream = kernel.backend('claude').inferStream(HELLO);
    const output = await stream.output();
    expect(output.metadata).toMatchObject({ backend: 'claude', provider: 'anthropic', model: 'claude-haiku-4-5-20251001', requestId: 'req_011CbVjqiXA7wxBTF7BBSFMV' });
    expect(output.toolCalls?.[0].arguments).toEqual({});

    serve({ fixture: 'anthropic/messages-prompt-cache-write.json' });
    const inferred = await kernel.backend('claude').infer(HELLO);
    const expected = perMillion(10, 1) + perMillion(7351, 1.25) + perMillion(4, 5);
    expect(inferred.metadata.costUsd).toBeCloseTo(expected, 12);
    expect(costs.map((event) => event.partial)).toEqual([false, false]);
    expect(costs[1].costUsd).toBeCloseTo(expected, 12);
  });
});

describe('finish reasons', () => {
  it('maps every documented stop_reason', () => {
    expect(mapAnthropicStopReason('end_turn')).toBe('stop');
    expect(mapAnthropicStopReason('stop_sequence')).toBe('stop');
    expect(mapAnthropicStopReason('max_tokens')).toBe('length');
    expect(mapAnthropicStopReason('tool_use')).toBe('tool-calls');
    expect(mapAnthropicStopReason('refusal')).toBe('content-filter');
    expect(mapAnthropicStopReason('pause_turn')).toBe('other');
    expect(mapAnthropicStopReason(null)).toBe('other');
    expect(mapAnthropicStopReason('something_new')).toBe('other');
  });
});

describe('shapes no fixture records', () => {
  const json = (body: unknown): ReplayRoute => ({ status: 200, headers: { 'content-type': 'application/json', 'request-id': 'req_synthetic_2' }, body: JSON.stringify(body) });

  it('a non-streamed tool_use and redacted_thinking: parsed input, raw JSON kept, redacted data kept for the next turn', async () => {
    serve(
      json({
        id: 'msg_x',
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-5-20250929',
        content: [
          { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix' },
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: 'toolu_x', name: 'weather', input: { latitude: '1', longitude: '2' } },
        ],
        stop_reason: 'tool_use',
        usage: { input_tokens: 5, output_tokens: 7 },
      }),
    );
    const output = await provider.infer(HELLO);
    expect(output.toolCalls).toEqual([{ id: 'toolu_x', name: 'weather', arguments: { latitude: '1', longitude: '2' }, rawArguments: '{"latitude":"1","longitude":"2"}' }]);
    expect(output.reasoningParts).toEqual([{ text: '', redactedData: 'EmwKAhgBEgy3va3pzix' }]);
    expect(output.finishReason).toBe('tool-calls');
    expect(output.tokenUsage).toEqual({ promptTokens: 5, completionTokens: 7, totalTokens: 12 });
    const back = convertToAnthropicMessages([{ role: 'assistant', content: output.content, reasoning: output.reasoningParts, toolCalls: output.toolCalls }]);
    expect(back.messages[0].content[0]).toEqual({ type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix' });
  });

  it('a streamed redacted_thinking block emits no text, is kept in reasoningParts and round-trips', async () => {
    const body =
      [
        MESSAGE_START,
        'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"redacted_thinking","data":"EmwKAhgBEgy3va3pzix"}}',
        'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}',
        TEXT_START.replace('"index":0', '"index":1'),
        TEXT_DELTA.replace('"index":0', '"index":1'),
        'event: content_block_stop\ndata: {"type":"content_block_stop","index":1}',
        'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"max_tokens"},"usage":{"output_tokens":9}}',
        'event: message_stop\ndata: {"type":"message_stop"}',
      ].join('\n\n') + '\n\n';
    const { events, stream } = await streamBody(body);
    expect(events.map((event) => event.type)).toEqual(['reasoning-redacted', 'text-delta', 'done']);
    const output = await stream.output();
    expect(output.reasoningParts).toEqual([{ text: '', redactedData: 'EmwKAhgBEgy3va3pzix' }]);
    const back = convertToAnthropicMessages([{ role: 'assistant', content: output.content, reasoning: output.reasoningParts }]);
    expect(back.messages[0].content[0]).toEqual({ type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix' });
    expect(output.finishReason).toBe('length');
    expect(output.tokenUsage).toEqual({ promptTokens: 10, completionTokens: 9, totalTokens: 19, cachedTokens: 0, cacheWriteTokens: 0 });
  });

  it('HTTP 529 overloaded_error → retryable OverloadedError; HTTP 429 with retry-after → RateLimitError with retryAfterMs', async () => {
    serve({ status: 529, headers: { 'content-type': 'application/json' }, body: '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}' });
    const overloaded = await provider.infer(HELLO).catch((error: unknown) => error);
    expect(overloaded).toBeInstanceOf(OverloadedError);
    expect(overloaded).toMatchObject({ status: 529, retryable: true });
    serve({ status: 429, headers: { 'content-type': 'application/json', 'retry-after': '7' }, body: '{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}' });
    const limited = await provider.infer(HELLO).catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(RateLimitError);
    expect(limited).toMatchObject({ status: 429, retryable: true, retryAfterMs: 7000 });
  });
});
