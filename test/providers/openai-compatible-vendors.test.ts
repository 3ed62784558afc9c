// The OpenAI-compatible vendors as named providers. Responses are HAND-MADE from each vendor's
// documented shapes (no recordings of them exist here), served over loopback HTTP, streams in
// 1–7-byte writes.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  calculateCost,
  CerebrasProvider,
  createHyperAgent,
  DeepInfraProvider,
  DeepSeekProvider,
  ErrorCode,
  FireworksProvider,
  GroqProvider,
  LlamaCppProvider,
  LMStudioProvider,
  loadProvider,
  MissingApiKeyError,
  PerplexityProvider,
  RateLimitError,
  TogetherProvider,
  VLLMProvider,
  XAIProvider,
  type LLMBackend,
} from '../../index.js';

interface Route {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  readonly json?: unknown;
  readonly sse?: readonly unknown[];
}

const seen: { url: string; headers: IncomingMessage['headers']; body: Record<string, unknown> }[] = [];
let next: Route = {};
let server: Server;
let baseURL: string;

async function split(res: ServerResponse, text: string): Promise<void> {
  const bytes = Buffer.from(text);
  for (let at = 0, size = 1; at < bytes.length; at += size, size = (size % 7) + 1) {
    res.write(bytes.subarray(at, at + size));
    await new Promise((resolve) => setImmediate(resolve));
  }
  res.end();
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', headers: req.headers, body: raw ? JSON.parse(raw) : {} });
      const route = next;
      if (route.sse) {
        res.writeHead(200, { 'content-type': 'text/event-stream', ...route.headers });
        void split(res, `${route.sse.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('')}data: [DONE]\n\n`);
        return;
      }
      res.writeHead(route.status ?? 200, { 'content-type': 'application/json', ...route.headers });
      res.end(JSON.stringify(route.json ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const ASK = [{ role: 'user' as const, content: 'hi' }];
const answer = (message: Record<string, unknown>, usage: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  id: 'r1',
  model: 'm',
  choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: message.tool_calls ? 'tool_calls' : 'stop' }],
  usage,
  ...extra,
});

describe('each vendor: its address, key variable and catalog', () => {
  const cases: [string, new (settings: { apiKey?: string; env?: Record<string, string> }) => LLMBackend & { baseURL: string; model: string }, string, string, string][] = [
    ['groq', GroqProvider, 'https://api.groq.com/openai/v1', 'GROQ_API_KEY', 'llama-3.3-70b-versatile'],
    ['deepseek', DeepSeekProvider, 'https://api.deepseek.com/v1', 'DEEPSEEK_API_KEY', 'deepseek-chat'],
    ['xai', XAIProvider, 'https://api.x.ai/v1', 'XAI_API_KEY', 'grok-4-fast-non-reasoning'],
    ['together', TogetherProvider, 'https://api.together.xyz/v1', 'TOGETHER_API_KEY', 'meta-llama/Llama-3.3-70B-Instruct-Turbo'],
    ['fireworks', FireworksProvider, 'https://api.fireworks.ai/inference/v1', 'FIREWORKS_API_KEY', 'accounts/fireworks/models/llama-v3p3-70b-instruct'],
    ['cerebras', CerebrasProvider, 'https://api.cerebras.ai/v1', 'CEREBRAS_API_KEY', 'llama-3.3-70b'],
    ['perplexity', PerplexityProvider, 'https://api.perplexity.ai', 'PERPLEXITY_API_KEY', 'sonar'],
    ['deepinfra', DeepInfraProvider, 'https://api.deepinfra.com/v1/openai', 'DEEPINFRA_API_KEY', 'meta-llama/Llama-3.3-70B-Instruct-Turbo'],
  ];
  for (const [name, Provider, url, envVar, model] of cases) {
    it(`${name}: ${url}, ${envVar}, default model ${model} priced with a source`, async () => {
      const backend = new Provider({ env: {} });
      expect([backend.provider, backend.baseURL, backend.model]).toEqual([name, url, model]);
      const info = backend.modelInfo();
      expect(info.pricing).toMatchObject({ input: expect.any(Number), output: expect.any(Number) });
      expect(info.contextWindow).toBeGreaterThan(1000);
      expect(info.pricingSource).toBeTruthy();
      expect(backend.modelInfo('not-a-listed-model').pricing).toBe('unknown');
      const error = await backend.infer(ASK).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(MissingApiKeyError);
      expect((error as Error).message).toContain(envVar);
    });
  }

  it('{ "provider": "groq", "model": … } works with GROQ_API_KEY set and nothing else', async () => {
    const definition = await loadProvider('groq', process.cwd());
    const backend = definition.create({ provider: 'groq', model: 'llama-3.1-8b-instant' }, { backendName: 'fast', configDir: process.cwd(), env: { GROQ_API_KEY: 'gsk-test' } }) as GroqProvider;
    expect([backend.baseURL, backend.model]).toEqual(['https://api.groq.com/openai/v1', 'llama-3.1-8b-instant']);
    expect((backend as unknown as { credentials: { headers(): Record<string, string> } }).credentials.headers()).toMatchObject({ authorization: 'Bearer gsk-test' });
  });

  it('the seed forms: (apiKey, model), with* builders returning the same class', () => {
    const xai = new XAIProvider('xai-key', 'grok-3').withMaxTokens(256).withModel('grok-3-mini').withRateLimits(60, 100_000);
    expect(xai).toBeInstanceOf(XAIProvider);
    expect([xai.model, xai.maxTokens, xai.rateLimits]).toEqual(['grok-3-mini', 256, { rpm: 60, tpm: 100_000 }]);
    expect(JSON.stringify(xai)).not.toContain('xai-key');
  });
});

