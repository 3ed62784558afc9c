// Catalogs, prices, rate limits and construction of the openai, openrouter and openai-compatible providers.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { calculateCost } from '../../core/cost.js';
import { UnsupportedError } from '../../core/errors.js';
import { closeAllPools } from '../../core/http.js';
import { Kernel } from '../../core/kernel.js';
import type { LLMMessage } from '../../core/types.js';
import openaiDefinition, {
  DEFAULT_RATE_LIMITS,
  OPENAI_MODEL_IDS,
  OPENAI_PRICING_SOURCES,
  OpenAIProvider,
  isOpenAIReasoningModel,
  resolveOpenAIModelId,
} from '../../plugins/openai/index.js';
import openAICompatibleDefinition, { OpenAICompatibleProvider } from '../../plugins/openai-compatible/index.js';
import openRouterDefinition, { OpenRouterProvider, clearOpenRouterModelCache, perTokenToPerMillion } from '../../plugins/openrouter/index.js';
import { ReplayServer } from '../replay-server.js';
import { FAKE_OPENAI_KEY, FAKE_OPENROUTER_KEY } from './openai-style-helpers.js';

const HELLO: readonly LLMMessage[] = [{ role: 'user', content: 'Hello' }];

let server: ReplayServer;

beforeAll(async () => {
  server = await new ReplayServer().start();
});

afterAll(async () => {
  await server.stop();
  await closeAllPools();
});

describe('openai model catalog', () => {
  it('lists the required models, each with context window, output limit, prices and a dated source', () => {
    for (const id of ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'gpt-4.1-mini', 'gpt-4.1-nano', 'o1', 'o3', 'o3-mini', 'o4-mini', 'gpt-4-turbo', 'gpt-3.5-turbo', 'gpt-5', 'gpt-5-mini', 'gpt-5-nano', 'text-embedding-3-small', 'text-embedding-3-large']) {
      expect(OPENAI_MODEL_IDS).toContain(id);
      const info = new OpenAIProvider().modelInfo(id);
      expect(info.pricing).not.toBe('unknown');
      expect(info.contextWindow).toBeGreaterThan(0);
      expect(info.pricingSource).toMatch(/^@pydantic\/genai-prices [\d.]+, prices as of \d{4}-\d{2}-\d{2} \(https:\/\/developers\.openai\.com\/api\/docs\/pricing\)$/);
      expect(OPENAI_PRICING_SOURCES[id]).toBe(info.pricingSource);
    }
    expect(new OpenAIProvider().modelInfo('gpt-4o')).toMatchObject({ contextWindow: 128_000, maxOutputTokens: 16_384, pricing: { input: 2.5, cachedInput: 1.25, output: 10 } });
    expect(new OpenAIProvider().modelInfo('gpt-4.1')).toMatchObject({ contextWindow: 1_047_576, maxOutputTokens: 32_768, pricing: { input: 2, cachedInput: 0.5, output: 8 } });
  });

  it('dated snapshots resolve to their base entry by longest prefix', () => {
    expect(resolveOpenAIModelId('gpt-4o-mini-2024-07-18')).toBe('gpt-4o-mini');
    expect(resolveOpenAIModelId('gpt-4o-2024-08-06')).toBe('gpt-4o');
    expect(resolveOpenAIModelId('gpt-3.5-turbo-0125')).toBe('gpt-3.5-turbo');
    expect(resolveOpenAIModelId('o3-mini-2025-01-31')).toBe('o3-mini');
    expect(new OpenAIProvider().modelInfo('gpt-4o-mini-2024-07-18')).toMatchObject({ id: 'gpt-4o-mini-2024-07-18', pricing: { input: 0.15, output: 0.6 } });
  });

  it('other suffixes are other models: priced from the price database when it has them, else "unknown", never guessed', () => {
    for (const id of ['o1-mini', 'o1-pro', 'gpt-4o-realtime-preview', 'gpt-5.2', 'gpt-5-pro']) {
      expect(resolveOpenAIModelId(id)).toBeUndefined();
      expect(new OpenAIProvider().modelInfo(id).pricingSource, id).toMatch(/^@pydantic\/genai-prices/);
    }
    expect(new OpenAIProvider().modelInfo('o1-pro').pricing).not.toEqual(new OpenAIProvider().modelInfo('o1').pricing);
    for (const id of ['ft:gpt-4o-mini:acme::abc', 'my-model', 'gpt-imaginary-9']) {
      expect(resolveOpenAIModelId(id)).toBeUndefined();
      const info = new OpenAIProvider().modelInfo(id);
      expect(info.pricing).toBe('unknown');
      expect(info.pricingSource).toBeUndefined();
      expect(calculateCost(info, { promptTokens: 10, completionTokens: 10, totalTokens: 20 })).toBeUndefined();
    }
  });

  it('prices cached input at the cached rate', () => {
    const info = new OpenAIProvider().modelInfo('gpt-4o');
    // 1000 prompt tokens of which 400 cached, 100 output: 600 × 2.5 + 400 × 1.25 + 100 × 10, per 1M.
    expect(calculateCost(info, { promptTokens: 1000, completionTokens: 100, totalTokens: 1100, cachedTokens: 400 })).toBeCloseTo((600 * 2.5 + 400 * 1.25 + 100 * 10) / 1e6, 12);
  });

  it('knows which models are reasoning models', () => {
    for (const id of ['o1', 'o3', 'o3-mini', 'o4-mini', 'gpt-5', 'gpt-5-nano-2025-08-07', 'o5-preview', 'gpt-5.5']) expect(isOpenAIReasoningModel(id)).toBe(true);
    for (const id of ['gpt-4o', 'gpt-4.1-mini', 'gpt-3.5-turbo-0125', 'gpt-5-chat-latest', 'omni-moderation-latest']) expect(isOpenAIReasoningModel(id)).toBe(false);
  });
});

