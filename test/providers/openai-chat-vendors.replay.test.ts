// Every named Chat Completions vendor (groq, together, fireworks, cerebras, deepinfra, perplexity,
// deepseek, xai) and local server (vllm, llamacpp, lmstudio) on the RECORDED Chat Completions
// answers of test/fixtures/recorded (no recording of these vendors' own exists: they speak the
// same wire, which is what is checked here), over the replay server on 127.0.0.1, streams split into
// 1–7-byte writes: infer, stream, tools streamed and not, usage with cached and reasoning tokens,
// cost from the vendor's catalog, errors with the vendor's key variable and retryAfterMs. The
// vendors' own shapes (DeepSeek's cache fields, xAI's reasoning, Perplexity's citations) are in
// openai-compatible-vendors.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calculateCost } from '../../core/cost.js';
import { AuthenticationError, RateLimitError, type HyperAgentError } from '../../core/errors.js';
import { closeAllPools } from '../../core/http.js';
import type { InferenceOutput, LLMBackend, LLMMessage, StreamEvent } from '../../core/types.js';
import { CerebrasProvider } from '../../plugins/cerebras/index.js';
import { DeepInfraProvider } from '../../plugins/deepinfra/index.js';
import { DeepSeekProvider } from '../../plugins/deepseek/index.js';
import { FireworksProvider } from '../../plugins/fireworks/index.js';
import { GroqProvider } from '../../plugins/groq/index.js';
import { LlamaCppProvider } from '../../plugins/llamacpp/index.js';
import { LMStudioProvider } from '../../plugins/lmstudio/index.js';
import { PerplexityProvider } from '../../plugins/perplexity/index.js';
import { TogetherProvider } from '../../plugins/together/index.js';
import { VLLMProvider } from '../../plugins/vllm/index.js';
import { XAIProvider } from '../../plugins/xai/index.js';
import { ReplayServer } from '../replay-server.js';
import { collect, expectNoKey, expectOneTerminal, textOf } from './openai-style-helpers.js';

const HELLO: readonly LLMMessage[] = [{ role: 'user', content: 'Hello' }];
const CHAT = '/v1/chat/completions';

interface Vendor {
  readonly name: string;
  /** The key variable named in a refused key's advice; undefined for local servers (no key needed). */
  readonly envVar?: string;
  readonly make: (baseURL: string, apiKey: string | undefined) => LLMBackend;
  /** Catalog priced (cloud vendors), or $0 (a local server). */
  readonly priced: 'catalog' | 'free';
  /** xAI reports reasoning outside completion_tokens; the others inside. */
  readonly reasoningOutsideCompletion?: boolean;
}

const VENDORS: readonly Vendor[] = [
  { name: 'groq', envVar: 'GROQ_API_KEY', make: (baseURL, apiKey) => new GroqProvider({ apiKey, baseURL }), priced: 'catalog' },
  { name: 'together', envVar: 'TOGETHER_API_KEY', make: (baseURL, apiKey) => new TogetherProvider({ apiKey, baseURL }), priced: 'catalog' },
  { name: 'fireworks', envVar: 'FIREWORKS_API_KEY', make: (baseURL, apiKey) => new FireworksProvider({ apiKey, baseURL }), priced: 'catalog' },
  { name: 'cerebras', envVar: 'CEREBRAS_API_KEY', make: (baseURL, apiKey) => new CerebrasProvider({ apiKey, baseURL }), priced: 'catalog' },
  { name: 'deepinfra', envVar: 'DEEPINFRA_API_KEY', make: (baseURL, apiKey) => new DeepInfraProvider({ apiKey, baseURL }), priced: 'catalog' },
  { name: 'perplexity', envVar: 'PERPLEXITY_API_KEY', make: (baseURL, apiKey) => new PerplexityProvider({ apiKey, baseURL }), priced: 'catalog' },
  { name: 'deepseek', envVar: 'DEEPSEEK_API_KEY', make: (baseURL, apiKey) => new DeepSeekProvider({ apiKey, baseURL }), priced: 'catalog' },
  { name: 'xai', envVar: 'XAI_API_KEY', make: (baseURL, apiKey) => new XAIProvider({ apiKey, baseURL }), priced: 'catalog', reasoningOutsideCompletion: true },
  { name: 'vllm', make: (baseURL, apiKey) => new VLLMProvider({ apiKey, baseURL, model: 'Qwen/Qwen3-8B' }), priced: 'free' },
  { name: 'llamacpp', make: (baseURL, apiKey) => new LlamaCppProvider({ apiKey, baseURL }), priced: 'free' },
  { name: 'lmstudio', make: (baseURL, apiKey) => new LMStudioProvider({ apiKey, baseURL, model: 'qwen3-8b' }), priced: 'free' },
];

