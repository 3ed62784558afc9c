import { modelPricingFor } from '../../core/pricing-table.js';
import type { Capabilities, ModelInfo, RateLimits } from '../../core/types.js';
import { VERTEX_PROVIDER } from './vertex-errors.js';

/** Model ids with a catalog entry; any other id is accepted and priced from the price table, else `'unknown'`. */
export type VertexModelId =
  | 'gemini-3-pro-preview'
  | 'gemini-3-flash-preview'
  | 'gemini-2.5-pro'
  | 'gemini-2.5-flash'
  | 'gemini-2.5-flash-lite'
  | 'gemini-2.0-flash'
  | 'gemini-embedding-001'
  | 'claude-sonnet-4-5@20250929'
  | 'claude-haiku-4-5@20251001'
  | 'claude-opus-4-1@20250805'
  | 'claude-sonnet-4@20250514'
  | 'claude-3-5-haiku@20241022'
  | (string & {});

export const DEFAULT_VERTEX_MODEL: VertexModelId = 'gemini-2.5-flash';
export const DEFAULT_VERTEX_EMBEDDING_MODEL: VertexModelId = 'gemini-embedding-001';

interface CatalogEntry {
  readonly contextWindow: number;
  readonly maxOutputTokens: number | undefined;
  readonly capabilities: Capabilities;
}

const geminiCaps: Capabilities = { functionCalling: true, streaming: true, vision: true, jsonMode: true, thinking: true, embeddings: false, promptCaching: true };
const claudeCaps: Capabilities = { ...geminiCaps, jsonMode: false };
const embeddingCaps: Capabilities = { functionCalling: false, streaming: false, vision: false, jsonMode: false, thinking: false, embeddings: true, promptCaching: false };

// Limits from cloud.google.com/vertex-ai/generative-ai/docs/models (read 2026-11-27). Vertex bills Gemini at the
// Gemini API's paid rates and Claude at Anthropic's (global endpoint), so prices come from `priceFor('google' |
// 'anthropic', id)` (core/pricing-table.ts), tiers above 200K prompt tokens included. Regional Claude endpoints
// cost 10% more for Sonnet 4.5 and later: configure a price override for those.
const CATALOG: Readonly<Record<string, CatalogEntry>> = {
  'gemini-3-pro-preview': { contextWindow: 1_048_576, maxOutputTokens: 65_536, capabilities: geminiCaps },
  'gemini-3-flash-preview': { contextWindow: 1_048_576, maxOutputTokens: 65_536, capabilities: geminiCaps },
  'gemini-2.5-pro': { contextWindow: 1_048_576, maxOutputTokens: 65_536, capabilities: geminiCaps },
  'gemini-2.5-flash': { contextWindow: 1_048_576, maxOutputTokens: 65_536, capabilities: geminiCaps },
  'gemini-2.5-flash-lite': { contextWindow: 1_048_576, maxOutputTokens: 65_536, capabilities: geminiCaps },
  'gemini-2.0-flash': { contextWindow: 1_048_576, maxOutputTokens: 8_192, capabilities: { ...geminiCaps, thinking: false } },
  'gemini-embedding-001': { contextWindow: 2_048, maxOutputTokens: undefined, capabilities: embeddingCaps },
  'claude-sonnet-4-5': { contextWindow: 200_000, maxOutputTokens: 64_000, capabilities: claudeCaps },
  'claude-haiku-4-5': { contextWindow: 200_000, maxOutputTokens: 64_000, capabilities: claudeCaps },
  'claude-opus-4-1': { contextWindow: 200_000, maxOutputTokens: 32_000, capabilities: claudeCaps },
  'claude-sonnet-4': { contextWindow: 200_000, maxOutputTokens: 64_000, capabilities: claudeCaps },
  'claude-3-5-haiku': { contextWindow: 200_000, maxOutputTokens: 8_192, capabilities: { ...claudeCaps, thinking: false, vision: false } },
};

/** Every model id in the catalog (Claude ids without their `@date`). */
export const VERTEX_MODEL_IDS: readonly string[] = Object.freeze(Object.keys(CATALOG));

/** Claude models on Vertex speak Anthropic's Messages wire (`rawPredict`), not generateContent. */
export function isVertexAnthropicModel(model: string): boolean {
  return /^(publishers\/anthropic\/models\/)?claude-/i.test(model.trim());
}

/** `claude-sonnet-4-5@20250929` → `claude-sonnet-4-5`; `publishers/google/models/gemini-2.5-flash` → `gemini-2.5-flash`. */
export function vertexCatalogId(model: string): string {
  return model.trim().toLowerCase().replace(/^publishers\/[^/]+\/models\//, '').replace(/@.*$/, '').replace(/-\d{3}$/, '');
}

/** Catalog info for `model`. Unknown ids still answer, priced from the price table or `'unknown'`, never 0. */
export function vertexModelInfo(model: string, rateLimits?: RateLimits): ModelInfo {
  const id = vertexCatalogId(model);
  const entry = Object.hasOwn(CATALOG, id) ? CATALOG[id] : undefined;
  const anthropic = isVertexAnthropicModel(model);
  return {
    id: model,
    provider: VERTEX_PROVIDER,
    contextWindow: entry?.contextWindow,
    maxOutputTokens: entry?.maxOutputTokens,
    ...modelPricingFor(anthropic ? 'anthropic' : 'google', id),
    capabilities: entry?.capabilities ?? (anthropic ? claudeCaps : geminiCaps),
    ...(rateLimits ? { rateLimits } : {}),
  };
}
