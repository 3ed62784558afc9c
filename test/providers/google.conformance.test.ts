// The google (Gemini API) provider against every recorded response in test/fixtures/recorded/google,
// served over real HTTP on 127.0.0.1 by the replay server. Bodies marked "hand-made" are not recordings.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calculateCost } from '../../core/cost.js';
import { AuthenticationError, HyperAgentError, InvalidResponseError, MissingApiKeyError, RateLimitError } from '../../core/errors.js';
import { closeAllPools } from '../../core/http.js';
import type { InferenceOutput, LLMMessage, StreamEvent, ToolSchema } from '../../core/types.js';
import { GoogleProvider } from '../../plugins/google/index.js';
import { FIXTURES_DIR, ReplayServer, type ReplayRoute } from '../replay-server.js';
import { collect, fixtureJson, perMillion, sseChunks, sseParts, SPLITS } from './google-helpers.js';

const FAKE_KEY = 'hyperagent-test-gemini-key-5b7e2d19c04a';
const MODEL = 'gemini-2.5-flash';
const GENERATE = `/v1beta/models/${MODEL}:generateContent`;
const STREAM = `/v1beta/models/${MODEL}:streamGenerateContent`;
const HELLO: readonly LLMMessage[] = [{ role: 'user', content: 'Hello' }];
const WEATHER: ToolSchema = {
  name: 'weather',
  description: 'Weather at a place',
  parameters: { type: 'object', properties: { latitude: { type: 'string' }, longitude: { type: 'string' } }, required: ['latitude', 'longitude'] },
};

let server: ReplayServer;
let provider: GoogleProvider;

beforeAll(async () => {
  server = await new ReplayServer().start();
  provider = new GoogleProvider({ apiKey: FAKE_KEY, baseURL: `${server.baseURL}/v1beta`, model: MODEL });
});

afterAll(async () => {
  await server.stop();
  await closeAllPools();
});

const lastRequest = () => server.requests[server.requests.length - 1];
const lastBody = () => lastRequest().body as Record<string, any>;

async function infer(fixture: string, messages: readonly LLMMessage[] = HELLO, tools: readonly ToolSchema[] = []): Promise<InferenceOutput> {
  server.enqueue(GENERATE, { fixture: `google/${fixture}` });
  return provider.infer(messages, tools);
}

async function stream(route: ReplayRoute, messages: readonly LLMMessage[] = HELLO): Promise<{ events: StreamEvent[]; output: InferenceOutput | HyperAgentError }> {
  server.enqueue(STREAM, route);
  const call = provider.inferStream(messages);
  const events = await collect(call);
  return { events, output: await call.output().catch((error: HyperAgentError) => error) };
}

const STREAMS = ['stream-function-call-no-args.sse', 'stream-function-call.sse', 'stream-include-thoughts.sse', 'stream-text-gemini3-signature-on-empty-part.sse', 'stream-text-thoughts-token-count.sse'];

describe('every recorded Gemini API fixture is exercised', () => {
  it('lists exactly the fixtures this file replays', () => {
    const bodies = readdirSync(join(FIXTURES_DIR, 'google')).filter((name) => !name.endsWith('.headers.txt'));
    expect(bodies.sort()).toEqual(
      ['error-400-api-key-invalid.json', 'generate-cached-content.json', 'generate-include-thoughts.json', 'generate-text.json', 'generate-thoughts-token-count.json', ...STREAMS].sort(),
    );
  });
});