describe('openai rate limits and builders', () => {
  it('GPT-4-class models default to the seed table’s 500 RPM / 150,000 TPM', () => {
    expect(DEFAULT_RATE_LIMITS).toEqual({ rpm: 500, tpm: 150_000 });
    expect(new OpenAIProvider(FAKE_OPENAI_KEY, 'gpt-4o').rateLimits).toEqual(DEFAULT_RATE_LIMITS);
    expect(new OpenAIProvider().modelInfo('gpt-4.1').rateLimits).toEqual(DEFAULT_RATE_LIMITS);
  });

  it('withRateLimits and withMaxTokens return new instances and leave the original alone', () => {
    const base = new OpenAIProvider(FAKE_OPENAI_KEY, 'gpt-4o');
    const limited = base.withRateLimits(60, 10_000);
    const capped = limited.withMaxTokens(512);
    expect(limited).not.toBe(base);
    expect(capped).not.toBe(limited);
    expect(base.rateLimits).toEqual(DEFAULT_RATE_LIMITS);
    expect(base.maxTokens).toBeUndefined();
    expect(limited.rateLimits).toEqual({ rpm: 60, tpm: 10_000 });
    expect(limited.modelInfo().rateLimits).toEqual({ rpm: 60, tpm: 10_000 });
    expect(capped.maxTokens).toBe(512);
    expect(capped.rateLimits).toEqual({ rpm: 60, tpm: 10_000 });
    expect(capped.model).toBe('gpt-4o');
  });

  it('both constructor forms; bad options are TypeErrors that name the option', () => {
    expect(new OpenAIProvider(FAKE_OPENAI_KEY, 'gpt-4.1').model).toBe('gpt-4.1');
    expect(new OpenAIProvider({ apiKey: FAKE_OPENAI_KEY, model: 'o3' }).model).toBe('o3');
    expect(new OpenAIProvider().model).toBe('gpt-4o-mini');
    expect(() => new OpenAIProvider().withRateLimits(0, 10)).toThrow(/`rpm` must be a positive number/);
    expect(() => new OpenAIProvider().withMaxTokens(1.5)).toThrow(/`maxTokens` must be a positive integer/);
    expect(() => new OpenAIProvider({ baseURL: 'not a url' })).toThrow(/`baseURL` must be an absolute URL/);
    expect(() => new OpenAIProvider({ api: 'assistants' as never })).toThrow(/`api`/);
    expect(() => new OpenRouterProvider().withRateLimits(10, -1)).toThrow(/`tpm`/);
  });

  it('supportsFunctionCalling/supportsStreaming follow the catalog', () => {
    expect(new OpenAIProvider(undefined, 'gpt-4o').supportsFunctionCalling()).toBe(true);
    expect(new OpenAIProvider(undefined, 'text-embedding-3-small').supportsFunctionCalling()).toBe(false);
    expect(new OpenAIProvider().supportsStreaming()).toBe(true);
  });
});

