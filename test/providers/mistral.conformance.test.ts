// The mistral provider against every recorded response in test/fixtures/recorded/mistral, served over
// real HTTP on 127.0.0.1 by the replay server. Files named `*.hand-made.*` are not recordings (SOURCES.md there).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calculateCost } from '../../core/cost.js';
import { AuthenticationError, InvalidRequestError, MissingApiKeyError, RateLimitError, type HyperAgentError } from '../../core/errors.js';
import { closeAllPools } from '../../core/http.js';
import { loadProvider } from '../../core/plugin-loader.js';
import { secretRegistry } from '../../core/secret-registry.js';
import type { InferenceOutput, LLMMessage, StreamEvent, ToolSchema } from '../../core/types.js';
import { MistralProvider } from '../../plugins/mistral/index.js';
import { FIXTURES_DIR, ReplayServer, type ReplayRoute } from '../replay-server.js';
import { collect, fixtureJson, perMillion, SPLITS } from './google-helpers.js';

const FAKE_KEY = 'hyperagent-test-mistral-key-7d1c93a0e5f2';
const CHAT = '/v1/chat/completions';
const HELLO: readonly LLMMessage[] = [{ role: 'user', content: 'Hello' }];
const WEATHER: ToolSchema = {
  name: 'weather',
  description: 'Weather at a place',
  parameters: { type: 'object', properties: { latitude: { type: 'string' }, longitude: { type: 'string' } }, required: ['latitude', 'longitude'] },
};

let server: ReplayServer;
let provider: MistralProvider;

beforeAll(async () => {
  server = await new ReplayServer().start();
  provider = new MistralProvider({ apiKey: FAKE_KEY, baseURL: `${server.baseURL}/v1` });
});

afterAll(async () => {
  await server.stop();
  await closeAllPools();
});

const lastRequest = () => server.requests[server.requests.length - 1];
const lastBody = () => lastRequest().body as Record<string, any>;

async function infer(fixture: string, tools: readonly ToolSchema[] = [], options = {}): Promise<InferenceOutput> {
  server.enqueue(CHAT, { fixture: `mistral/${fixture}` });
  return provider.infer(HELLO, tools, options);
}

async function stream(route: ReplayRoute, tools: readonly ToolSchema[] = []): Promise<{ events: StreamEvent[]; output: InferenceOutput | HyperAgentError }> {
  server.enqueue(CHAT, route);
  const call = provider.inferStream(HELLO, tools);
  const events = await collect(call);
  return { events, output: await call.output().catch((error: HyperAgentError) => error) };
}

const STREAMS = ['chat-stream-text.sse', 'chat-stream-tool-call.sse', 'chat-stream-incremental-tool-call.sse', 'chat-stream-thinking.hand-made.sse'];

describe('every Mistral fixture is exercised', () => {
  it('lists exactly the fixtures this file replays', () => {
    const bodies = readdirSync(join(FIXTURES_DIR, 'mistral')).filter((name) => !name.endsWith('.headers.txt') && name !== 'SOURCES.md');
    expect(bodies.sort()).toEqual(
      [
        'chat-completion-text.json',
        'chat-completion-thinking-chunks.json',
        'chat-completion-tool-call.json',
        'embeddings.hand-made.json',
        'error-401-invalid-api-key.json',
        'error-422-extra-field.hand-made.json',
        'error-429-rate-limited.hand-made.json',
        ...STREAMS,
      ].sort(),
    );
  });
});

