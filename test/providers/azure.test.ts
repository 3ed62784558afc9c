// Azure OpenAI / Foundry on the recordings in test/fixtures/recorded/azure (SOURCES.md there; the
// files named *.hand-made.* are written from Azure's documented shapes) over loopback HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationError, ErrorCode, InvalidRequestError, RateLimitError } from '../../core/errors.js';
import { closeAllPools } from '../../core/http.js';
import { calculateCost } from '../../core/cost.js';
import { createHyperAgent } from '../../core/create-hyper-agent.js';
import type { StreamEvent } from '../../core/types.js';
import { AzureOpenAIProvider } from '../../plugins/azure/index.js';
import { ReplayServer } from '../replay-server.js';

const KEY = 'azure-test-key-0123456789abcdef';
const TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOi-entra-test-token';
const ASK = [{ role: 'user' as const, content: 'What is 2 + 2?' }];
const weather = { name: 'weather', description: 'Weather at a point', parameters: { type: 'object', properties: { latitude: { type: 'string' }, longitude: { type: 'string' } } } };
const SPLITS = [1, 3, 7];

let server: ReplayServer;
let v1: AzureOpenAIProvider;

beforeAll(async () => {
  server = await new ReplayServer().start();
  v1 = new AzureOpenAIProvider({ apiKey: KEY, model: 'my-gpt', modelName: 'gpt-4o-mini', baseURL: `${server.baseURL}/openai/v1` });
});

afterAll(async () => {
  await server.stop();
  await closeAllPools();
});

async function events(stream: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const event of stream) out.push(event);
  return out;
}