const SIZES = [1, 2, 3, 5, 7] as const;

let server: ReplayServer;
beforeAll(async () => {
  server = await new ReplayServer().start();
});
afterAll(async () => {
  await server.stop();
  await closeAllPools();
});

const keyOf = (vendor: Vendor): string => `hyperagent-replay-${vendor.name}-key-5e1f0c`;
const backendOf = (vendor: Vendor): LLMBackend => vendor.make(`${server.baseURL}/v1`, keyOf(vendor));

/** The cost of `output` at the configured model's price, as the cost plugin computes it. */
function expectCost(vendor: Vendor, backend: LLMBackend, output: Pick<InferenceOutput, 'tokenUsage'>): void {
  const info = backend.modelInfo();
  const cost = calculateCost(info, output.tokenUsage);
  if (vendor.priced === 'free') {
    expect(cost).toBe(0);
    return;
  }
  expect(info.pricing, `${vendor.name}'s catalog prices ${info.id}`).not.toBe('unknown');
  const pricing = info.pricing as { input: number; output: number; perRequest?: number };
  expect(pricing.input).toBeGreaterThan(0);
  expect(cost).toBeGreaterThan(0);
  // 13 prompt and 31 completion tokens, nothing cached: the per-million sum, plus a per-request fee
  // where the vendor charges one (Perplexity's search).
  if (output.tokenUsage.promptTokens === 13) expect(cost).toBeCloseTo((13 * pricing.input + 31 * pricing.output) / 1e6 + (pricing.perRequest ?? 0), 12);
}

