// The ollama provider (protocols/ollama, native /api/chat) against every response in
// test/fixtures/recorded/ollama over real HTTP on 127.0.0.1. Files named `*.hand-made.*` are not recordings.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calculateCost } from '../../core/cost.js';
import { InvalidResponseError, ModelNotFoundError, ServerError, type HyperAgentError } from '../../core/errors.js';
import { closeAllPools } from '../../core/http.js';
import { loadProvider } from '../../core/plugin-loader.js';
import type { PullSource } from '../../core/pull-source.js';
import type { InferenceOutput, LLMMessage, StreamEvent, ToolSchema } from '../../core/types.js';
import { OllamaProvider } from '../../plugins/ollama/index.js';
import { NdjsonLineSource } from '../../protocols/ollama/index.js';
import { FIXTURES_DIR, ReplayServer, type ReplayRoute } from '../replay-server.js';
import { collect, SPLITS } from './google-helpers.js';

const CHAT = '/api/chat';
const MODEL = 'gemma3:1b';
const HELLO: readonly LLMMessage[] = [{ role: 'user', content: 'Hello' }];
const WEATHER: ToolSchema = {
  name: 'weather',
  description: 'Weather at a place',
  parameters: { type: 'object', properties: { latitude: { type: 'string' }, longitude: { type: 'string' } }, required: ['latitude', 'longitude'] },
};

let server: ReplayServer;
let provider: OllamaProvider;

beforeAll(async () => {
  server = await new ReplayServer().start();
  provider = new OllamaProvider({ baseURL: server.baseURL, model: MODEL });
});

afterAll(async () => {
  await server.stop();
  await closeAllPools();
});

const lastRequest = () => server.requests[server.requests.length - 1];
const lastBody = () => lastRequest().body as Record<string, any>;
const lines = (name: string): Record<string, any>[] =>
  readFileSync(join(FIXTURES_DIR, name), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));

async function stream(route: ReplayRoute, tools: readonly ToolSchema[] = [], options = {}): Promise<{ events: StreamEvent[]; output: InferenceOutput | HyperAgentError }> {
  server.enqueue(CHAT, route);
  const call = provider.inferStream(HELLO, tools, options);
  const events = await collect(call);
  return { events, output: await call.output().catch((error: HyperAgentError) => error) };
}

const STREAMS = ['chat-stream-text.ndjson', 'chat-stream-default.ndjson', 'chat-format-json.ndjson', 'chat-stream-thinking-tool-call.hand-made.ndjson'];

describe('every Ollama fixture is exercised', () => {
  it('lists exactly the fixtures this file replays', () => {
    const bodies = readdirSync(join(FIXTURES_DIR, 'ollama')).filter((name) => !name.endsWith('.headers.txt') && name !== 'SOURCES.md');
    expect(bodies.sort()).toEqual(
      [...STREAMS, 'chat-stream-error-line.hand-made.ndjson', 'chat-tool-call.hand-made.json', 'embed.hand-made.json', 'error-404-model-not-found.hand-made.json', 'tags.hand-made.json'].sort(),
    );
  });
});