describe('local servers at their default ports, no key needed, free on this machine', () => {
  it.each([
    ['vllm', () => new VLLMProvider('Qwen/Qwen3-8B'), 'http://127.0.0.1:8000/v1'],
    ['llamacpp', () => new LlamaCppProvider(), 'http://127.0.0.1:8080/v1'],
    ['lmstudio', () => new LMStudioProvider('qwen3-4b'), 'http://127.0.0.1:1234/v1'],
  ])('%s', async (name, make, url) => {
    const backend = make();
    expect([backend.provider, backend.baseURL]).toEqual([name, url]);
    expect(backend.modelInfo()).toMatchObject({ pricing: { input: 0, output: 0 }, pricingSource: expect.stringContaining('this machine') });
  });

  it('a model on another machine is unpriced until configured, and configured prices win', () => {
    expect(new VLLMProvider({ model: 'm', baseURL: 'http://10.0.0.5:8000/v1' }).modelInfo().pricing).toBe('unknown');
    expect(new VLLMProvider({ model: 'm', baseURL: 'http://10.0.0.5:8000/v1', pricing: { input: 0.1, output: 0.2 } }).modelInfo().pricing).toEqual({ input: 0.1, output: 0.2 });
  });

  it('vLLM needs a model; a call sends no authorization without a key', async () => {
    expect(() => new VLLMProvider({})).toThrow(/VLLMProvider: `model` is required/);
    next = { json: answer({ content: 'local' }, { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 }) };
    const output = await new LMStudioProvider({ model: 'qwen3-4b', baseURL, env: {} }).infer(ASK);
    expect(output.content).toBe('local');
    expect(seen.at(-1)?.headers.authorization).toBeUndefined();
  });
});

describe('deepseek: reasoning_content and cache-hit usage', () => {
  const usage = { prompt_tokens: 100, completion_tokens: 30, total_tokens: 130, prompt_cache_hit_tokens: 64, prompt_cache_miss_tokens: 36, completion_tokens_details: { reasoning_tokens: 20 } };

  it('non-streamed: reasoning, cached tokens from prompt_cache_hit_tokens, and the cost at the cache-hit rate', async () => {
    next = { json: answer({ content: '4', reasoning_content: '2 + 2 is 4.' }, usage) };
    const backend = new DeepSeekProvider({ apiKey: 'ds-key', baseURL, model: 'deepseek-reasoner' });
    const output = await backend.infer(ASK);
    expect([output.content, output.reasoning]).toEqual(['4', '2 + 2 is 4.']);
    expect(output.tokenUsage).toMatchObject({ promptTokens: 100, cachedTokens: 64, completionTokens: 30, reasoningTokens: 20 });
    // Priced from the price table (the maintained database): the 64 cache hits at the cached rate.
    const pricing = backend.modelInfo().pricing as { input: number; output: number; cachedInput: number };
    expect(pricing.cachedInput).toBeLessThan(pricing.input);
    expect(calculateCost(backend.modelInfo(), output.tokenUsage)).toBeCloseTo((36 * pricing.input + 64 * pricing.cachedInput + 30 * pricing.output) / 1e6, 12);
    expect(seen.at(-1)?.headers.authorization).toBe('Bearer ds-key');
  });

  it('streamed, byte-split: reasoning deltas, text, and the same usage', async () => {
    next = {
      sse: [
        { id: 'r', choices: [{ index: 0, delta: { reasoning_content: '2 + 2 ' } }] },
        { id: 'r', choices: [{ index: 0, delta: { reasoning_content: 'is 4.' } }] },
        { id: 'r', choices: [{ index: 0, delta: { content: '4' }, finish_reason: 'stop' }], usage },
      ],
    };
    const output = await new DeepSeekProvider({ apiKey: 'ds-key', baseURL }).inferStream(ASK).output();
    expect([output.content, output.reasoning]).toEqual(['4', '2 + 2 is 4.']);
    expect(output.tokenUsage).toMatchObject({ cachedTokens: 64, reasoningTokens: 20 });
  });
});