describe('provider definitions for the config loader', () => {
  it('each default export is a defineProvider with a strict options schema and a synchronous create', () => {
    const context = { backendName: 'b', configDir: '.', env: { OPENAI_API_KEY: FAKE_OPENAI_KEY } };
    const openai = openaiDefinition.create({ provider: 'openai', model: 'gpt-4.1', rateLimits: { rpm: 5 }, options: { organization: 'org-x', api: 'chat' } }, context);
    expect(openai).toBeInstanceOf(OpenAIProvider);
    expect((openai as OpenAIProvider).options).toMatchObject({ model: 'gpt-4.1', organization: 'org-x', rateLimits: { rpm: 5 } });
    const openrouter = openRouterDefinition.create({ provider: 'openrouter', model: 'openai/gpt-4o', options: { appName: 'x' } }, context);
    expect(openrouter).toBeInstanceOf(OpenRouterProvider);
    const local = openAICompatibleDefinition.create({ provider: 'openai-compatible', baseURL: 'http://127.0.0.1:11434/v1', model: 'llama3.2', options: { pricing: { input: 0, output: 0 } } }, context);
    expect(local).toBeInstanceOf(OpenAICompatibleProvider);
    for (const definition of [openaiDefinition, openRouterDefinition, openAICompatibleDefinition]) {
      expect(definition.optionsSchema).toMatchObject({ type: 'object', additionalProperties: false });
    }
    expect([openaiDefinition.name, openRouterDefinition.name, openAICompatibleDefinition.name]).toEqual(['openai', 'openrouter', 'openai-compatible']);
  });

  it('a kernel-wrapped openai backend charges the catalog price of the dated model it answered with', async () => {
    const kernel = new Kernel();
    const costs: (number | undefined)[] = [];
    kernel.hooks.onCost.tap('test', (event) => {
      costs.push(event.costUsd);
    });
    const backend = kernel.wrap('gpt', new OpenAIProvider({ apiKey: FAKE_OPENAI_KEY, baseURL: `${server.baseURL}/v1`, model: 'gpt-3.5-turbo' }));
    server.enqueue('/v1/chat/completions', { fixture: 'openai/chat-completion-text.json' });
    const output = await backend.infer(HELLO);
    server.enqueue('/v1/chat/completions', { fixture: 'openai/chat-stream-text-include-usage.sse' });
    const streamed = await backend.inferStream(HELLO).output();
    expect(output.metadata.costUsd).toBeCloseTo((13 * 0.5 + 31 * 1.5) / 1e6, 12);
    expect(streamed.metadata.costUsd).toBeCloseTo((14 * 0.5 + 13 * 1.5) / 1e6, 12);
    expect(costs).toHaveLength(2);
  });
});