describe('infer: generateContent over HTTP', () => {
  it('generate-text.json: text, usage with thoughtsTokenCount in completion, ids, key in x-goog-api-key only', async () => {
    const output = await infer('generate-text.json');
    expect(output).toEqual({
      content: '2 + 2 = **4**',
      confidence: 1,
      tokenUsage: { promptTokens: 10, completionTokens: 31, totalTokens: 41, reasoningTokens: 23 },
      finishReason: 'stop',
      metadata: { provider: 'google', model: MODEL, responseId: 'Cr-FaqLbNpfYkdUP-bmpoAw', modelVersion: 'gemini-2.5-flash', rawFinishReason: 'STOP' },
    });
    const request = lastRequest();
    expect(request.path).toBe(GENERATE);
    expect(request.headers['x-goog-api-key']).toBe(FAKE_KEY);
    expect(request.path).not.toContain(FAKE_KEY);
    expect(request.body).toEqual({ contents: [{ role: 'user', parts: [{ text: 'Hello' }] }] });
  });

  it('generate-thoughts-token-count.json: totalTokenCount = prompt + candidates + thoughts, billed as output', async () => {
    const output = await infer('generate-thoughts-token-count.json');
    const usage = fixtureJson('google/generate-thoughts-token-count.json').usageMetadata;
    expect(output.tokenUsage).toEqual({ promptTokens: 13, completionTokens: 65 + 110, totalTokens: usage.totalTokenCount, reasoningTokens: 110 });
    const cost = calculateCost(provider.modelInfo(), output.tokenUsage);
    expect(cost).toBeCloseTo(perMillion(13, 0.3) + perMillion(175, 2.5), 12);
  });

  it('generate-cached-content.json: cachedContentTokenCount is part of promptTokenCount, billed at the cached rate', async () => {
    const output = await infer('generate-cached-content.json');
    expect(output.tokenUsage).toEqual({ promptTokens: 9622, completionTokens: 35 + 136, totalTokens: 9793, cachedTokens: 9609, reasoningTokens: 136 });
    const info = provider.modelInfo();
    expect(info.pricing).toMatchObject({ input: 0.3, output: 2.5, cachedInput: 0.03 });
    expect(info.pricingSource).toContain('genai-prices');
    expect(calculateCost(info, output.tokenUsage)).toBeCloseTo(perMillion(13, 0.3) + perMillion(9609, 0.03) + perMillion(171, 2.5), 12);
  });

  it('generate-include-thoughts.json: thought parts are reasoning, the signature is kept, and goes back on the answer part', async () => {
    const recorded = fixtureJson('google/generate-include-thoughts.json').candidates[0].content.parts;
    const output = await infer('generate-include-thoughts.json');
    expect(output.reasoning).toBe(recorded[0].text);
    expect(output.content).toBe(recorded[1].text);
    expect(output.reasoningParts).toEqual([{ text: recorded[0].text, signature: recorded[1].thoughtSignature }]);
    expect(output.tokenUsage).toEqual({ promptTokens: 44, completionTokens: 551 + 1116, totalTokens: 1711, reasoningTokens: 1116 });

    await infer('generate-text.json', [...HELLO, { role: 'assistant', content: output.content, reasoning: output.reasoningParts }, { role: 'user', content: 'More?' }]);
    expect(lastBody().contents[1]).toEqual({
      role: 'model',
      parts: [
        { text: recorded[0].text, thought: true },
        { text: recorded[1].text, thoughtSignature: recorded[1].thoughtSignature },
      ],
    });
  });
});

