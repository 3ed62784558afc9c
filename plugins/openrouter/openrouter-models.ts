import { InvalidResponseError } from '../../core/errors.js';
import { requestJson } from '../../core/http.js';
import { readOpenRouterRateLimitHeaders } from './openrouter-rate-limits.js';
import { modelPricingFor } from '../../core/pricing-table.js';
import type { Capabilities, ModelInfo, ModelPricing, RateLimits } from '../../core/types.js';

export const DEFAULT_OPENROUTER_MODEL = 'openrouter/auto';

/** One entry of `GET /models` (only the fields we map). Prices are USD per token, as strings. */
export interface OpenRouterModelEntry {
  id?: string;
  context_length?: number | null;
  pricing?: { prompt?: string; completion?: string; input_cache_read?: string; input_cache_write?: string } | null;
  top_provider?: { context_length?: number | null; max_completion_tokens?: number | null } | null;
  supported_parameters?: string[] | null;
  architecture?: { input_modalities?: string[] | null; output_modalities?: string[] | null } | null;
}

interface CatalogFacts {
  readonly contextWindow: number | undefined;
  readonly maxOutputTokens: number | undefined;
  readonly pricing: ModelPricing | 'unknown';
  readonly pricingSource?: string;
  readonly capabilities: Capabilities;
}

const CHAT: Capabilities = { functionCalling: true, streaming: true, vision: false, jsonMode: true, thinking: false, embeddings: false, promptCaching: false };
// A fallback for before `loadModels()` ran: a few ids' limits, priced from the price table
// (`priceFor('openrouter', id)`, like any id the live list lacks). The live `/models` list replaces it
// whenever it has been loaded.
const STATIC_CATALOG: Readonly<Record<string, Omit<CatalogFacts, 'pricing' | 'pricingSource'>>> = {
  'openai/gpt-4o': { contextWindow: 128_000, maxOutputTokens: undefined, capabilities: { ...CHAT, vision: true } },
  'openai/gpt-4o-2024-11-20': { contextWindow: 128_000, maxOutputTokens: undefined, capabilities: { ...CHAT, vision: true } },
  'openai/gpt-4o-2024-08-06': { contextWindow: 128_000, maxOutputTokens: undefined, capabilities: { ...CHAT, vision: true } },
  'openai/o3-mini': { contextWindow: 200_000, maxOutputTokens: undefined, capabilities: { ...CHAT, thinking: true } },
  'openai/o4-mini-high': { contextWindow: 200_000, maxOutputTokens: undefined, capabilities: { ...CHAT, thinking: true, vision: true } },
  'openai/o3-pro': { contextWindow: 200_000, maxOutputTokens: undefined, capabilities: { ...CHAT, thinking: true, vision: true } },
};

// OpenRouter's `:free` variants cost nothing by definition.
const FREE: CatalogFacts = {
  contextWindow: undefined,
  maxOutputTokens: undefined,
  pricing: { input: 0, output: 0 },
  pricingSource: 'openrouter.ai: ":free" model variants are free of charge',
  capabilities: CHAT,
};

const caches = new Map<string, Map<string, CatalogFacts>>();

const normalize = (baseURL: string): string => baseURL.replace(/\/+$/, '');

/** USD per token as a string → USD per 1M tokens; negative (OpenRouter's "varies", e.g. `openrouter/auto`) or unreadable → undefined. */
export function perTokenToPerMillion(value: string | number | null | undefined): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const perToken = Number(value);
  if (!Number.isFinite(perToken) || perToken < 0) return undefined;
  // toPrecision drops the binary noise of the multiplication (0.000003 * 1e6 = 2.9999999999999996).
  return Number((perToken * 1_000_000).toPrecision(12));
}