describe('stream: POST /api/chat, NDJSON split into 1-7 byte writes', () => {
  for (const fixture of STREAMS) {
    it(`${fixture}: the same events and output at every split, one terminal event`, async () => {
      const whole = await stream({ fixture: `ollama/${fixture}` }, [WEATHER]);
      expect(lastBody().stream).toBe(true);
      expect(whole.events.filter((event) => event.type === 'done' || event.type === 'error')).toHaveLength(1);
      expect(whole.events[whole.events.length - 1].type).toBe('done');
      // chat-stream-default has 203 lines: two splits of it, every split of the others (a shared 2-core machine).
      for (const chunkSize of fixture === 'chat-stream-default.ndjson' ? [1, 7] : SPLITS) {
        const split = await stream({ fixture: `ollama/${fixture}`, chunkSize }, [WEATHER]);
        expect(split.events).toEqual(whole.events);
        expect(split.output).toEqual(whole.output);
      }
    });
  }

  it('chat-stream-text.ndjson: content deltas, done_reason, usage from prompt_eval_count/eval_count, timings in ms, free on loopback', async () => {
    const recorded = lines('ollama/chat-stream-text.ndjson');
    const last = recorded[recorded.length - 1];
    const { output } = await stream({ fixture: 'ollama/chat-stream-text.ndjson' });
    const result = output as InferenceOutput;
    expect(result).toMatchObject({
      content: recorded.map((line) => line.message.content).join(''),
      finishReason: 'stop',
      tokenUsage: { promptTokens: 16, completionTokens: 22, totalTokens: 38 },
      metadata: { provider: 'ollama', model: MODEL, rawFinishReason: 'stop', timings: { totalMs: last.total_duration / 1e6 } },
    });
    expect(provider.modelInfo()).toMatchObject({ pricing: { input: 0, output: 0 }, pricingSource: 'a local Ollama server: no per-token charge' });
    expect(calculateCost(provider.modelInfo(), result.tokenUsage)).toBe(0);
  });

  it('done_reason "length" (hand-made from chat-stream-text.ndjson, its last line\'s reason changed): finish reason length, as the raw reason', async () => {
    const recorded = readFileSync(join(FIXTURES_DIR, 'ollama/chat-stream-text.ndjson'), 'utf8');
    const cut = recorded.replace('"done_reason":"stop"', '"done_reason":"length"');
    expect(cut).not.toBe(recorded);
    const { output } = await stream({ body: cut, headers: { 'content-type': 'application/x-ndjson' }, chunkSize: 5 });
    expect(output as InferenceOutput).toMatchObject({ finishReason: 'length', metadata: { rawFinishReason: 'length' }, tokenUsage: { promptTokens: 16, completionTokens: 22 } });
  });

  it('chat-stream-default.ndjson: streamed though the request named no stream; the 14 s cold load is in the timings', async () => {
    const { output } = await stream({ fixture: 'ollama/chat-stream-default.ndjson' });
    expect((output as InferenceOutput).tokenUsage).toEqual({ promptTokens: 18, completionTokens: 203, totalTokens: 221 });
    expect((output as InferenceOutput).metadata.timings).toMatchObject({ loadMs: 14269.781625 });
  });

  it('chat-format-json.ndjson: format "json" sent; the deltas form the JSON document', async () => {
    const { output } = await stream({ fixture: 'ollama/chat-format-json.ndjson' }, [], { responseFormat: { type: 'json' } });
    expect(lastBody().format).toBe('json');
    expect(JSON.parse((output as InferenceOutput).content)).toEqual({ answer: '600' });
  });

  it('chat-stream-thinking-tool-call.hand-made.ndjson: thinking deltas as reasoning, a whole call with object arguments, stop with calls is tool-calls', async () => {
    const { events, output } = await stream({ fixture: 'ollama/chat-stream-thinking-tool-call.hand-made.ndjson' }, [WEATHER], { thinking: { effort: 'high' } });
    expect(lastBody()).toMatchObject({ think: 'high', tools: [{ type: 'function', function: { name: 'weather' } }] });
    const result = output as InferenceOutput;
    expect(result.reasoning).toBe('The user wants the weather in Berlin.');
    expect(result.toolCalls).toEqual([{ id: 'ollama_call_0', name: 'weather', arguments: { latitude: '52.5200', longitude: '13.4050' }, rawArguments: '{"latitude":"52.5200","longitude":"13.4050"}' }]);
    expect(result.finishReason).toBe('tool-calls');
    expect(result.tokenUsage).toEqual({ promptTokens: 151, completionTokens: 47, totalTokens: 198 });
    expect(events.map((event) => event.type)).toEqual(['reasoning-delta', 'reasoning-delta', 'tool-call-start', 'tool-call-delta', 'tool-call-end', 'done']);
  });

  it('chat-stream-error-line.hand-made.ndjson: an {"error"} line mid-stream ends it with one typed error', async () => {
    const { events, output } = await stream({ fixture: 'ollama/chat-stream-error-line.hand-made.ndjson', chunkSize: 3 });
    expect(events.map((event) => event.type)).toEqual(['text-delta', 'error']);
    expect(output).toBeInstanceOf(ServerError);
    expect((output as HyperAgentError).message).toContain('unexpected EOF');
  });

  it('a body cut before the done line ends with one retryable error', async () => {
    const body = readFileSync(join(FIXTURES_DIR, 'ollama/chat-stream-text.ndjson'), 'utf8').split('\n').slice(0, 3).join('\n');
    const { events, output } = await stream({ status: 200, headers: { 'content-type': 'application/x-ndjson' }, body, chunkSize: 4 });
    expect(events.filter((event) => event.type === 'text-delta')).toHaveLength(3);
    expect(output).toBeInstanceOf(InvalidResponseError);
    expect((output as HyperAgentError).retryable).toBe(true);
  });
});

describe('NDJSON framing', () => {
  it('splits lines across chunks, inside a UTF-8 character too, and keeps a last line without its newline', async () => {
    const bytes = new TextEncoder().encode('{"a":"é€"}\n\n{"b":1}\r\n{"c":"𝄞"}');
    const chunks = Array.from(bytes, (byte) => Uint8Array.of(byte));
    // One chunk becomes available per `fill`, so every line is assembled from pieces across fills.
    let next = 0;
    let ready = 0;
    const framed = new NdjsonLineSource({
      take: () => (next < ready ? chunks[next++] : undefined),
      fill: async () => (ready < chunks.length ? (ready += 1) > 0 : false),
      close: async () => {},
    });
    const out: string[] = [];
    for (;;) {
      const line = framed.take();
      if (line !== undefined) out.push(line);
      else if (!(await framed.fill())) break;
    }
    expect(out.map((line) => JSON.parse(line))).toEqual([{ a: 'é€' }, { b: 1 }, { c: '𝄞' }]);
  });
});