describe('openrouter model catalog', () => {
  afterEach(() => clearOpenRouterModelCache());

  // Hand-made in the documented GET /models shape (no recording of it is among the fixtures): prices are USD per token, as strings.
  const MODELS = {
    data: [
      {
        id: 'anthropic/claude-sonnet-4.5',
        context_length: 1_000_000,
        pricing: { prompt: '0.000003', completion: '0.000015', input_cache_read: '0.0000003', input_cache_write: '0.00000375', request: '0', image: '0' },
        top_provider: { context_length: 1_000_000, max_completion_tokens: 64_000 },
        supported_parameters: ['tools', 'tool_choice', 'reasoning', 'response_format', 'max_tokens'],
        architecture: { input_modalities: ['text', 'image'], output_modalities: ['text'] },
      },
      { id: 'openrouter/auto', context_length: 2_000_000, pricing: { prompt: '-1', completion: '-1' } },
      { id: 'openai/text-embedding-3-small', context_length: 8192, pricing: { prompt: '0.00000002', completion: '0' }, architecture: { input_modalities: ['text'], output_modalities: ['embeddings'] } },
    ],
  };

  it('converts per-token price strings to USD per 1M without binary noise', () => {
    expect(perTokenToPerMillion('0.000003')).toBe(3);
    expect(perTokenToPerMillion('0.00000375')).toBe(3.75);
    expect(perTokenToPerMillion('0.0000003')).toBe(0.3);
    expect(perTokenToPerMillion('0')).toBe(0);
    expect(perTokenToPerMillion('-1')).toBeUndefined();
    expect(perTokenToPerMillion('n/a')).toBeUndefined();
  });

  it('before loadModels(): a small static catalog, ":free" variants at 0, the price database, else "unknown"', () => {
    const openrouter = new OpenRouterProvider({ apiKey: FAKE_OPENROUTER_KEY, baseURL: `${server.baseURL}/api/v1` });
    expect(openrouter.modelInfo('openai/gpt-4o')).toMatchObject({ provider: 'openrouter', contextWindow: 128_000, pricing: { input: 2.5, output: 10 } });
    expect(openrouter.modelInfo('meta-llama/llama-3.2-3b-instruct:free').pricing).toEqual({ input: 0, output: 0 });
    expect(openrouter.modelInfo('anthropic/claude-sonnet-4.5').pricingSource).toMatch(/^@pydantic\/genai-prices/);
    expect(openrouter.modelInfo('acme/imaginary-model').pricing).toBe('unknown');
    expect(openrouter.modelInfo().id).toBe('openrouter/auto');
  });

  it('loadModels() fills the catalog from GET {baseURL}/models, cached per process per base URL', async () => {
    const baseURL = `${server.baseURL}/api/v1`;
    server.enqueue('/api/v1/models', { body: JSON.stringify(MODELS), headers: { 'content-type': 'application/json' } });
    const openrouter = new OpenRouterProvider({ apiKey: FAKE_OPENROUTER_KEY, baseURL, appName: 'HyperAgent tests' });
    expect(await openrouter.loadModels()).toBe(3);
    const sent = server.requests[server.requests.length - 1];
    expect(sent.method).toBe('GET');
    expect(sent.headers.authorization).toBe(`Bearer ${FAKE_OPENROUTER_KEY}`);
    const info = new OpenRouterProvider({ baseURL }).modelInfo('anthropic/claude-sonnet-4.5');
    expect(info).toMatchObject({
      contextWindow: 1_000_000,
      maxOutputTokens: 64_000,
      pricing: { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 },
      capabilities: { functionCalling: true, vision: true, jsonMode: true, thinking: true, promptCaching: true, embeddings: false },
    });
    expect(info.pricingSource).toMatch(/\/api\/v1\/models, fetched \d{4}-\d{2}-\d{2}/);
    expect(new OpenRouterProvider({ baseURL }).modelInfo('openrouter/auto').pricing).toBe('unknown');
    // Another base URL has its own (empty) cache.
    expect(new OpenRouterProvider({ baseURL: 'https://openrouter.example/api/v1' }).modelInfo('anthropic/claude-sonnet-4.5').pricingSource).toMatch(/^@pydantic\/genai-prices/);
    // 1000 prompt tokens (200 cache reads, 300 cache writes) and 100 output.
    expect(calculateCost(info, { promptTokens: 1000, completionTokens: 100, totalTokens: 1100, cachedTokens: 200, cacheWriteTokens: 300 })).toBeCloseTo(
      (500 * 3 + 200 * 0.3 + 300 * 3.75 + 100 * 15) / 1e6,
      12,
    );
  });

  it('embeddings need an embedding model; after loadModels() a chat model is refused before sending', async () => {
    const baseURL = `${server.baseURL}/api/v1`;
    const openrouter = new OpenRouterProvider({ apiKey: FAKE_OPENROUTER_KEY, baseURL });
    await expect(openrouter.embed('hi')).rejects.toBeInstanceOf(UnsupportedError);
    // An OpenAI /embeddings recording stands in for OpenRouter's identical response shape.
    server.enqueue('/api/v1/embeddings', { fixture: 'openai/embeddings-dimensions.json' });
    const output = await openrouter.embed(['hi'], { model: 'openai/text-embedding-3-small', dimensions: 256 });
    expect(output.embeddings[0]).toHaveLength(256);
    expect(server.requests[server.requests.length - 1].body).toEqual({ model: 'openai/text-embedding-3-small', input: ['hi'], dimensions: 256 });
    server.enqueue('/api/v1/models', { body: JSON.stringify(MODELS), headers: { 'content-type': 'application/json' } });
    await openrouter.loadModels();
    await expect(openrouter.embed('hi', { model: 'anthropic/claude-sonnet-4.5' })).rejects.toThrow(/does not produce embeddings/);
  });
});