/** One `/models` entry → the facts `modelInfo()` reports. */
export function convertOpenRouterModel(entry: OpenRouterModelEntry, source: string): CatalogFacts {
  const input = perTokenToPerMillion(entry.pricing?.prompt);
  const output = perTokenToPerMillion(entry.pricing?.completion);
  const cachedInput = perTokenToPerMillion(entry.pricing?.input_cache_read);
  const cacheWrite = perTokenToPerMillion(entry.pricing?.input_cache_write);
  const parameters = new Set(entry.supported_parameters ?? []);
  const inputs = new Set(entry.architecture?.input_modalities ?? []);
  const outputs = new Set(entry.architecture?.output_modalities ?? []);
  return {
    contextWindow: entry.context_length ?? entry.top_provider?.context_length ?? undefined,
    maxOutputTokens: entry.top_provider?.max_completion_tokens ?? undefined,
    pricing:
      input === undefined || output === undefined
        ? 'unknown'
        : { input, output, ...(cachedInput === undefined ? {} : { cachedInput }), ...(cacheWrite === undefined ? {} : { cacheWrite }) },
    pricingSource: source,
    capabilities: {
      functionCalling: parameters.has('tools'),
      streaming: true,
      vision: inputs.has('image'),
      jsonMode: parameters.has('response_format') || parameters.has('structured_outputs'),
      thinking: parameters.has('reasoning') || parameters.has('include_reasoning'),
      embeddings: outputs.has('embeddings'),
      promptCaching: cachedInput !== undefined,
    },
  };
}

export interface LoadModelsRequest {
  readonly baseURL: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

/** GET `{baseURL}/models` and cache the catalog for this process. Resolves to the number of models. */
export async function loadOpenRouterModels(request: LoadModelsRequest): Promise<number> {
  const baseURL = normalize(request.baseURL);
  const response = await requestJson<{ data?: OpenRouterModelEntry[] }>({
    provider: 'openrouter',
    url: `${baseURL}/models`,
    method: 'GET',
    headers: request.headers,
    signal: request.signal,
    timeoutMs: request.timeoutMs,
    apiKeyEnv: 'OPENROUTER_API_KEY',
    readRateLimit: readOpenRouterRateLimitHeaders,
  });
  if (!Array.isArray(response.body?.data)) {
    throw new InvalidResponseError(`openrouter answered GET ${baseURL}/models without a "data" array.`, { provider: 'openrouter', requestId: response.requestId });
  }
  const source = `${baseURL}/models, fetched ${new Date().toISOString().slice(0, 10)}`;
  const cache = new Map<string, CatalogFacts>();
  for (const entry of response.body.data) if (typeof entry.id === 'string') cache.set(entry.id, convertOpenRouterModel(entry, source));
  caches.set(baseURL, cache);
  return cache.size;
}

export function hasOpenRouterModelCache(baseURL: string): boolean {
  return caches.has(normalize(baseURL));
}

/** Forget loaded catalogs (all, or one base URL's). */
export function clearOpenRouterModelCache(baseURL?: string): void {
  if (baseURL === undefined) caches.clear();
  else caches.delete(normalize(baseURL));
}

/** The loaded `/models` catalog, else the static one and the price table, else `pricing: 'unknown'`. */
export function openRouterModelInfo(model: string, baseURL: string, rateLimits?: RateLimits): ModelInfo {
  const live = caches.get(normalize(baseURL))?.get(model);
  const facts = live ?? STATIC_CATALOG[model] ?? (model.endsWith(':free') ? FREE : undefined);
  const priced = live ?? (model.endsWith(':free') ? FREE : undefined);
  const { pricing, pricingSource } = priced ? { pricing: priced.pricing, pricingSource: priced.pricingSource } : modelPricingFor('openrouter', model);
  return {
    id: model,
    provider: 'openrouter',
    contextWindow: facts?.contextWindow,
    maxOutputTokens: facts?.maxOutputTokens,
    pricing,
    ...(pricingSource && pricing !== 'unknown' ? { pricingSource } : {}),
    capabilities: facts?.capabilities ?? CHAT,
    ...(rateLimits ? { rateLimits } : {}),
  };
}