describe('xai: reasoning tokens normalised into completion tokens', () => {
  // xAI: completion_tokens 10 leave out the 50 reasoning tokens; total_tokens counts them.
  const usage = { prompt_tokens: 20, completion_tokens: 10, total_tokens: 80, completion_tokens_details: { reasoning_tokens: 50 }, prompt_tokens_details: { cached_tokens: 5 } };
  const weather = { name: 'weather', description: 'w', parameters: { type: 'object', properties: { city: { type: 'string' } } } };

  it('non-streamed tool call: completion 60 (10 + 50 reasoning), total 80, and the cost on 60 output tokens', async () => {
    next = { json: answer({ content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } }] }, usage) };
    const backend = new XAIProvider({ apiKey: 'xai-key', baseURL, model: 'grok-4' });
    const output = await backend.infer(ASK, [weather]);
    expect(output.toolCalls).toEqual([expect.objectContaining({ id: 'call_1', name: 'weather', arguments: { city: 'Oslo' } })]);
    expect(output.tokenUsage).toEqual({ promptTokens: 20, completionTokens: 60, totalTokens: 80, reasoningTokens: 50, cachedTokens: 5 });
    expect(calculateCost(backend.modelInfo(), output.tokenUsage)).toBeCloseTo((15 * 3 + 5 * 0.75 + 60 * 15) / 1e6, 12);
  });

  it('streamed tool call, byte-split, with the same usage', async () => {
    next = {
      sse: [
        { id: 'x', choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":' } }] } }] },
        { id: 'x', choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '"Oslo"}' } }] }, finish_reason: 'tool_calls' }] },
        { id: 'x', choices: [], usage },
      ],
    };
    const output = await new XAIProvider({ apiKey: 'xai-key', baseURL }).inferStream(ASK, [weather]).output();
    expect(output.toolCalls).toEqual([expect.objectContaining({ arguments: { city: 'Oslo' } })]);
    expect(output.tokenUsage).toMatchObject({ completionTokens: 60, totalTokens: 80, reasoningTokens: 50 });
  });

  it('an error maps to its code with retryAfterMs and the rate-limit headers', async () => {
    next = {
      status: 429,
      headers: { 'retry-after': '3', 'x-ratelimit-limit-requests': '60', 'x-ratelimit-remaining-requests': '0' },
      json: { error: { message: 'Too many requests', type: 'rate_limit_exceeded', code: 'rate_limit_exceeded' } },
    };
    const error = await new XAIProvider({ apiKey: 'xai-key', baseURL }).infer(ASK).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ code: ErrorCode.RATE_LIMITED, status: 429, retryAfterMs: 3000, provider: 'xai', rateLimit: { limitRequests: 60, remainingRequests: 0 } });
  });
});

describe('perplexity: citations and search results in metadata', () => {
  const sources = { citations: ['https://example.org/a'], search_results: [{ title: 'A', url: 'https://example.org/a', date: '2026-01-01' }] };

  it('non-streamed and streamed (byte-split)', async () => {
    next = { json: answer({ content: 'Paris [1].' }, { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 }, sources) };
    const backend = new PerplexityProvider({ apiKey: 'pplx-key', baseURL });
    const whole = await backend.infer(ASK);
    expect(whole.metadata).toMatchObject({ citations: sources.citations, searchResults: sources.search_results });
    next = {
      sse: [
        { id: 'p', choices: [{ index: 0, delta: { content: 'Paris ' } }], ...sources },
        { id: 'p', choices: [{ index: 0, delta: { content: '[1].' }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 }, ...sources },
      ],
    };
    const streamed = await backend.inferStream(ASK).output();
    expect(streamed.content).toBe('Paris [1].');
    expect(streamed.metadata).toMatchObject({ citations: sources.citations, searchResults: sources.search_results });
  });
});

describe('vendors in a config and in hyperagent models', () => {
  it('list their models with prices through the kernel', async () => {
    const agent = await createHyperAgent({
      config: { backends: { fast: { provider: 'groq', model: 'llama-3.1-8b-instant' }, local: { provider: 'lmstudio', model: 'qwen3-4b' } } },
      env: { GROQ_API_KEY: 'gsk-test' },
    });
    expect(agent.backend('fast').modelInfo()).toMatchObject({ provider: 'groq', pricing: { input: 0.05, output: 0.08 }, contextWindow: 131_072 });
    expect(agent.backend('local').modelInfo()).toMatchObject({ provider: 'lmstudio', pricing: { input: 0, output: 0 } });
  });
});

describe('GET /v1/models lists the vendors with their prices', () => {
  it('pricing and context window beside owned_by', async () => {
    const { createGateway } = await import('../../server/index.js');
    const agent = await createHyperAgent({ config: { backends: { fast: { provider: 'groq', model: 'llama-3.1-8b-instant' }, az: { provider: 'azure', model: 'dep', baseURL: 'https://r.openai.azure.com/openai/v1', options: { modelName: 'gpt-4o-mini' } } } }, env: {} });
    const gateway = createGateway({ kernel: agent.kernel, port: 0, env: {} });
    const address = await gateway.listen();
    try {
      const models = (await (await fetch(`${address.url}/v1/models`)).json()) as { data: unknown[] };
      expect(models.data).toEqual([
        expect.objectContaining({ id: 'fast', owned_by: 'groq', pricing: { input: 0.05, output: 0.08 }, context_window: 131_072 }),
        expect.objectContaining({ id: 'az', owned_by: 'azure', pricing: { input: 0.15, cachedInput: 0.075, output: 0.6 }, context_window: 128_000 }),
      ]);
    } finally {
      await gateway.close();
    }
  });
});