describe('infer: stream false', () => {
  it('chat-tool-call.hand-made.json: stream false sent; thinking, the call, usage; the call goes back with object arguments', async () => {
    server.enqueue(CHAT, { fixture: 'ollama/chat-tool-call.hand-made.json' });
    const output = await provider.infer(HELLO, [WEATHER], { maxTokens: 64, temperature: 0.2, responseFormat: { type: 'json_schema', name: 'w', schema: { type: 'object' } } });
    expect(lastBody()).toMatchObject({ model: MODEL, stream: false, format: { type: 'object' }, options: { num_predict: 64, temperature: 0.2 } });
    expect(output).toMatchObject({ content: '', reasoning: 'Call the weather tool.', finishReason: 'tool-calls', tokenUsage: { promptTokens: 140, completionTokens: 30, totalTokens: 170 } });
    server.enqueue(CHAT, { fixture: 'ollama/chat-tool-call.hand-made.json' });
    await provider.infer([...HELLO, { role: 'assistant', content: '', toolCalls: output.toolCalls }, { role: 'tool', toolCallId: 'ollama_call_0', name: 'weather', content: '{"temp":21}' }], [WEATHER]);
    expect(lastBody().messages.slice(1)).toEqual([
      { role: 'assistant', content: '', tool_calls: [{ function: { name: 'weather', arguments: { latitude: '52.5200', longitude: '13.4050' } } }] },
      { role: 'tool', content: '{"temp":21}', tool_name: 'weather' },
    ]);
  });

  it('error-404-model-not-found.hand-made.json: a ModelNotFoundError, on infer and on stream', async () => {
    server.enqueue(CHAT, { fixture: 'ollama/error-404-model-not-found.hand-made.json' });
    await expect(provider.infer(HELLO)).rejects.toBeInstanceOf(ModelNotFoundError);
    const { output } = await stream({ fixture: 'ollama/error-404-model-not-found.hand-made.json' });
    expect(output).toBeInstanceOf(ModelNotFoundError);
    expect((output as HyperAgentError).message).toContain('not found, try pulling it first');
  });
});

describe('embed and the model list', () => {
  it('embed.hand-made.json: POST /api/embed with every text, usage from prompt_eval_count', async () => {
    server.enqueue('/api/embed', { fixture: 'ollama/embed.hand-made.json' });
    const output = await provider.embed(['a', 'b'], { model: 'all-minilm' });
    expect(lastBody()).toEqual({ model: 'all-minilm', input: ['a', 'b'] });
    expect(output.embeddings).toHaveLength(2);
    expect(output.tokenUsage).toEqual({ promptTokens: 8, completionTokens: 0, totalTokens: 8 });
  });

  it('tags.hand-made.json: GET /api/tags lists the pulled models', async () => {
    server.enqueue('/api/tags', { fixture: 'ollama/tags.hand-made.json' });
    expect(await provider.listModels()).toEqual(['gemma3:1b', 'qwen3:8b']);
    expect(lastRequest().method).toBe('GET');
  });
});

describe('config: { "provider": "ollama" }', () => {
  it('is a built-in provider needing no key; keepAlive and pricing options; a remote server is unpriced unless configured', async () => {
    const definition = await loadProvider('ollama', process.cwd());
    const context = { backendName: 'local', configDir: process.cwd(), env: {} };
    const backend = definition.create({ provider: 'ollama', model: 'qwen3:8b', baseURL: server.baseURL, options: { keepAlive: '10m', contextWindow: 32768 } }, context);
    server.enqueue(CHAT, { fixture: 'ollama/chat-tool-call.hand-made.json' });
    await backend.infer(HELLO);
    expect(lastBody().keep_alive).toBe('10m');
    expect(lastRequest().headers.authorization).toBeUndefined();
    expect(backend.modelInfo()).toMatchObject({ contextWindow: 32768, pricing: { input: 0, output: 0 } });
    expect(definition.create({ provider: 'ollama', model: 'x', baseURL: 'https://ollama.example.com' }, context).modelInfo().pricing).toBe('unknown');
    const paid = definition.create({ provider: 'ollama', model: 'x', baseURL: 'https://ollama.example.com', options: { pricing: { input: 1, output: 2 } } }, context);
    expect(paid.modelInfo()).toMatchObject({ pricing: { input: 1, output: 2 }, pricingSource: 'configured in the backend options' });
  });
});
