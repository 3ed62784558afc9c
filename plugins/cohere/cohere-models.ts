import { priceFor } from '../../core/pricing-table.js';
import type { Capabilities, ModelInfo, RateLimits } from '../../core/types.js';

export const COHERE_PROVIDER = 'cohere';

/** Model ids with a catalog entry (a union of known ids plus any string). */
export type CohereModelId =
  | 'command-a-03-2025'
  | 'command-a-reasoning-08-2025'
  | 'command-a-vision-07-2025'
  | 'command-r-plus-08-2024'
  | 'command-r-08-2024'
  | 'command-r7b-12-2024'
  | 'embed-v4.0'
  | 'embed-english-v3.0'
  | 'embed-multilingual-v3.0'
  | (string & {});

export const DEFAULT_COHERE_MODEL: CohereModelId = 'command-a-03-2025';
export const DEFAULT_COHERE_EMBEDDING_MODEL: CohereModelId = 'embed-v4.0';

interface CatalogEntry {
  readonly contextWindow: number;
  readonly maxOutputTokens?: number;
  readonly capabilities: Capabilities;
}

const chat: Capabilities = { functionCalling: true, streaming: true, vision: false, jsonMode: true, thinking: false, embeddings: false, promptCaching: false };
const embedding: Capabilities = { functionCalling: false, streaming: false, vision: false, jsonMode: false, thinking: false, embeddings: true, promptCaching: false };

// Context windows and output limits from docs.cohere.com/docs/models (as listed in 2025; re-check for new releases).
// Prices: `priceFor('cohere', id)` (core/pricing-table.ts), else 'unknown'.
const CATALOG: Readonly<Record<string, CatalogEntry>> = {
  'command-a-03-2025': { contextWindow: 256_000, maxOutputTokens: 8_000, capabilities: chat },
  'command-a-reasoning-08-2025': { contextWindow: 256_000, maxOutputTokens: 32_000, capabilities: { ...chat, thinking: true } },
  'command-a-vision-07-2025': { contextWindow: 128_000, maxOutputTokens: 8_000, capabilities: { ...chat, functionCalling: false, vision: true } },
  'command-r-plus-08-2024': { contextWindow: 128_000, maxOutputTokens: 4_000, capabilities: chat },
  'command-r-08-2024': { contextWindow: 128_000, maxOutputTokens: 4_000, capabilities: chat },
  'command-r7b-12-2024': { contextWindow: 128_000, maxOutputTokens: 4_000, capabilities: chat },
  'embed-v4.0': { contextWindow: 128_000, capabilities: embedding },
  'embed-english-v3.0': { contextWindow: 512, capabilities: embedding },
  'embed-multilingual-v3.0': { contextWindow: 512, capabilities: embedding },
};

/** Every model id in the catalog, for listings. */
export const COHERE_MODEL_IDS: readonly string[] = Object.freeze(Object.keys(CATALOG));

/**
 * Catalog info for `model`. Cohere bills `billed_units` only, and cache hits are not in them
 * (fixture cohere/chat-max-tokens-cached-tokens.json: 448 cached, 11 billed): a price without a
 * cached rate gets `cachedInput: 0`, so the cost is what Cohere bills. Unknown ids are `'unknown'`.
 */
export function cohereModelInfo(model: string, rateLimits?: RateLimits): ModelInfo {
  const entry = Object.hasOwn(CATALOG, model) ? CATALOG[model] : undefined;
  const price = priceFor(COHERE_PROVIDER, model);
  return {
    id: model,
    provider: COHERE_PROVIDER,
    contextWindow: entry?.contextWindow,
    maxOutputTokens: entry?.maxOutputTokens,
    pricing: price ? { ...price.pricing, cachedInput: price.pricing.cachedInput ?? 0 } : 'unknown',
    ...(price ? { pricingSource: price.pricingSource } : {}),
    capabilities: entry?.capabilities ?? chat,
    ...(rateLimits ? { rateLimits } : {}),
  };
}
