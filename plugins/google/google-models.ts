import { modelPricingFor } from '../../core/pricing-table.js';
import type { Capabilities, ModelInfo, RateLimits } from '../../core/types.js';

export const GOOGLE_PROVIDER = 'google';

/** Model ids with a catalog entry; any other id is accepted and priced from the price table, else `'unknown'`. */
export type GoogleModelId =
  | 'gemini-3.1-pro-preview'
  | 'gemini-3-pro-preview'
  | 'gemini-3-flash-preview'
  | 'gemini-2.5-pro'
  | 'gemini-2.5-flash'
  | 'gemini-2.5-flash-lite'
  | 'gemini-2.0-flash'
  | 'gemini-2.0-flash-lite'
  | 'gemini-embedding-001'
  | (string & {});

export const DEFAULT_GOOGLE_MODEL: GoogleModelId = 'gemini-2.5-flash';
export const DEFAULT_GOOGLE_EMBEDDING_MODEL: GoogleModelId = 'gemini-embedding-001';

interface CatalogEntry {
  readonly contextWindow: number;
  readonly maxOutputTokens: number | undefined;
  readonly capabilities: Capabilities;
}

// Context windows and output limits from ai.google.dev/gemini-api/docs/models (read 2026-11-27). Prices are not
// here: `priceFor('google', id)` (core/pricing-table.ts) gives them from the shipped @pydantic/genai-prices
// snapshot, with the rates above 200K prompt tokens where Google prices so (2.5 Pro, 3 Pro, 3.1 Pro).
const chatCaps: Capabilities = { functionCalling: true, streaming: true, vision: true, jsonMode: true, thinking: true, embeddings: false, promptCaching: true };
const nonThinkingCaps: Capabilities = { ...chatCaps, thinking: false };
const embeddingCaps: Capabilities = { functionCalling: false, streaming: false, vision: false, jsonMode: false, thinking: false, embeddings: true, promptCaching: false };

const CATALOG: Readonly<Record<string, CatalogEntry>> = {
  'gemini-3.1-pro-preview': { contextWindow: 1_048_576, maxOutputTokens: 65_536, capabilities: chatCaps },
  'gemini-3-pro-preview': { contextWindow: 1_048_576, maxOutputTokens: 65_536, capabilities: chatCaps },
  'gemini-3-flash-preview': { contextWindow: 1_048_576, maxOutputTokens: 65_536, capabilities: chatCaps },
  'gemini-2.5-pro': { contextWindow: 1_048_576, maxOutputTokens: 65_536, capabilities: chatCaps },
  'gemini-2.5-flash': { contextWindow: 1_048_576, maxOutputTokens: 65_536, capabilities: chatCaps },
  'gemini-2.5-flash-lite': { contextWindow: 1_048_576, maxOutputTokens: 65_536, capabilities: chatCaps },
  'gemini-2.0-flash': { contextWindow: 1_048_576, maxOutputTokens: 8_192, capabilities: nonThinkingCaps },
  'gemini-2.0-flash-lite': { contextWindow: 1_048_576, maxOutputTokens: 8_192, capabilities: nonThinkingCaps },
  'gemini-embedding-001': { contextWindow: 2_048, maxOutputTokens: undefined, capabilities: embeddingCaps },
};

/** Every model id in the catalog. */
export const GOOGLE_MODEL_IDS: readonly string[] = Object.freeze(Object.keys(CATALOG));

/** `models/gemini-2.5-flash` and `gemini-2.5-flash-001` are the same catalog entry as `gemini-2.5-flash`. */
export function resolveGoogleModel(model: string): string | undefined {
  const id = model.trim().toLowerCase().replace(/^models\//, '');
  if (Object.hasOwn(CATALOG, id)) return id;
  const undated = id.replace(/-\d{3}$/, '');
  return Object.hasOwn(CATALOG, undated) ? undated : undefined;
}

/** Catalog info for `model`. Unknown ids still answer, priced from the price table or `'unknown'`, never 0. */
export function googleModelInfo(model: string, rateLimits?: RateLimits): ModelInfo {
  const id = resolveGoogleModel(model);
  const entry = id === undefined ? undefined : CATALOG[id];
  return {
    id: model,
    provider: GOOGLE_PROVIDER,
    contextWindow: entry?.contextWindow,
    maxOutputTokens: entry?.maxOutputTokens,
    ...modelPricingFor(GOOGLE_PROVIDER, id ?? model.replace(/^models\//, '')),
    capabilities: entry?.capabilities ?? chatCaps,
    ...(rateLimits ? { rateLimits } : {}),
  };
}