describe('the v1 API: {baseURL}/chat/completions, the deployment as model, the api-key header', () => {
  it('infers text with usage, a cost from the model behind the deployment, and the request id', async () => {
    server.enqueue('/openai/v1/chat/completions', { fixture: 'azure/chat-completion-text.json' });
    const output = await v1.infer(ASK);
    expect([output.content, output.finishReason]).toEqual(['4', 'stop']);
    expect(output.tokenUsage).toMatchObject({ promptTokens: 7, completionTokens: 1, totalTokens: 8 });
    const sent = server.requests.at(-1)!;
    expect(sent.headers['api-key']).toBe(KEY);
    expect(sent.headers.authorization).toBeUndefined();
    expect((sent.body as { model: string }).model).toBe('my-gpt');
    expect(v1.modelInfo()).toMatchObject({ id: 'my-gpt', provider: 'azure', pricing: { input: 0.15, output: 0.6 }, contextWindow: 128_000 });
    expect(calculateCost(v1.modelInfo(), { promptTokens: 1000, completionTokens: 100, totalTokens: 1100 })).toBeCloseTo((1000 * 0.15 + 100 * 0.6) / 1e6, 12);
  });

  it('streams text byte-split to the same answer and usage', async () => {
    for (const chunkSize of SPLITS) {
      server.enqueue('/openai/v1/chat/completions', { fixture: 'azure/chat-stream-text.sse', chunkSize });
      const stream = v1.inferStream(ASK);
      const out = await events(stream);
      expect(out.filter((event) => event.type === 'done')).toHaveLength(1);
      const output = await stream.output();
      expect(output.content).toMatch(/^1, 2/);
      expect(output.tokenUsage).toMatchObject({ promptTokens: 7, completionTokens: 8 });
    }
  });

  it('keeps prompt and completion filter results in metadata, and reasoning tokens in usage, behind a filter-only first chunk', async () => {
    for (const chunkSize of SPLITS) {
      server.enqueue('/openai/v1/chat/completions', { fixture: 'azure/chat-stream-reasoning-prompt-filter-results.sse', chunkSize });
      const output = await v1.inferStream(ASK).output();
      expect(output.metadata).toMatchObject({ responseId: 'chatcmpl-EEbfrHnccAO8ZtkBZbyJLKyzG4nHr', model: 'gpt-5-nano-2025-08-07' });
      expect(output.metadata.promptFilterResults).toEqual([expect.objectContaining({ prompt_index: 0, content_filter_results: expect.objectContaining({ jailbreak: { detected: false, filtered: false } }) })]);
      expect(output.metadata.contentFilterResults).toEqual({ protected_material_code: { detected: false, filtered: false } });
      expect(output.tokenUsage).toMatchObject({ promptTokens: 50, completionTokens: 4350, reasoningTokens: 4160, cachedTokens: 0 });
    }
  });

  it('tool calls, not streamed (recording) and streamed byte-split (hand-made), with cached tokens', async () => {
    server.enqueue('/openai/v1/chat/completions', { fixture: 'azure/chat-completion-tool-call.json' });
    const whole = await v1.infer(ASK, [weather]);
    expect(whole.toolCalls).toEqual([expect.objectContaining({ id: 'call_28791505', name: 'weather', arguments: { latitude: '52.5200', longitude: '13.4050' } })]);
    expect(whole.finishReason).toBe('tool-calls');
    for (const chunkSize of SPLITS) {
      server.enqueue('/openai/v1/chat/completions', { fixture: 'azure/chat-stream-tool-call.hand-made.sse', chunkSize });
      const streamed = await v1.inferStream(ASK, [weather]).output();
      expect(streamed.toolCalls).toEqual([expect.objectContaining({ id: 'call_az1', arguments: { latitude: '52.52', longitude: '13.405' } })]);
      expect(streamed.tokenUsage).toMatchObject({ promptTokens: 180, cachedTokens: 128, completionTokens: 22 });
      expect(calculateCost(v1.modelInfo(), streamed.tokenUsage)).toBeCloseTo((52 * 0.15 + 128 * 0.075 + 22 * 0.6) / 1e6, 12);
    }
  });

  it('a content-filter refusal is finish reason content-filter, with the filter results', async () => {
    server.enqueue('/openai/v1/chat/completions', { fixture: 'azure/chat-completion-content-filter.hand-made.json' });
    const output = await v1.infer(ASK);
    expect([output.content, output.finishReason]).toEqual(['', 'content-filter']);
    expect(output.metadata.contentFilterResults).toEqual({ violence: { filtered: true, severity: 'high' } });
  });

  it('embeddings at {baseURL}/embeddings with the embeddings deployment', async () => {
    server.enqueue('/openai/v1/embeddings', { fixture: 'azure/embeddings.hand-made.json' });
    const output = await v1.embed(['a', 'b'], { model: 'my-embeddings' });
    expect(output.embeddings).toEqual([[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]]);
    expect((server.requests.at(-1)!.body as { model: string }).model).toBe('my-embeddings');
  });
});

describe('errors: string codes, retry-after, the content filter', () => {
  it('401 with code "401" is an AuthenticationError naming AZURE_OPENAI_API_KEY', async () => {
    server.enqueue('/openai/v1/chat/completions', { fixture: 'azure/error-401-invalid-subscription-key.json', status: 401 });
    const error = await v1.infer(ASK).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, providerCode: '401' });
    expect((error as Error).message).toContain('AZURE_OPENAI_API_KEY');
    expect((error as Error).message).not.toContain(KEY);
  });

  it('429 RateLimitReached is retryable with retryAfterMs and the remaining counts', async () => {
    server.enqueue('/openai/v1/chat/completions', { fixture: 'azure/error-429-rate-limit-reached.hand-made.json' });
    const error = await v1.infer(ASK).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ code: ErrorCode.RATE_LIMITED, retryable: true, retryAfterMs: 12_000, providerCode: 'RateLimitReached', rateLimit: { remainingRequests: 0, remainingTokens: 0 } });
  });

  it('a prompt the filter refused is a non-retryable InvalidRequestError naming the categories', async () => {
    server.enqueue('/openai/v1/chat/completions', { fixture: 'azure/error-400-content-filter.hand-made.json', status: 400 });
    const error = await v1.infer(ASK).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({ retryable: false, providerCode: 'content_filter', status: 400 });
    expect((error as Error).message).toMatch(/content filter flagged it \(violence\)/);
  });
});