describe('stream: streamGenerateContent?alt=sse, split into 1-7 byte writes', () => {
  for (const fixture of STREAMS) {
    it(`${fixture}: the same events and output at every split`, async () => {
      const whole = await stream({ fixture: `google/${fixture}` });
      expect(lastRequest().path).toBe(`${STREAM}?alt=sse`);
      expect(lastRequest().headers['x-goog-api-key']).toBe(FAKE_KEY);
      expect(whole.events.filter((event) => event.type === 'done')).toHaveLength(1);
      for (const chunkSize of SPLITS) {
        const split = await stream({ fixture: `google/${fixture}`, chunkSize });
        expect(split.events).toEqual(whole.events);
        expect(split.output).toEqual(whole.output);
      }
    });
  }

  it('stream-text-thoughts-token-count.sse: CRLF framing, usage on every chunk taken as running totals, never added up', async () => {
    const { events, output } = await stream({ fixture: 'google/stream-text-thoughts-token-count.sse' });
    const chunks = sseChunks('google/stream-text-thoughts-token-count.sse');
    const text = chunks.map((chunk) => chunk.candidates[0].content.parts[0].text).join('');
    expect(output).toMatchObject({ content: text, finishReason: 'stop', tokenUsage: { promptTokens: 13, completionTokens: 71 + 137, totalTokens: 221, reasoningTokens: 137 } });
    const usage = events.filter((event) => event.type === 'usage');
    expect(usage.map((event) => event.type === 'usage' && event.tokenUsage.completionTokens)).toEqual([29 + 137, 71 + 137]);
  });

  it('stream-function-call.sse: a whole functionCall in one chunk is a tool call; STOP with calls is tool-calls; signature kept', async () => {
    const { events, output } = await stream({ fixture: 'google/stream-function-call.sse' });
    const part = sseParts('google/stream-function-call.sse')[0];
    const result = output as InferenceOutput;
    expect(result.toolCalls).toEqual([{ id: 'ha_gemini_U7-Fao_EK_-VvdIP1-aJ8Qo_0', name: 'weather', arguments: { latitude: '52.5200', longitude: '13.4050' }, rawArguments: JSON.stringify(part.functionCall.args) }]);
    expect(result.finishReason).toBe('tool-calls');
    expect(result.metadata).toMatchObject({ rawFinishReason: 'STOP', finishMessage: 'Model generated function call(s).' });
    expect(result.reasoningParts).toEqual([{ text: '', signature: part.thoughtSignature }]);
    expect(events.map((event) => event.type).filter((type) => type !== 'usage')).toEqual(['tool-call-start', 'tool-call-delta', 'tool-call-end', 'reasoning-signature', 'done']);
  });

  it('stream-function-call-no-args.sse: "args": {} is a call with {} arguments', async () => {
    const { output } = await stream({ fixture: 'google/stream-function-call-no-args.sse' });
    expect((output as InferenceOutput).toolCalls).toMatchObject([{ name: 'best_language_to_learn', arguments: {}, rawArguments: '{}' }]);
  });

  it('stream-include-thoughts.sse: thought summaries stream as reasoning; the signature on the empty final part is kept', async () => {
    const parts = sseParts('google/stream-include-thoughts.sse');
    const { output } = await stream({ fixture: 'google/stream-include-thoughts.sse' });
    const result = output as InferenceOutput;
    expect(result.reasoning).toBe(parts.filter((part) => part.thought).map((part) => part.text).join(''));
    expect(result.content).toBe(parts.filter((part) => !part.thought).map((part) => part.text).join(''));
    expect(result.reasoningParts?.[0].signature).toBe(parts[parts.length - 1].thoughtSignature);
    expect(result.tokenUsage).toEqual({ promptTokens: 44, completionTokens: 608 + 902, totalTokens: 1554, reasoningTokens: 902 });
  });

  it('stream-text-gemini3-signature-on-empty-part.sse: the empty part is not dropped: its signature goes back on the next request', async () => {
    const parts = sseParts('google/stream-text-gemini3-signature-on-empty-part.sse');
    const signature = parts[parts.length - 1].thoughtSignature as string;
    const { output } = await stream({ fixture: 'google/stream-text-gemini3-signature-on-empty-part.sse' });
    const result = output as InferenceOutput;
    expect(parts[parts.length - 1].text).toBe('');
    expect(result.reasoningParts).toEqual([{ text: '', signature }]);
    await infer('generate-text.json', [...HELLO, { role: 'assistant', content: result.content, reasoning: result.reasoningParts }, { role: 'user', content: 'Sure?' }]);
    expect(lastBody().contents[1]).toEqual({ role: 'model', parts: [{ text: result.content, thoughtSignature: signature }] });
    // A turn whose only part was the signed empty one sends that part back as it came.
    await infer('generate-text.json', [...HELLO, { role: 'assistant', content: '', reasoning: result.reasoningParts }, { role: 'user', content: 'Sure?' }]);
    expect(lastBody().contents[1]).toEqual({ role: 'model', parts: [{ text: '', thoughtSignature: signature }] });
  });

  it('a stream cut before its finishReason chunk ends with one retryable error carrying the usage so far', async () => {
    const body = sseChunks('google/stream-text-thoughts-token-count.sse').map((chunk) => `data: ${JSON.stringify(chunk)}\r\n\r\n`)[0];
    const { events, output } = await stream({ status: 200, headers: { 'content-type': 'text/event-stream' }, body });
    const last = events[events.length - 1];
    expect(last.type).toBe('error');
    if (last.type !== 'error') return;
    expect(last.error).toBeInstanceOf(InvalidResponseError);
    expect(last.error.retryable).toBe(true);
    expect(last.tokenUsage).toEqual({ promptTokens: 13, completionTokens: 29 + 137, totalTokens: 179, reasoningTokens: 137 });
    expect(output).toBe(last.error);
  });
});

