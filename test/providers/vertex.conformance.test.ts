// The vertex provider against every recorded response in test/fixtures/recorded/google-vertex (and two
// Anthropic recordings for Claude on Vertex), over real HTTP on 127.0.0.1, with a given access token.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calculateCost } from '../../core/cost.js';
import { ContextLengthError, type HyperAgentError } from '../../core/errors.js';
import { closeAllPools } from '../../core/http.js';
import type { InferenceOutput, LLMMessage, StreamEvent } from '../../core/types.js';
import { VertexProvider } from '../../plugins/vertex/index.js';
import { FIXTURES_DIR, ReplayServer, type ReplayRoute } from '../replay-server.js';
import { collect, fixtureJson, perMillion, sseParts, SPLITS } from './google-helpers.js';

const TOKEN = 'ya29.hyperagent-test-vertex-token-3e8f1a';
const MODEL = 'gemini-2.5-flash';
const ROOT = '/v1/projects/test-project/locations/us-central1/publishers';
const GENERATE = `${ROOT}/google/models/${MODEL}:generateContent`;
const STREAM = `${ROOT}/google/models/${MODEL}:streamGenerateContent`;
const HELLO: readonly LLMMessage[] = [{ role: 'user', content: 'Hello' }];

let server: ReplayServer;
let provider: VertexProvider;

beforeAll(async () => {
  server = await new ReplayServer().start();
  provider = new VertexProvider({ accessToken: TOKEN, project: 'test-project', location: 'us-central1', baseURL: `${server.baseURL}/v1`, model: MODEL, env: {} });
});

afterAll(async () => {
  await server.stop();
  await closeAllPools();
});

const lastRequest = () => server.requests[server.requests.length - 1];

async function stream(route: ReplayRoute, backend: VertexProvider = provider, path = STREAM): Promise<{ events: StreamEvent[]; output: InferenceOutput | HyperAgentError }> {
  server.enqueue(path, route);
  const call = backend.inferStream(HELLO);
  const events = await collect(call);
  return { events, output: await call.output().catch((error: HyperAgentError) => error) };
}

const STREAMS = ['stream-function-call-no-args.sse', 'stream-include-thoughts.sse', 'stream-partial-args-will-continue.sse', 'stream-text.sse', 'stream-thought-then-no-args-function-call.sse'];

describe('every recorded Vertex AI fixture is exercised', () => {
  it('lists exactly the fixtures this file replays', () => {
    const bodies = readdirSync(join(FIXTURES_DIR, 'google-vertex')).filter((name) => !name.endsWith('.headers.txt'));
    expect(bodies.sort()).toEqual(['error-400-input-token-limit.json', 'generate-text.json', ...STREAMS].sort());
  });
});