describe('the classic deployments form, Entra ID tokens, the Responses API', () => {
  it('options.apiVersion: /openai/deployments/{deployment}/chat/completions?api-version=', async () => {
    const classic = new AzureOpenAIProvider({ apiKey: KEY, model: 'my-gpt', baseURL: `${server.baseURL}/openai`, apiVersion: '2024-10-21' });
    server.enqueue('/openai/deployments/my-gpt/chat/completions', { fixture: 'azure/chat-completion-text.json' });
    expect((await classic.infer(ASK)).content).toBe('4');
    expect(server.requests.at(-1)!.path).toBe('/openai/deployments/my-gpt/chat/completions?api-version=2024-10-21');
    server.enqueue('/openai/deployments/my-embeddings/embeddings', { fixture: 'azure/embeddings.hand-made.json' });
    await classic.embed(['a', 'b'], { model: 'my-embeddings' });
    expect(server.requests.at(-1)!.path).toBe('/openai/deployments/my-embeddings/embeddings?api-version=2024-10-21');
  });

  it('options.azureADToken goes as a bearer, never as api-key, and never in the backend’s options', async () => {
    const entra = new AzureOpenAIProvider({ model: 'my-gpt', baseURL: `${server.baseURL}/openai/v1`, azureADToken: TOKEN, env: {} });
    server.enqueue('/openai/v1/chat/completions', { fixture: 'azure/chat-completion-text.json' });
    await entra.infer(ASK);
    expect(server.requests.at(-1)!.headers).toMatchObject({ authorization: `Bearer ${TOKEN}` });
    expect(server.requests.at(-1)!.headers['api-key']).toBeUndefined();
    expect(JSON.stringify(entra)).not.toContain(TOKEN);
    expect(JSON.stringify(entra.withMaxTokens(10))).not.toContain(TOKEN);
  });

  it('options.api "responses": text and content_filters, streamed byte-split and not', async () => {
    const responses = new AzureOpenAIProvider({ apiKey: KEY, model: 'gpt-5.1', baseURL: `${server.baseURL}/openai/v1`, api: 'responses' });
    server.enqueue('/openai/v1/responses', { fixture: 'azure/responses-text.json' });
    const whole = await responses.infer(ASK);
    expect(whole.content).not.toBe('');
    expect(whole.metadata.contentFilters).toEqual(expect.arrayContaining([expect.objectContaining({ blocked: false, source_type: 'prompt' })]));
    for (const chunkSize of SPLITS) {
      server.enqueue('/openai/v1/responses', { fixture: 'azure/responses-stream-text.sse', chunkSize, headers: { 'content-type': 'text/event-stream' } });
      const streamed = await responses.inferStream(ASK).output();
      expect(streamed.content).toMatch(/^Hello/);
      expect(streamed.tokenUsage).toMatchObject({ promptTokens: 11, completionTokens: 11, totalTokens: 22 });
      expect(streamed.metadata.contentFilters).toEqual(expect.arrayContaining([expect.objectContaining({ source_type: 'prompt' })]));
    }
  });

  it('from the config, exactly as the issue writes it; validate knows the options', async () => {
    const agent = await createHyperAgent({
      config: { backends: { az: { provider: 'azure', model: 'my-gpt', apiKey: '${AZURE_OPENAI_API_KEY}', baseURL: `${server.baseURL}/openai/v1`, options: { modelName: 'gpt-4o-mini' } } } },
      env: { AZURE_OPENAI_API_KEY: KEY },
    });
    server.enqueue('/openai/v1/chat/completions', { fixture: 'azure/chat-completion-text.json' });
    expect((await agent.backend('az').infer(ASK)).content).toBe('4');
    expect(agent.backend('az').modelInfo().pricing).toMatchObject({ input: 0.15 });
    await expect(
      createHyperAgent({ config: { backends: { az: { provider: 'azure', model: 'x', baseURL: 'https://r.openai.azure.com/openai/v1', options: { apiVersoin: '1' } } } }, env: {} }).then((bad) => bad.backend('az')),
    ).rejects.toThrow(/apiVersoin/);
  });
});