describe('tools round trip', () => {
  it('the streamed call goes back as functionCall with its signature, the result as functionResponse named after it', async () => {
    const part = sseParts('google/stream-function-call.sse')[0];
    server.enqueue(STREAM, { fixture: 'google/stream-function-call.sse' });
    const first = await provider.inferStream(HELLO, [WEATHER]).output();
    const call = first.toolCalls![0];
    const history: LLMMessage[] = [
      ...HELLO,
      { role: 'assistant', content: first.content, toolCalls: first.toolCalls, reasoning: first.reasoningParts },
      { role: 'tool', toolCallId: call.id, content: '{"temperature": 21}' },
    ];
    await infer('generate-text.json', history, [WEATHER]);
    const sent = lastBody();
    expect(sent.contents[1]).toEqual({ role: 'model', parts: [{ functionCall: part.functionCall, thoughtSignature: part.thoughtSignature }] });
    expect(sent.contents[2]).toEqual({ role: 'user', parts: [{ functionResponse: { name: 'weather', response: { output: '{"temperature": 21}' } } }] });
    expect(sent.tools).toEqual([{ functionDeclarations: [{ name: 'weather', description: WEATHER.description, parametersJsonSchema: WEATHER.parameters }] }]);
  });
});

describe('errors: Google RPC envelopes mapped to typed errors', () => {
  it('error-400-api-key-invalid.json: 400 INVALID_ARGUMENT with ErrorInfo API_KEY_INVALID is an authentication error', async () => {
    server.enqueue(GENERATE, { fixture: 'google/error-400-api-key-invalid.json' });
    const error = await provider.infer(HELLO).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ code: 'HA_AUTHENTICATION', status: 400, providerCode: 'API_KEY_INVALID', provider: 'google', retryable: false });
    expect((error as Error).message).toContain('API key not valid');
    expect((error as Error).message).toContain('GEMINI_API_KEY');
    expect((error as Error).message).not.toContain(FAKE_KEY);
  });

  it('the same refusal on a stream request is mapped the same way', async () => {
    const { events } = await stream({ fixture: 'google/error-400-api-key-invalid.json' });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'error', error: { code: 'HA_AUTHENTICATION', providerCode: 'API_KEY_INVALID' } });
  });

  // Hand-made (no real 429 body was found, see SOURCES.md): the documented RESOURCE_EXHAUSTED envelope with RetryInfo.
  const RATE_LIMITED = JSON.stringify({
    error: {
      code: 429,
      message: 'You exceeded your current quota, please check your plan and billing details.',
      status: 'RESOURCE_EXHAUSTED',
      details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '48s' }],
    },
  });

  it('hand-made 429 RESOURCE_EXHAUSTED: a rate-limit error with RetryInfo.retryDelay as retryAfterMs', async () => {
    server.enqueue(GENERATE, { status: 429, headers: { 'content-type': 'application/json' }, body: RATE_LIMITED });
    const error = await provider.infer(HELLO).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ code: 'HA_RATE_LIMITED', status: 429, providerCode: 'RESOURCE_EXHAUSTED', retryAfterMs: 48_000, retryable: true });
  });

  it('hand-made: an error object in the middle of a stream ends it with the same typed error and the usage so far', async () => {
    const first = `data: ${JSON.stringify(sseChunks('google/stream-text-thoughts-token-count.sse')[0])}\r\n\r\n`;
    const { events } = await stream({ status: 200, headers: { 'content-type': 'text/event-stream' }, body: `${first}data: ${RATE_LIMITED}\r\n\r\n` });
    const last = events[events.length - 1];
    expect(last).toMatchObject({ type: 'error', error: { code: 'HA_RATE_LIMITED', retryAfterMs: 48_000 }, tokenUsage: { promptTokens: 13 } });
  });

  it('no key: a MissingApiKeyError naming both variables, before anything is sent; GOOGLE_API_KEY is read too', async () => {
    const keyless = new GoogleProvider({ baseURL: `${server.baseURL}/v1beta`, env: {} });
    const before = server.requests.length;
    await expect(keyless.infer(HELLO)).rejects.toThrow(MissingApiKeyError);
    await expect(keyless.infer(HELLO)).rejects.toThrow(/GEMINI_API_KEY.*GOOGLE_API_KEY/);
    expect(server.requests.length).toBe(before);
    const fromGoogleVar = new GoogleProvider({ baseURL: `${server.baseURL}/v1beta`, env: { GOOGLE_API_KEY: 'hyperagent-test-google-var-key-91c2' } });
    server.enqueue(GENERATE, { fixture: 'google/generate-text.json' });
    await fromGoogleVar.infer(HELLO);
    expect(lastRequest().headers['x-goog-api-key']).toBe('hyperagent-test-google-var-key-91c2');
  });
});