describe('Gemini on Vertex', () => {
  it('generate-text.json: role before parts, createTime and avgLogprobs read; the bearer token is the credential', async () => {
    server.enqueue(GENERATE, { fixture: 'google-vertex/generate-text.json' });
    const output = await provider.infer(HELLO);
    expect(output).toMatchObject({
      content: '2 + 2 = **4**',
      finishReason: 'stop',
      tokenUsage: { promptTokens: 9, completionTokens: 8 + 19, totalTokens: 36, reasoningTokens: 19 },
      metadata: { provider: 'vertex', model: MODEL, responseId: 'VL-FaoGaIojltfAPjcuNiAM', avgLogprobs: -1.1321870088577271, trafficType: 'ON_DEMAND' },
    });
    expect(lastRequest().path).toBe(GENERATE);
    expect(lastRequest().headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(lastRequest().headers['x-goog-api-key']).toBeUndefined();
    expect(calculateCost(provider.modelInfo(), output.tokenUsage)).toBeCloseTo(perMillion(9, 0.3) + perMillion(27, 2.5), 12);
  });

  for (const fixture of STREAMS) {
    it(`${fixture}: the same events and output at every 1-7 byte split`, async () => {
      const whole = await stream({ fixture: `google-vertex/${fixture}` });
      expect(lastRequest().path).toBe(`${STREAM}?alt=sse`);
      expect(whole.events.filter((event) => event.type === 'done')).toHaveLength(1);
      for (const chunkSize of SPLITS) {
        const split = await stream({ fixture: `google-vertex/${fixture}`, chunkSize });
        expect(split.events).toEqual(whole.events);
        expect(split.output).toEqual(whole.output);
      }
    });
  }

  it('stream-include-thoughts.sse: early chunks carry usageMetadata with only trafficType: no zero counts are reported', async () => {
    const { events, output } = await stream({ fixture: 'google-vertex/stream-include-thoughts.sse' });
    const usage = events.filter((event) => event.type === 'usage');
    expect(usage).toHaveLength(1);
    expect((output as InferenceOutput).tokenUsage).toEqual({ promptTokens: 43, completionTokens: 618 + 757, totalTokens: 1418, reasoningTokens: 757 });
    const parts = sseParts('google-vertex/stream-include-thoughts.sse');
    expect((output as InferenceOutput).reasoningParts?.[0].signature).toBe(parts[parts.length - 1].thoughtSignature);
  });

  it('stream-partial-args-will-continue.sse: calls rebuilt from partialArgs JSON paths, strings appended, closed by {}', async () => {
    const { events, output } = await stream({ fixture: 'google-vertex/stream-partial-args-will-continue.sse' });
    const result = output as InferenceOutput;
    expect(result.toolCalls?.map((call) => [call.name, call.arguments, call.rawArguments])).toEqual([
      ['getWeather', { location: 'Boston' }, '{"location":"Boston"}'],
      ['getWeather', { location: 'San Francisco' }, '{"location":"San Francisco"}'],
    ]);
    expect(new Set(result.toolCalls?.map((call) => call.id)).size).toBe(2);
    expect(result.finishReason).toBe('tool-calls');
    expect(result.reasoningParts).toEqual([{ text: '', signature: sseParts('google-vertex/stream-partial-args-will-continue.sse')[0].thoughtSignature }]);
    expect(events.filter((event) => event.type === 'tool-call-start')).toHaveLength(2);
  });

  it('stream-thought-then-no-args-function-call.sse: {name} with no args key is a {} call; its signature kept; streamed calls after it', async () => {
    const parts = sseParts('google-vertex/stream-thought-then-no-args-function-call.sse');
    const { output } = await stream({ fixture: 'google-vertex/stream-thought-then-no-args-function-call.sse' });
    const result = output as InferenceOutput;
    expect(result.toolCalls?.map((call) => [call.name, call.arguments])).toEqual([
      ['read_theme', {}],
      ['read_screen', { id: 'A' }],
      ['read_screen', { id: 'B' }],
      ['read_screen', { id: 'C' }],
    ]);
    expect(result.reasoning).toBe(parts[0].text);
    expect(result.reasoningParts?.[0].signature).toBe(parts[1].thoughtSignature);
    expect(result.metadata.trafficType).toBe('PROVISIONED_THROUGHPUT');

    // Round trip: the signature goes back on the first function call, as it came.
    server.enqueue(GENERATE, { fixture: 'google-vertex/generate-text.json' });
    const history: LLMMessage[] = [
      ...HELLO,
      { role: 'assistant', content: result.content, toolCalls: result.toolCalls, reasoning: result.reasoningParts },
      ...result.toolCalls!.map((call): LLMMessage => ({ role: 'tool', toolCallId: call.id, content: 'ok' })),
    ];
    await provider.infer(history);
    const sent = lastRequest().body as { contents: { role: string; parts: Record<string, unknown>[] }[] };
    expect(sent.contents[1].parts[0]).toEqual({ text: parts[0].text, thought: true });
    expect(sent.contents[1].parts[1]).toEqual({ functionCall: { name: 'read_theme', args: {} }, thoughtSignature: parts[1].thoughtSignature });
    expect(sent.contents[1].parts.slice(2).map((part) => part.thoughtSignature)).toEqual([undefined, undefined, undefined]);
    expect(sent.contents[2].parts).toHaveLength(4);
  });

  it('error-400-input-token-limit.json: INVALID_ARGUMENT over the token limit is a context-length error', async () => {
    server.enqueue(GENERATE, { fixture: 'google-vertex/error-400-input-token-limit.json' });
    const error = await provider.infer(HELLO).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ContextLengthError);
    expect(error).toMatchObject({ code: 'HA_CONTEXT_LENGTH_EXCEEDED', status: 400, providerCode: 'INVALID_ARGUMENT', provider: 'vertex', retryable: false });
    expect((error as Error).message).toContain('1250074');
  });

  it('streamFunctionCallArguments asks for partialArgs in toolConfig', async () => {
    const streaming = new VertexProvider({ accessToken: TOKEN, project: 'test-project', baseURL: `${server.baseURL}/v1`, model: MODEL, env: {}, streamFunctionCallArguments: true });
    server.enqueue(GENERATE, { fixture: 'google-vertex/generate-text.json' });
    await streaming.infer(HELLO, [{ name: 'getWeather', description: 'w', parameters: { type: 'object', properties: {} } }]);
    expect((lastRequest().body as Record<string, unknown>).toolConfig).toEqual({ functionCallingConfig: { mode: 'AUTO', streamFunctionCallArguments: true } });
  });
});