describe.each(VENDORS)('$name on the recorded Chat Completions wire', (vendor) => {
  it('infer: text, usage and finish reason as recorded; its own key as a bearer token; priced from its catalog', async () => {
    const backend = backendOf(vendor);
    server.enqueue(CHAT, { fixture: 'openai/chat-completion-text.json' });
    const output = await backend.infer(HELLO);
    expect(output.content).toBe("Hello! I'm just a computer program, so I don't have feelings, but I'm here to help you. How can I assist you today?");
    expect(output.tokenUsage).toMatchObject({ promptTokens: 13, completionTokens: 31, totalTokens: 44 });
    expect(output.finishReason).toBe('stop');
    expect(output.metadata).toMatchObject({ provider: vendor.name, requestId: 'req_7997c69c86b744538a2884c8d777754b' });
    const request = server.requests.at(-1)!;
    expect(request.path).toBe(CHAT);
    expect(request.headers.authorization).toBe(`Bearer ${keyOf(vendor)}`);
    expect((request.body as { model: string }).model).toBe(backend.model);
    expectCost(vendor, backend, output);
  });

  it('infer with a tool: the recorded call, its arguments parsed', async () => {
    const backend = backendOf(vendor);
    server.enqueue(CHAT, { fixture: 'openai/chat-completion-tool-calls.json' });
    const output = await backend.infer(HELLO, [{ name: 'getCurrentWeather', description: 'Weather', parameters: { type: 'object', properties: { location: { type: 'string' } } } }]);
    expect(output.toolCalls).toEqual([{ id: 'call_olc8qHf1RDItRqwuEBNjsu3B', name: 'getCurrentWeather', arguments: { location: 'Boston' }, rawArguments: '{"location":"Boston"}' }]);
    expect(output.finishReason).toBe('tool-calls');
    expect((server.requests.at(-1)!.body as { tools: unknown[] }).tools).toHaveLength(1);
  });

  it('stream in 1, 2, 3, 5 and 7-byte writes: the same events as whole, one done with the recorded usage', async () => {
    const backend = backendOf(vendor);
    server.enqueue(CHAT, { fixture: 'openai/chat-stream-text-include-usage.sse' });
    const whole = await collect(backend.inferStream(HELLO));
    expect(expectOneTerminal(whole)).toMatchObject({ type: 'done', finishReason: 'stop', tokenUsage: { promptTokens: 14, completionTokens: 13, totalTokens: 27 } });
    expect(textOf(whole).length).toBeGreaterThan(0);
    for (const chunkSize of SIZES) {
      server.enqueue(CHAT, { fixture: 'openai/chat-stream-text-include-usage.sse', chunkSize });
      expect(await collect(backend.inferStream(HELLO)), `${chunkSize}-byte writes`).toEqual(whole);
    }
    expect((server.requests.at(-1)!.body as { stream_options?: unknown }).stream_options).toEqual({ include_usage: true });
  });

  it('stream with a tool, in 3-byte writes: the argument deltas assembled into one call', async () => {
    const backend = backendOf(vendor);
    server.enqueue(CHAT, { fixture: 'openai/chat-stream-tool-call-argument-deltas.sse', chunkSize: 3 });
    const events = await collect(backend.inferStream(HELLO, [{ name: 'multiply', description: 'Multiply', parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } } }]));
    const ends = events.filter((event): event is Extract<StreamEvent, { type: 'tool-call-end' }> => event.type === 'tool-call-end');
    expect(ends.map((end) => [end.toolCall.name, end.toolCall.arguments])).toEqual([['multiply', { a: 1231, b: 2331 }]]);
    expect(expectOneTerminal(events)).toMatchObject({ type: 'done', finishReason: 'tool-calls' });
  });

  it('usage with cached and reasoning tokens, streamed (recordings of the same wire: Mistral cached, Azure reasoning)', async () => {
    const backend = backendOf(vendor);
    server.enqueue(CHAT, { fixture: 'mistral/chat-stream-tool-call.sse', chunkSize: 7 });
    const cached = expectOneTerminal(await collect(backend.inferStream(HELLO))) as Extract<StreamEvent, { type: 'done' }>;
    expect(cached.tokenUsage.cachedTokens).toBe(128);
    server.enqueue(CHAT, { fixture: 'azure/chat-stream-reasoning-prompt-filter-results.sse', chunkSize: 5 });
    const reasoned = expectOneTerminal(await collect(backend.inferStream(HELLO))) as Extract<StreamEvent, { type: 'done' }>;
    expect(reasoned.tokenUsage.reasoningTokens).toBe(4160);
    // The project's convention: reasoning is part of completion (xAI reports it apart and is normalised).
    expect(reasoned.tokenUsage.completionTokens).toBeGreaterThanOrEqual(4160);
    expect(reasoned.tokenUsage.totalTokens).toBe(reasoned.tokenUsage.promptTokens + reasoned.tokenUsage.completionTokens);
    expectCost(vendor, backend, reasoned);
  });

  it('a refused key (recorded 401) is an AuthenticationError naming where the key comes from, without the key', async () => {
    const backend = backendOf(vendor);
    server.enqueue(CHAT, { fixture: 'openai/error-401-invalid-api-key.json' });
    const error = (await backend.infer(HELLO).catch((caught: unknown) => caught)) as HyperAgentError;
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, retryable: false, provider: vendor.name });
    if (vendor.envVar) expect(error.message).toContain(vendor.envVar);
    expectNoKey(error, keyOf(vendor));
  });

  it('a 429: the recorded "request too large" is a RateLimitError that waiting will not help; with retry-after, a retryable one with retryAfterMs', async () => {
    const backend = backendOf(vendor);
    server.enqueue(CHAT, { fixture: 'openai/error-429-rate-limit-exceeded-tokens.json' });
    const recorded = (await backend.infer(HELLO).catch((caught: unknown) => caught)) as HyperAgentError;
    expect(recorded).toBeInstanceOf(RateLimitError);
    expect(recorded).toMatchObject({ status: 429, retryable: false, provider: vendor.name, providerCode: 'rate_limit_exceeded' });
    expect(recorded.message).toMatch(/Request too large/);
    // Hand-made: a plain request-rate 429 with a retry-after header, as these vendors send it.
    server.enqueue(CHAT, { status: 429, headers: { 'content-type': 'application/json', 'retry-after': '7' }, body: JSON.stringify({ error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } }) });
    const streamed = await collect(backend.inferStream(HELLO));
    const terminal = expectOneTerminal(streamed) as Extract<StreamEvent, { type: 'error' }>;
    expect(terminal.type).toBe('error');
    expect(terminal.error).toBeInstanceOf(RateLimitError);
    expect(terminal.error).toMatchObject({ retryAfterMs: 7000, retryable: true });
  });
});