describe('infer: POST /v1/chat/completions', () => {
  it('chat-completion-text.json: text, usage, bearer key, rate-limit headers, priced from the price table', async () => {
    const output = await infer('chat-completion-text.json');
    expect(output).toMatchObject({
      content: '2 + 2 equals **4**.',
      finishReason: 'stop',
      tokenUsage: { promptTokens: 23, completionTokens: 9, totalTokens: 32 },
      metadata: { provider: 'mistral', model: 'mistral-small-latest', responseId: '9cdb94fb760a41c3afdf806832b49cb4' },
    });
    expect(output.metadata.rateLimit).toEqual({ limitRequests: 100, remainingRequests: 99, limitTokens: 100000, remainingTokens: 98321 });
    expect(lastRequest().headers.authorization).toBe(`Bearer ${FAKE_KEY}`);
    expect(lastBody()).toEqual({ model: 'mistral-small-latest', messages: [{ role: 'user', content: 'Hello' }] });
    const info = provider.modelInfo();
    expect(info).toMatchObject({ provider: 'mistral', contextWindow: 131_072, pricing: { input: 0.1, output: 0.3 } });
    expect(info.pricingSource).toContain('genai-prices');
    expect(calculateCost(info, output.tokenUsage)).toBeCloseTo(perMillion(23, 0.1) + perMillion(9, 0.3), 12);
  });

  it('chat-completion-tool-call.json: a 9-character id, tool-calls, the call sent back as assistant tool_calls then a tool turn', async () => {
    const output = await infer('chat-completion-tool-call.json', [WEATHER], { toolChoice: 'required' });
    expect(output.finishReason).toBe('tool-calls');
    expect(output.content).toBe('');
    expect(output.toolCalls).toEqual([{ id: 'bAyGEuxg1', name: 'weather', arguments: { latitude: '52.5200', longitude: '13.4050' }, rawArguments: '{"latitude": "52.5200", "longitude": "13.4050"}' }]);
    expect(lastBody()).toMatchObject({ tool_choice: 'required', tools: [{ type: 'function', function: { name: 'weather' } }] });

    server.enqueue(CHAT, { fixture: 'mistral/chat-completion-text.json' });
    await provider.infer([...HELLO, { role: 'assistant', content: '', toolCalls: output.toolCalls }, { role: 'tool', toolCallId: 'bAyGEuxg1', name: 'weather', content: '{"temp":21}' }], [WEATHER]);
    expect(lastBody().messages.slice(1)).toMatchObject([
      { role: 'assistant', tool_calls: [{ id: 'bAyGEuxg1', type: 'function', function: { name: 'weather', arguments: '{"latitude": "52.5200", "longitude": "13.4050"}' } }] },
      { role: 'tool', tool_call_id: 'bAyGEuxg1', content: '{"temp":21}' },
    ]);
  });

  it('chat-completion-thinking-chunks.json: content as thinking/text parts is split into reasoning and answer; effort goes as reasoning_effort', async () => {
    const recorded = fixtureJson('mistral/chat-completion-thinking-chunks.json').choices[0].message.content;
    const output = await infer('chat-completion-thinking-chunks.json', [], { thinking: { effort: 'high' } });
    expect(typeof output.content).toBe('string');
    expect(output.content).toBe('144');
    expect(output.reasoning).toBe(recorded[0].thinking[0].text);
    expect(output.tokenUsage).toEqual({ promptTokens: 31, completionTokens: 66, totalTokens: 97, cachedTokens: 0 });
    expect(lastBody().reasoning_effort).toBe('high');
  });

  it('JSON mode and JSON schema go as response_format', async () => {
    await infer('chat-completion-text.json', [], { responseFormat: { type: 'json' } });
    expect(lastBody().response_format).toEqual({ type: 'json_object' });
    await infer('chat-completion-text.json', [], { responseFormat: { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true } });
    expect(lastBody().response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object' } } });
  });
});

describe('stream: SSE split into 1-7 byte writes', () => {
  for (const fixture of STREAMS) {
    it(`${fixture}: the same events and output at every split, one terminal event`, async () => {
      const whole = await stream({ fixture: `mistral/${fixture}` }, [WEATHER]);
      expect(lastBody().stream).toBe(true);
      // Mistral's strict schema refuses stream_options; usage comes on the finish_reason chunk anyway.
      expect(lastBody()).not.toHaveProperty('stream_options');
      expect(whole.events.filter((event) => event.type === 'done' || event.type === 'error')).toHaveLength(1);
      expect(whole.events[whole.events.length - 1].type).toBe('done');
      for (const chunkSize of SPLITS) {
        const split = await stream({ fixture: `mistral/${fixture}`, chunkSize }, [WEATHER]);
        expect(split.events).toEqual(whole.events);
        expect(split.output).toEqual(whole.output);
      }
    });
  }

  it('chat-stream-text.sse: text, usage from the finish_reason chunk, the "p" padding ignored', async () => {
    const { output } = await stream({ fixture: 'mistral/chat-stream-text.sse' });
    expect(output).toMatchObject({ content: '1, 2, 3', finishReason: 'stop', tokenUsage: { promptTokens: 22, completionTokens: 8, totalTokens: 30 } });
  });

  it('chat-stream-tool-call.sse: a whole call in one chunk, cached prompt tokens counted and priced', async () => {
    const { events, output } = await stream({ fixture: 'mistral/chat-stream-tool-call.sse' }, [WEATHER]);
    const result = output as InferenceOutput;
    expect(result.toolCalls).toEqual([{ id: 'g6fVbXS8K', name: 'weather', arguments: { latitude: '52.5200', longitude: '13.4050' }, rawArguments: '{"latitude": "52.5200", "longitude": "13.4050"}' }]);
    expect(result.finishReason).toBe('tool-calls');
    expect(result.tokenUsage).toEqual({ promptTokens: 159, completionTokens: 28, totalTokens: 187, cachedTokens: 128 });
    expect(events.map((event) => event.type)).toEqual(['tool-call-start', 'tool-call-delta', 'tool-call-end', 'done']);
  });

  it('chat-stream-incremental-tool-call.sse: id and name first, then an id-less delta with `name: ""`: one call, not two', async () => {
    const { output } = await stream({ fixture: 'mistral/chat-stream-incremental-tool-call.sse' }, [WEATHER]);
    const result = output as InferenceOutput;
    expect(result.toolCalls).toEqual([{ id: 'chatcmpl-tool-9f149c74c42f265b', name: 'webSearchTool', arguments: { query: 'current Berlin weather' }, rawArguments: '{"query": "current Berlin weather"}' }]);
    expect(result.tokenUsage).toMatchObject({ promptTokens: 171, completionTokens: 14, cachedTokens: 128 });
  });

  it('chat-stream-thinking.hand-made.sse: thinking parts stream as reasoning, text parts and later plain strings as text', async () => {
    const { events, output } = await stream({ fixture: 'mistral/chat-stream-thinking.hand-made.sse' });
    const result = output as InferenceOutput;
    expect(result.reasoning).toBe('12 times 12 is 144.');
    expect(result.content).toBe('144');
    expect(events.filter((event) => event.type === 'reasoning-delta')).toHaveLength(2);
    expect(result.tokenUsage).toMatchObject({ promptTokens: 31, completionTokens: 14, cachedTokens: 16 });
  });
});

describe('embeddings: POST /v1/embeddings', () => {
  it('embeddings.hand-made.json: mistral-embed by default, vectors in input order, usage; dimensions not sent, with a warning', async () => {
    server.enqueue('/v1/embeddings', { fixture: 'mistral/embeddings.hand-made.json' });
    const output = await provider.embed(['first', 'second'], { dimensions: 256 });
    expect(lastBody()).toEqual({ model: 'mistral-embed', input: ['first', 'second'] });
    expect(output.embeddings).toEqual([
      [-0.0321, 0.0654, -0.0987],
      [0.0123, -0.0456, 0.0789],
    ]);
    expect(output.tokenUsage).toEqual({ promptTokens: 9, completionTokens: 0, totalTokens: 9 });
    expect(output.metadata.warnings?.[0]).toContain('dimensions (256) is not supported');
    expect(calculateCost(provider.modelInfo('mistral-embed'), output.tokenUsage)).toBeCloseTo(perMillion(9, 0.1), 12);
  });
});

describe('errors', () => {
  it('error-401-invalid-api-key.json: {"detail": …} is read, an AuthenticationError naming MISTRAL_API_KEY, on infer and stream', async () => {
    const error = await infer('error-401-invalid-api-key.json').catch((caught: HyperAgentError) => caught);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toContain('Invalid API Key');
    expect(error.message).toContain('MISTRAL_API_KEY');
    expect(error.message).not.toContain(FAKE_KEY);
    const streamed = await stream({ fixture: 'mistral/error-401-invalid-api-key.json' });
    expect(streamed.output).toBeInstanceOf(AuthenticationError);
  });

  it('error-429-rate-limited.hand-made.json: a retryable RateLimitError with retryAfterMs from retry-after and the rate-limit state', async () => {
    const error = (await infer('error-429-rate-limited.hand-made.json').catch((caught: HyperAgentError) => caught)) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(7000);
    expect(error.rateLimit).toMatchObject({ limitRequests: 100, remainingRequests: 0 });
  });

  it('error-422-extra-field.hand-made.json: a validation detail list names the field', async () => {
    server.enqueue(CHAT, { fixture: 'mistral/error-422-extra-field.hand-made.json', status: 422 });
    const error = await provider.infer(HELLO).catch((caught: HyperAgentError) => caught);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.message).toContain('stream_options: Extra inputs are not permitted');
  });

  it('no key: MissingApiKeyError naming MISTRAL_API_KEY before anything is sent', async () => {
    const before = server.requests.length;
    const keyless = new MistralProvider({ baseURL: `${server.baseURL}/v1`, env: {} });
    await expect(keyless.infer(HELLO)).rejects.toBeInstanceOf(MissingApiKeyError);
    await expect(keyless.infer(HELLO)).rejects.toThrow('MISTRAL_API_KEY');
    expect(server.requests.length).toBe(before);
  });
});

describe('config: { "provider": "mistral" }', () => {
  it('is a built-in provider; the key from MISTRAL_API_KEY is a registered secret; options are checked', async () => {
    const definition = await loadProvider('mistral', process.cwd());
    const key = 'hyperagent-test-mistral-env-key-0a9b8c7d';
    const backend = await definition.create({ provider: 'mistral', model: 'mistral-large-latest', baseURL: `${server.baseURL}/v1`, options: { embeddingModel: 'mistral-embed' } }, { backendName: "mistral", configDir: process.cwd(), env: { MISTRAL_API_KEY: key } });
    server.enqueue(CHAT, { fixture: 'mistral/chat-completion-text.json' });
    await backend.infer(HELLO);
    expect(lastRequest().headers.authorization).toBe(`Bearer ${key}`);
    expect(secretRegistry.foundIn(`x ${key} y`)).toBe(true);
    expect(backend.modelInfo()).toMatchObject({ id: 'mistral-large-latest', pricing: { input: 2, output: 6 } });
    expect(definition.optionsSchema).toMatchObject({ additionalProperties: false });
  });

  it('an id the price table does not know is priced unknown, never 0', () => {
    expect(provider.modelInfo('mistral-future-9000').pricing).toBe('unknown');
  });
});