describe('Claude on Vertex: Anthropic Messages over rawPredict / streamRawPredict', () => {
  const CLAUDE = 'claude-sonnet-4-5@20250929';
  const claude = () => new VertexProvider({ accessToken: TOKEN, project: 'test-project', baseURL: `${server.baseURL}/v1`, model: CLAUDE, env: {} });

  it('infer: the body has anthropic_version and no model; the answer is read as Anthropic', async () => {
    server.enqueue(`${ROOT}/anthropic/models/${CLAUDE}:rawPredict`, { fixture: 'anthropic/messages-text.json' });
    const output = await claude().infer(HELLO, [], { thinking: { budgetTokens: 2048 } });
    expect(output.content).toBe(fixtureJson('anthropic/messages-text.json').content[0].text);
    expect(output.metadata.provider).toBe('vertex');
    const body = lastRequest().body as Record<string, unknown>;
    expect(body).toMatchObject({ anthropic_version: 'vertex-2023-10-16', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }], thinking: { type: 'enabled', budget_tokens: 2048 } });
    expect(body.model).toBeUndefined();
    expect(lastRequest().headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(claude().modelInfo().pricing).toMatchObject({ input: 3, output: 15 });
  });

  it('stream: Anthropic SSE from streamRawPredict, byte-split', async () => {
    const path = `${ROOT}/anthropic/models/${CLAUDE}:streamRawPredict`;
    const whole = await stream({ fixture: 'anthropic/stream-text.sse' }, claude(), path);
    expect((lastRequest().body as Record<string, unknown>).stream).toBe(true);
    expect((whole.output as InferenceOutput).finishReason).toBe('stop');
    for (const chunkSize of [1, 7]) expect((await stream({ fixture: 'anthropic/stream-text.sse', chunkSize }, claude(), path)).output).toEqual(whole.output);
  });
});

describe('the vertex backend on the provider kit (HttpProvider)', () => {
  it('a copy made by a builder keeps the token and the settings; logging a backend shows neither token nor private key', async () => {
    const copy = provider.withModel('gemini-2.5-pro').withMaxTokens(64).withModel(MODEL);
    server.enqueue(GENERATE, { fixture: 'google-vertex/generate-text.json' });
    await copy.infer(HELLO);
    expect(lastRequest().headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(lastRequest().body).toMatchObject({ generationConfig: { maxOutputTokens: 64 } });
    const privateKey = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ-hyperagent-test\n-----END PRIVATE KEY-----\n';
    const withAccount = new VertexProvider({ credentials: { type: 'service_account', client_email: 'ci@test-project.iam.gserviceaccount.com', private_key: privateKey, project_id: 'test-project' }, env: {} });
    for (const backend of [provider, copy, withAccount, withAccount.withMaxTokens(10)]) {
      const shown = `${JSON.stringify(backend)}\n${inspect(backend, { depth: 10, showHidden: true })}`;
      expect(shown).not.toContain(TOKEN);
      expect(shown).not.toContain('hyperagent-test\n');
      expect(shown).not.toContain('BEGIN PRIVATE KEY');
      expect(Object.keys(backend.options)).not.toContain('credentials');
      expect(Object.keys(backend.options)).not.toContain('accessToken');
    }
  });
});