describe('openai-compatible model info', () => {
  it('pricing is "unknown" unless configured; a local model can be configured at 0', () => {
    const usage = { promptTokens: 195, completionTokens: 140, totalTokens: 335 };
    const unpriced = new OpenAICompatibleProvider({ baseURL: 'http://127.0.0.1:11434/v1', model: 'qwen3' });
    expect(unpriced.modelInfo()).toMatchObject({ id: 'qwen3', provider: 'openai-compatible', pricing: 'unknown', contextWindow: undefined });
    expect(calculateCost(unpriced.modelInfo(), usage)).toBeUndefined();
    const free = new OpenAICompatibleProvider({ baseURL: 'http://127.0.0.1:11434/v1', model: 'qwen3', pricing: { input: 0, output: 0 }, contextWindow: 40_960 });
    expect(free.modelInfo()).toMatchObject({ pricing: { input: 0, output: 0 }, contextWindow: 40_960, pricingSource: 'configured in the backend options' });
    expect(calculateCost(free.modelInfo(), usage)).toBe(0);
  });

  it('baseURL and model are required, named in the TypeError', () => {
    expect(() => new OpenAICompatibleProvider({ model: 'x' } as never)).toThrow(/`baseURL` is required/);
    expect(() => new OpenAICompatibleProvider({ baseURL: 'http://127.0.0.1:1/v1' } as never)).toThrow(/`model` is required/);
    expect(() => openAICompatibleDefinition.create({ provider: 'openai-compatible', model: 'x' }, { backendName: 'local', configDir: '.', env: {} })).toThrow(TypeError);
  });

  it('embeddings go to {baseURL}/embeddings without a key', async () => {
    server.enqueue('/v1/embeddings', { fixture: 'openai/embeddings-dimensions.json' });
    const local = new OpenAICompatibleProvider({ baseURL: `${server.baseURL}/v1`, model: 'nomic-embed-text' });
    const output = await local.embed('hello');
    expect(output.embeddings).toHaveLength(1);
    const sent = server.requests[server.requests.length - 1];
    expect(sent.headers).not.toHaveProperty('authorization');
    expect(sent.body).toEqual({ model: 'nomic-embed-text', input: ['hello'] });
  });
});
