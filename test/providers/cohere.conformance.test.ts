// The cohere provider (protocols/cohere-v2) against every recorded response in test/fixtures/recorded/cohere,
// served over real HTTP on 127.0.0.1. Files named `*.hand-made.*` are not recordings (SOURCES.md there).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calculateCost } from '../../core/cost.js';
import { AuthenticationError, ContextLengthError, InvalidResponseError, MissingApiKeyError, RateLimitError, type HyperAgentError } from '../../core/errors.js';
import { closeAllPools } from '../../core/http.js';
import { loadProvider } from '../../core/plugin-loader.js';
import { secretRegistry } from '../../core/secret-registry.js';
import type { InferenceOutput, LLMMessage, StreamEvent, ToolSchema } from '../../core/types.js';
import { CohereProvider } from '../../plugins/cohere/index.js';
import { FIXTURES_DIR, ReplayServer, type ReplayRoute } from '../replay-server.js';
import { collect, fixtureJson, fixtureText, perMillion, SPLITS } from './google-helpers.js';

const FAKE_KEY = 'hyperagent-test-cohere-key-3e8a61f0b2c4';
const CHAT = '/v2/chat';
const HELLO: readonly LLMMessage[] = [{ role: 'user', content: 'Hello' }];
const WEATHER: ToolSchema = {
  name: 'weather',
  description: 'Weather at a place',
  parameters: { type: 'object', properties: { latitude: { type: 'string' }, longitude: { type: 'string' } }, required: ['latitude', 'longitude'] },
};
const OTHER: ToolSchema = { name: 'clock', description: 'The time', parameters: { type: 'object', properties: {} } };

let server: ReplayServer;
let provider: CohereProvider;

beforeAll(async () => {
  server = await new ReplayServer().start();
  provider = new CohereProvider({ apiKey: FAKE_KEY, baseURL: `${server.baseURL}/v2` });
});

afterAll(async () => {
  await server.stop();
  await closeAllPools();
});

const lastRequest = () => server.requests[server.requests.length - 1];
const lastBody = () => lastRequest().body as Record<string, any>;

async function infer(fixture: string, tools: readonly ToolSchema[] = [], options = {}, messages: readonly LLMMessage[] = HELLO): Promise<InferenceOutput> {
  server.enqueue(CHAT, { fixture: `cohere/${fixture}` });
  return provider.infer(messages, tools, options);
}

async function stream(route: ReplayRoute, tools: readonly ToolSchema[] = []): Promise<{ events: StreamEvent[]; output: InferenceOutput | HyperAgentError }> {
  server.enqueue(CHAT, route);
  const call = provider.inferStream(HELLO, tools);
  const events = await collect(call);
  return { events, output: await call.output().catch((error: HyperAgentError) => error) };
}

/** The `field` of every content-delta (or tool-plan-delta) event of a recorded stream, joined. */
function streamed(fixture: string, pick: (data: any) => string | undefined): string {
  return fixtureText(fixture)
    .split('\n')
    .filter((line) => line.startsWith('data: {'))
    .map((line) => pick(JSON.parse(line.slice(6))) ?? '')
    .join('');
}

const STREAMS = ['chat-stream-text.sse', 'chat-stream-tool-call.sse', 'chat-stream-thinking.sse'];

describe('every Cohere fixture is exercised', () => {
  it('lists exactly the fixtures this file replays', () => {
    const bodies = readdirSync(join(FIXTURES_DIR, 'cohere')).filter((name) => !name.endsWith('.headers.txt') && name !== 'SOURCES.md');
    expect(bodies.sort()).toEqual(
      [
        'chat-text.json',
        'chat-tool-call.json',
        'chat-thinking.json',
        'chat-max-tokens-cached-tokens.json',
        'embed.hand-made.json',
        'error-401-invalid-api-key.json',
        'error-429-trial-key.hand-made.json',
        'error-400-too-many-tokens.hand-made.json',
        ...STREAMS,
      ].sort(),
    );
  });
});

