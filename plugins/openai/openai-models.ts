import { modelPricingFor } from '../../core/pricing-table.js';
import type { Capabilities, ModelInfo, RateLimits } from '../../core/types.js';

/** Model ids with a catalog entry; any other id is accepted and priced `'unknown'`. */
export type OpenAIModelId =
  | 'gpt-5'
  | 'gpt-5-mini'
  | 'gpt-5-nano'
  | 'gpt-4.1'
  | 'gpt-4.1-mini'
  | 'gpt-4.1-nano'
  | 'gpt-4o'
  | 'gpt-4o-mini'
  | 'o1'
  | 'o3'
  | 'o3-mini'
  | 'o4-mini'
  | 'gpt-4-turbo'
  | 'gpt-4'
  | 'gpt-3.5-turbo'
  | 'text-embedding-3-small'
  | 'text-embedding-3-large'
  | (string & {});

export const DEFAULT_OPENAI_MODEL = 'gpt-4o-mini';
export const DEFAULT_OPENAI_EMBEDDING_MODEL = 'text-embedding-3-small';

/**
 * The seed table's default for OpenAI GPT-4-class models: 500 requests and 150,000 tokens per minute.
 * An account's real limits depend on its usage tier; the response headers (`x-ratelimit-*`) say.
 */
export const DEFAULT_RATE_LIMITS: RateLimits = Object.freeze({ rpm: 500, tpm: 150_000 });

// Prices: `priceFor('openai', id)` (core/pricing-table.ts), from the shipped snapshot of @pydantic/genai-prices
// (or an override file the config names), read when a price is first asked for.

interface CatalogEntry {
  readonly contextWindow: number;
  readonly maxOutputTokens: number | undefined;
  readonly capabilities: Capabilities;
  /** Takes `max_completion_tokens` and rejects `temperature`/`top_p`/`logprobs`. */
  readonly reasoning: boolean;
  readonly rateLimits?: RateLimits;
}

const base: Capabilities = { functionCalling: true, streaming: true, vision: true, jsonMode: true, thinking: false, embeddings: false, promptCaching: true };
const reasoningCaps: Capabilities = { ...base, thinking: true };
const embeddingCaps: Capabilities = { functionCalling: false, streaming: false, vision: false, jsonMode: false, thinking: false, embeddings: true, promptCaching: false };

const chat = (contextWindow: number, maxOutputTokens: number, capabilities: Capabilities = base): CatalogEntry => ({
  contextWindow,
  maxOutputTokens,
  capabilities,
  reasoning: capabilities.thinking,
  rateLimits: DEFAULT_RATE_LIMITS,
});

const CATALOG: Readonly<Record<string, CatalogEntry>> = {
  'gpt-5': chat(400_000, 128_000, reasoningCaps),
  'gpt-5-mini': chat(400_000, 128_000, reasoningCaps),
  'gpt-5-nano': chat(400_000, 128_000, reasoningCaps),
  'gpt-4.1': chat(1_047_576, 32_768),
  'gpt-4.1-mini': chat(1_047_576, 32_768),
  'gpt-4.1-nano': chat(1_047_576, 32_768),
  'gpt-4o': chat(128_000, 16_384),
  'gpt-4o-mini': chat(128_000, 16_384),
  o1: chat(200_000, 100_000, reasoningCaps),
  o3: chat(200_000, 100_000, reasoningCaps),
  'o3-mini': chat(200_000, 100_000, { ...reasoningCaps, vision: false }),
  'o4-mini': chat(200_000, 100_000, reasoningCaps),
  'gpt-4-turbo': chat(128_000, 4_096, { ...base, promptCaching: false }),
  'gpt-4': chat(8_192, 8_192, { ...base, vision: false, jsonMode: false, promptCaching: false }),
  'gpt-3.5-turbo': chat(16_385, 4_096, { ...base, vision: false, promptCaching: false }),
  'text-embedding-3-small': { contextWindow: 8_191, maxOutputTokens: undefined, capabilities: embeddingCaps, reasoning: false },
  'text-embedding-3-large': { contextWindow: 8_191, maxOutputTokens: undefined, capabilities: embeddingCaps, reasoning: false },
};

/** Where each catalog model's price comes from, read from the price table when first asked for. */
export const PRICING_SOURCES: Readonly<Record<string, string>> = Object.freeze(
  Object.defineProperties(
    {},
    Object.fromEntries(Object.keys(CATALOG).map((id) => [id, { enumerable: true, get: () => modelPricingFor('openai', id).pricingSource }])),
  ) as Record<string, string>,
);

export const OPENAI_MODEL_IDS: readonly string[] = Object.freeze(Object.keys(CATALOG));

// A dated snapshot (`gpt-4o-mini-2024-07-18`, `gpt-3.5-turbo-0125`) shares its base model's entry. Any
// other suffix (`o1-pro`, `gpt-4o-realtime-preview`, `gpt-5.2`) is a different model with its own price.
const SNAPSHOT_SUFFIX = /^(-\d{4}-\d{2}-\d{2}|-\d{4})$/;

/** The catalog id for `model`: itself, or the longest catalog id it is a dated snapshot of. */
export function resolveOpenAIModelId(model: string): string | undefined {
  if (CATALOG[model]) return model;
  let best: string | undefined;
  for (const id of OPENAI_MODEL_IDS) {
    if (model.startsWith(id) && SNAPSHOT_SUFFIX.test(model.slice(id.length)) && (!best || id.length > best.length)) best = id;
  }
  return best;
}

/** o-series and gpt-5 reasoning models (not `gpt-5-chat-latest`), known or not. */
export function isOpenAIReasoningModel(model: string): boolean {
  const id = resolveOpenAIModelId(model);
  if (id) return CATALOG[id].reasoning;
  return /^(o\d+)(-|$)|^gpt-5/.test(model) && !/-chat/.test(model);
}

const UNKNOWN_CAPABILITIES: Capabilities = { ...base, promptCaching: false };

/** Catalog facts for `model`; unknown ids get `pricing: 'unknown'`, never a guessed price. */
export function openAIModelInfo(model: string, rateLimits?: RateLimits): ModelInfo {
  const id = resolveOpenAIModelId(model);
  const entry = id ? CATALOG[id] : undefined;
  const limits = rateLimits ?? entry?.rateLimits;
  if (!entry || !id) {
    return {
      id: model,
      provider: 'openai',
      contextWindow: undefined,
      maxOutputTokens: undefined,
      // A model newer than this catalog (gpt-5.5, o3-pro) may well be in the price database.
      ...modelPricingFor('openai', model),
      capabilities: { ...UNKNOWN_CAPABILITIES, thinking: isOpenAIReasoningModel(model) },
      ...(limits ? { rateLimits: limits } : {}),
    };
  }
  return {
    id: model,
    provider: 'openai',
    contextWindow: entry.contextWindow,
    maxOutputTokens: entry.maxOutputTokens,
    ...modelPricingFor('openai', id),
    capabilities: entry.capabilities,
    ...(limits ? { rateLimits: limits } : {}),
  };
}
