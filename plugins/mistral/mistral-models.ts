import { modelPricingFor } from '../../core/pricing-table.js';
import type { Capabilities, ModelInfo, RateLimits } from '../../core/types.js';

export const MISTRAL_PROVIDER = 'mistral';

/** Model ids with a catalog entry (a union of known ids plus any string). */
export type MistralModelId =
  | 'mistral-large-latest'
  | 'mistral-medium-latest'
  | 'mistral-small-latest'
  | 'magistral-medium-latest'
  | 'magistral-small-latest'
  | 'codestral-latest'
  | 'devstral-small-latest'
  | 'ministral-8b-latest'
  | 'ministral-3b-latest'
  | 'pixtral-large-latest'
  | 'open-mistral-nemo'
  | 'mistral-embed'
  | (string & {});

export const DEFAULT_MISTRAL_MODEL: MistralModelId = 'mistral-small-latest';
export const DEFAULT_MISTRAL_EMBEDDING_MODEL: MistralModelId = 'mistral-embed';

interface CatalogEntry {
  readonly contextWindow: number;
  readonly capabilities: Capabilities;
}

const chat: Capabilities = { functionCalling: true, streaming: true, vision: false, jsonMode: true, thinking: false, embeddings: false, promptCaching: false };
const vision: Capabilities = { ...chat, vision: true };
// mistral-small-latest (3.2+) answers with `thinking` parts when asked for reasoning_effort (fixture mistral/chat-completion-thinking-chunks.json).
const hybrid: Capabilities = { ...vision, thinking: true };
const reasoning: Capabilities = { ...chat, thinking: true };
const embedding: Capabilities = { functionCalling: false, streaming: false, vision: false, jsonMode: false, thinking: false, embeddings: true, promptCaching: false };

// Context windows from docs.mistral.ai/getting-started/models (as listed in 2025; re-check for new releases).
// Prices are not here: `priceFor('mistral', id)` (core/pricing-table.ts) gives them from the config's price file,
// else the shipped @pydantic/genai-prices snapshot; an id it does not know is priced 'unknown'.
const CATALOG: Readonly<Record<string, CatalogEntry>> = {
  'mistral-large-latest': { contextWindow: 131_072, capabilities: vision },
  'mistral-medium-latest': { contextWindow: 131_072, capabilities: vision },
  'mistral-small-latest': { contextWindow: 131_072, capabilities: hybrid },
  'magistral-medium-latest': { contextWindow: 40_960, capabilities: reasoning },
  'magistral-small-latest': { contextWindow: 40_960, capabilities: reasoning },
  'codestral-latest': { contextWindow: 262_144, capabilities: chat },
  'devstral-small-latest': { contextWindow: 131_072, capabilities: chat },
  'ministral-8b-latest': { contextWindow: 131_072, capabilities: chat },
  'ministral-3b-latest': { contextWindow: 131_072, capabilities: chat },
  'pixtral-large-latest': { contextWindow: 131_072, capabilities: vision },
  'open-mistral-nemo': { contextWindow: 131_072, capabilities: chat },
  'mistral-embed': { contextWindow: 8_192, capabilities: embedding },
};

/** Every model id in the catalog, for listings. */
export const MISTRAL_MODEL_IDS: readonly string[] = Object.freeze(Object.keys(CATALOG));

/** Catalog info for `model`: context window from the catalog, price from the price table, else `'unknown'` (never 0). */
export function mistralModelInfo(model: string, rateLimits?: RateLimits): ModelInfo {
  const entry = Object.hasOwn(CATALOG, model) ? CATALOG[model] : undefined;
  return {
    id: model,
    provider: MISTRAL_PROVIDER,
    contextWindow: entry?.contextWindow,
    maxOutputTokens: undefined,
    ...modelPricingFor(MISTRAL_PROVIDER, model),
    capabilities: entry?.capabilities ?? chat,
    ...(rateLimits ? { rateLimits } : {}),
  };
}