describe('infer: POST /v2/chat', () => {
  it('chat-text.json: text, usage from billed_units plus cache hits, bearer key, cost = what Cohere bills', async () => {
    const output = await infer('chat-text.json');
    expect(output).toEqual({
      content: '2 + 2 equals 4.',
      confidence: 1,
      tokenUsage: { promptTokens: 8 + 448, completionTokens: 8, totalTokens: 464, cachedTokens: 448 },
      finishReason: 'stop',
      metadata: { provider: 'cohere', model: 'command-a-03-2025', responseId: 'bed99e63-72a3-45ce-8e0c-152eb1fc25dc', rawFinishReason: 'COMPLETE' },
    });
    expect(lastRequest().headers.authorization).toBe(`Bearer ${FAKE_KEY}`);
    expect(lastBody()).toEqual({ model: 'command-a-03-2025', messages: [{ role: 'user', content: 'Hello' }] });
    const info = provider.modelInfo();
    expect(info).toMatchObject({ provider: 'cohere', contextWindow: 256_000, pricing: { input: 2.5, output: 10, cachedInput: 0 } });
    expect(info.pricingSource).toContain('genai-prices');
    expect(calculateCost(info, output.tokenUsage)).toBeCloseTo(perMillion(8, 2.5) + perMillion(8, 10), 12);
  });

  it('chat-max-tokens-cached-tokens.json: MAX_TOKENS is length; billed_units, not the raw tokens, are counted', async () => {
    const output = await infer('chat-max-tokens-cached-tokens.json');
    expect(output.finishReason).toBe('length');
    expect(output.content).toBe('**The History of');
    expect(output.tokenUsage).toEqual({ promptTokens: 11 + 448, completionTokens: 4, totalTokens: 463, cachedTokens: 448 });
  });

  it('chat-tool-call.json: tool_plan is the reasoning, TOOL_CALL is tool-calls; the call goes back with its plan, the result as a tool turn', async () => {
    const output = await infer('chat-tool-call.json', [WEATHER]);
    expect(output.finishReason).toBe('tool-calls');
    expect(output.reasoning).toBe('I will use the weather tool to find the weather in Berlin.');
    expect(output.metadata.toolPlan).toBe(output.reasoning);
    expect(output.toolCalls).toEqual([{ id: 'weather_cgvndtjtzzkh', name: 'weather', arguments: { latitude: '52.5200', longitude: '13.4050' }, rawArguments: '{"latitude":"52.5200","longitude":"13.4050"}' }]);
    expect(output.tokenUsage).toEqual({ promptTokens: 98 + 704, completionTokens: 35, totalTokens: 837, cachedTokens: 704 });
    expect(lastBody().tools).toEqual([{ type: 'function', function: { name: 'weather', description: 'Weather at a place', parameters: WEATHER.parameters } }]);

    await infer('chat-text.json', [WEATHER], {}, [
      ...HELLO,
      { role: 'assistant', content: '', toolCalls: output.toolCalls, reasoning: [{ text: output.reasoning! }] },
      { role: 'tool', toolCallId: 'weather_cgvndtjtzzkh', name: 'weather', content: '{"temp":21}' },
    ]);
    expect(lastBody().messages.slice(1)).toEqual([
      { role: 'assistant', tool_plan: output.reasoning, tool_calls: [{ id: 'weather_cgvndtjtzzkh', type: 'function', function: { name: 'weather', arguments: '{"latitude":"52.5200","longitude":"13.4050"}' } }] },
      { role: 'tool', tool_call_id: 'weather_cgvndtjtzzkh', content: '{"temp":21}' },
    ]);
  });

  it('chat-thinking.json: thinking parts are reasoning, reasoning tokens from `tokens`, thinking with a budget sent', async () => {
    const recorded = fixtureJson('cohere/chat-thinking.json').message.content;
    const output = await infer('chat-thinking.json', [], { model: 'command-a-reasoning-08-2025', thinking: { budgetTokens: 2048 } });
    expect(output.reasoning).toBe(recorded[0].thinking);
    expect(output.content).toBe(recorded[1].text);
    expect(output.tokenUsage).toEqual({ promptTokens: 44 + 1392, completionTokens: 1781, totalTokens: 44 + 1392 + 1781, cachedTokens: 1392, reasoningTokens: 1516 });
    expect(lastBody().thinking).toEqual({ type: 'enabled', token_budget: 2048 });
    // Not in the price table: unknown, never 0.
    expect(provider.modelInfo('command-a-reasoning-08-2025').pricing).toBe('unknown');
  });

  it('JSON mode, JSON schema, tool choice: Cohere`s own spellings', async () => {
    await infer('chat-text.json', [], { responseFormat: { type: 'json' }, topP: 0.5, stop: ['END'] });
    expect(lastBody()).toMatchObject({ response_format: { type: 'json_object' }, p: 0.5, stop_sequences: ['END'] });
    await infer('chat-text.json', [], { responseFormat: { type: 'json_schema', name: 'a', schema: { type: 'object' } } });
    expect(lastBody().response_format).toEqual({ type: 'json_object', json_schema: { type: 'object' } });
    await infer('chat-text.json', [WEATHER, OTHER], { toolChoice: 'required' });
    expect(lastBody().tool_choice).toBe('REQUIRED');
    await infer('chat-text.json', [WEATHER, OTHER], { toolChoice: { name: 'clock' } });
    expect(lastBody()).toMatchObject({ tool_choice: 'REQUIRED', tools: [{ function: { name: 'clock' } }] });
    expect(lastBody().tools).toHaveLength(1);
    await infer('chat-text.json', [WEATHER], { toolChoice: 'auto' });
    expect(lastBody()).not.toHaveProperty('tool_choice');
  });
});

describe('stream: SSE split into 1-7 byte writes', () => {
  for (const fixture of STREAMS) {
    it(`${fixture}: the same events and output at every split, one terminal event`, async () => {
      const whole = await stream({ fixture: `cohere/${fixture}` }, [WEATHER]);
      expect(lastBody().stream).toBe(true);
      expect(whole.events.filter((event) => event.type === 'done' || event.type === 'error')).toHaveLength(1);
      expect(whole.events[whole.events.length - 1].type).toBe('done');
      // The thinking stream has 2,600 events: two splits of it, every split of the others (a shared 2-core machine).
      for (const chunkSize of fixture === 'chat-stream-thinking.sse' ? [3, 7] : SPLITS) {
        const split = await stream({ fixture: `cohere/${fixture}`, chunkSize }, [WEATHER]);
        expect(split.events).toEqual(whole.events);
        expect(split.output).toEqual(whole.output);
      }
    });
  }

  it('chat-stream-text.sse: text deltas, message-end usage, the trailing bare [DONE] ignored', async () => {
    const { output } = await stream({ fixture: 'cohere/chat-stream-text.sse' });
    expect(output).toMatchObject({
      content: 'Sure! Here\'s counting from 1 to 3:\n\n1, 2, 3.',
      finishReason: 'stop',
      tokenUsage: { promptTokens: 7 + 448, completionTokens: 21, totalTokens: 476, cachedTokens: 448 },
      metadata: { responseId: '7b4baae1-3fac-4977-85fd-618d9c9a8cc7', rawFinishReason: 'COMPLETE' },
    });
  });

  it('chat-stream-tool-call.sse: tool-plan-delta streams as reasoning, argument fragments assemble into one call', async () => {
    const { events, output } = await stream({ fixture: 'cohere/chat-stream-tool-call.sse' }, [WEATHER]);
    const result = output as InferenceOutput;
    const plan = streamed('cohere/chat-stream-tool-call.sse', (data) => data.delta?.message?.tool_plan);
    expect(result.reasoning).toBe(plan);
    expect(result.metadata.toolPlan).toBe(plan);
    expect(result.toolCalls).toEqual([{ id: 'weather_vvavrb8p34fk', name: 'weather', arguments: { latitude: '52.5200', longitude: '13.4050' }, rawArguments: '{"latitude": "52.5200", "longitude": "13.4050"}' }]);
    expect(result.finishReason).toBe('tool-calls');
    expect(result.tokenUsage).toEqual({ promptTokens: 98 + 1472, completionTokens: 35, totalTokens: 1605, cachedTokens: 1472 });
    const types = events.map((event) => event.type);
    expect(types.filter((type) => type === 'tool-call-start' || type === 'tool-call-end')).toEqual(['tool-call-start', 'tool-call-end']);
    expect(types.indexOf('reasoning-delta')).toBeLessThan(types.indexOf('tool-call-start'));
  });

  it('chat-stream-thinking.sse: thinking content streams as reasoning, then the text block; reasoning tokens counted', async () => {
    const { output } = await stream({ fixture: 'cohere/chat-stream-thinking.sse' });
    const result = output as InferenceOutput;
    expect(result.reasoning).toBe(streamed('cohere/chat-stream-thinking.sse', (data) => data.delta?.message?.content?.thinking));
    expect(result.content).toBe(streamed('cohere/chat-stream-thinking.sse', (data) => data.delta?.message?.content?.text));
    expect(result.content.length).toBeGreaterThan(0);
    expect(result.tokenUsage).toEqual({ promptTokens: 44 + 1392, completionTokens: 2692, totalTokens: 44 + 1392 + 2692, cachedTokens: 1392, reasoningTokens: 2463 });
  });

  it('a stream cut before message-end ends with one retryable error', async () => {
    const body = fixtureText('cohere/chat-stream-text.sse').split('event: content-end')[0];
    const { events, output } = await stream({ status: 200, headers: { 'content-type': 'text/event-stream' }, body, chunkSize: 5 });
    const last = events[events.length - 1];
    expect(last.type).toBe('error');
    expect(output).toBeInstanceOf(InvalidResponseError);
    expect((output as HyperAgentError).retryable).toBe(true);
  });

  it('message-end with finish_reason ERROR is an error event carrying the usage, not a done', async () => {
    const body = 'event: message-end\ndata: {"type":"message-end","delta":{"finish_reason":"ERROR","error":"internal failure","usage":{"billed_units":{"input_tokens":5,"output_tokens":2}}}}\n\n';
    const { events } = await stream({ status: 200, headers: { 'content-type': 'text/event-stream' }, body });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'error', tokenUsage: { promptTokens: 5, completionTokens: 2 } });
  });
});

describe('embeddings: POST /v2/embed', () => {
  it('embed.hand-made.json: embed-v4.0, input_type and float vectors asked for, dimensions as output_dimension, billed usage', async () => {
    server.enqueue('/v2/embed', { fixture: 'cohere/embed.hand-made.json' });
    const output = await provider.embed(['first', 'second'], { dimensions: 256 });
    expect(lastBody()).toEqual({ model: 'embed-v4.0', texts: ['first', 'second'], input_type: 'search_document', embedding_types: ['float'], output_dimension: 256 });
    expect(output.embeddings).toEqual([
      [0.011, -0.022, 0.033],
      [-0.044, 0.055, -0.066],
    ]);
    expect(output.tokenUsage).toEqual({ promptTokens: 4, completionTokens: 0, totalTokens: 4 });
    expect(calculateCost(provider.modelInfo('embed-v4.0'), output.tokenUsage)).toBeCloseTo(perMillion(4, 0.12), 12);
  });
});

describe('errors', () => {
  it('error-401-invalid-api-key.json: the flat {id, message} body, an AuthenticationError naming COHERE_API_KEY, on infer and stream', async () => {
    const error = await infer('error-401-invalid-api-key.json').catch((caught: HyperAgentError) => caught);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toContain('Incorrect API key provided');
    expect(error.message).toContain('COHERE_API_KEY');
    const streamedError = await stream({ fixture: 'cohere/error-401-invalid-api-key.json' });
    expect(streamedError.output).toBeInstanceOf(AuthenticationError);
  });

  it('error-429-trial-key.hand-made.json: a retryable RateLimitError; no retry-after given, so no retryAfterMs', async () => {
    const error = (await infer('error-429-trial-key.hand-made.json').catch((caught: HyperAgentError) => caught)) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBeUndefined();
    expect(error.message).toContain('10 API calls / minute');
  });

  it('error-400-too-many-tokens.hand-made.json: error_type TOO_MANY_TOKENS is a ContextLengthError with the request id', async () => {
    const error = await infer('error-400-too-many-tokens.hand-made.json').catch((caught: HyperAgentError) => caught);
    expect(error).toBeInstanceOf(ContextLengthError);
    expect(error.retryable).toBe(false);
    expect(error.requestId).toBe('hm-5d2f7a10-0000-4000-8000-000000000400');
  });

  it('no key: MissingApiKeyError naming COHERE_API_KEY before anything is sent', async () => {
    const before = server.requests.length;
    const keyless = new CohereProvider({ baseURL: `${server.baseURL}/v2`, env: {} });
    await expect(keyless.infer(HELLO)).rejects.toBeInstanceOf(MissingApiKeyError);
    await expect(keyless.infer(HELLO)).rejects.toThrow('COHERE_API_KEY');
    expect(server.requests.length).toBe(before);
  });
});

describe('config: { "provider": "cohere" }', () => {
  it('is a built-in provider; the key from COHERE_API_KEY is a registered secret', async () => {
    const definition = await loadProvider('cohere', process.cwd());
    const key = 'hyperagent-test-cohere-env-key-9f8e7d6c';
    const backend = definition.create(
      { provider: 'cohere', model: 'command-r-08-2024', baseURL: `${server.baseURL}/v2`, options: { embeddingInputType: 'search_query' } },
      { backendName: 'cohere', configDir: process.cwd(), env: { COHERE_API_KEY: key } },
    );
    server.enqueue(CHAT, { fixture: 'cohere/chat-text.json' });
    await backend.infer(HELLO);
    expect(lastRequest().headers.authorization).toBe(`Bearer ${key}`);
    expect(secretRegistry.foundIn(`x ${key} y`)).toBe(true);
    expect(backend.modelInfo()).toMatchObject({ id: 'command-r-08-2024', contextWindow: 128_000, pricing: { input: 0.15, output: 0.6 } });
    expect(definition.optionsSchema).toMatchObject({ additionalProperties: false });
  });
});
