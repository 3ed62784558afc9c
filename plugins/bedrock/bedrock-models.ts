import { priceFor } from '../../core/pricing-table.js';
import type { Capabilities, ModelInfo, RateLimits } from '../../core/types.js';

/** Bedrock's model ids as `options.model` takes them: base ids, or an inference profile (`us.…`, `global.…`). */
export type BedrockModelId =
  | 'anthropic.claude-sonnet-4-5-20250929-v1:0'
  | 'us.anthropic.claude-sonnet-4-5-20250929-v1:0'
  | 'global.anthropic.claude-sonnet-4-5-20250929-v1:0'
  | 'anthropic.claude-haiku-4-5-20251001-v1:0'
  | 'us.anthropic.claude-haiku-4-5-20251001-v1:0'
  | 'anthropic.claude-opus-4-5-20251101-v1:0'
  | 'anthropic.claude-sonnet-4-20250514-v1:0'
  | 'anthropic.claude-3-7-sonnet-20250219-v1:0'
  | 'anthropic.claude-3-5-haiku-20241022-v1:0'
  | 'amazon.nova-2-lite-v1:0'
  | 'us.amazon.nova-2-lite-v1:0'
  | 'amazon.nova-pro-v1:0'
  | 'amazon.nova-lite-v1:0'
  | 'amazon.nova-micro-v1:0'
  | 'meta.llama3-3-70b-instruct-v1:0'
  | 'mistral.pixtral-large-2502-v1:0'
  | 'deepseek.r1-v1:0'
  | 'openai.gpt-oss-120b-1:0'
  | 'amazon.titan-embed-text-v2:0'
  | 'cohere.embed-english-v3'
  | (string & {});

/** The model families Converse serves, by the part of the id before the first dot. */
export type BedrockFamily = 'anthropic' | 'amazon' | 'meta' | 'mistral' | 'cohere' | 'deepseek' | 'openai' | 'qwen' | 'writer' | 'google' | 'nvidia' | 'other';

/** Bedrock's default on-demand quota is per model and account; these are conservative starting values. */
export const DEFAULT_RATE_LIMITS: RateLimits = Object.freeze({ rpm: 50, tpm: 200_000 });

interface CatalogEntry {
  /** The base id, without a geographic or `global.` inference-profile prefix. */
  readonly id: string;
  readonly contextWindow: number | undefined;
  readonly maxOutputTokens?: number;
  readonly thinking?: 'budget' | 'adaptive' | 'nova' | 'effort';
  readonly vision?: boolean;
  readonly embeddings?: boolean;
}

// Prices: `priceFor('bedrock', id)` (core/pricing-table.ts): the config's price file, else the shipped snapshot of
// @pydantic/genai-prices (provider "aws", whose `regional.*` entries price in-region ids and geographic profiles and
// `global.*` entries the global profiles). Context windows are that database's; output limits only where Anthropic's
// model pages give them (see anthropic-models.ts).
const CATALOG: readonly CatalogEntry[] = [
  { id: 'anthropic.claude-sonnet-4-5-20250929-v1:0', contextWindow: 200_000, maxOutputTokens: 64_000, thinking: 'budget', vision: true },
  { id: 'anthropic.claude-haiku-4-5-20251001-v1:0', contextWindow: 200_000, maxOutputTokens: 64_000, thinking: 'budget', vision: true },
  { id: 'anthropic.claude-opus-4-5-20251101-v1:0', contextWindow: 200_000, maxOutputTokens: 64_000, thinking: 'budget', vision: true },
  { id: 'anthropic.claude-opus-4-1-20250805-v1:0', contextWindow: 200_000, maxOutputTokens: 32_000, thinking: 'budget', vision: true },
  { id: 'anthropic.claude-sonnet-4-20250514-v1:0', contextWindow: 200_000, maxOutputTokens: 64_000, thinking: 'budget', vision: true },
  { id: 'anthropic.claude-3-7-sonnet-20250219-v1:0', contextWindow: 200_000, maxOutputTokens: 64_000, thinking: 'budget', vision: true },
  { id: 'anthropic.claude-3-5-haiku-20241022-v1:0', contextWindow: 200_000, maxOutputTokens: 8192 },
  { id: 'anthropic.claude-3-haiku-20240307-v1:0', contextWindow: 200_000, maxOutputTokens: 4096, vision: true },
  { id: 'amazon.nova-2-lite-v1:0', contextWindow: 1_000_000, thinking: 'nova', vision: true },
  { id: 'amazon.nova-premier-v1:0', contextWindow: 1_000_000, vision: true },
  { id: 'amazon.nova-pro-v1:0', contextWindow: 300_000, vision: true },
  { id: 'amazon.nova-lite-v1:0', contextWindow: 300_000, vision: true },
  { id: 'amazon.nova-micro-v1:0', contextWindow: 128_000 },
  { id: 'meta.llama4-maverick-17b-instruct-v1:0', contextWindow: 1_000_000, vision: true },
  { id: 'meta.llama4-scout-17b-instruct-v1:0', contextWindow: 10_000_000, vision: true },
  { id: 'meta.llama3-3-70b-instruct-v1:0', contextWindow: 128_000 },
  { id: 'meta.llama3-1-8b-instruct-v1:0', contextWindow: 128_000 },
  { id: 'mistral.pixtral-large-2502-v1:0', contextWindow: 128_000, vision: true },
  { id: 'mistral.mistral-large-2402-v1:0', contextWindow: 32_000 },
  { id: 'deepseek.r1-v1:0', contextWindow: 128_000 },
  { id: 'openai.gpt-oss-120b-1:0', contextWindow: 128_000, thinking: 'effort' },
  { id: 'openai.gpt-oss-20b-1:0', contextWindow: 128_000, thinking: 'effort' },
  { id: 'qwen.qwen3-32b-v1:0', contextWindow: 32_000 },
  { id: 'writer.palmyra-x5-v1:0', contextWindow: 128_000 },
  { id: 'amazon.titan-embed-text-v1', contextWindow: 8192, embeddings: true },
  // The database has no entry of their own (its Titan v1 entry's `contains` match would price v2 at v1's rate).
  { id: 'amazon.titan-embed-text-v2:0', contextWindow: 8192, embeddings: true },
  { id: 'cohere.embed-english-v3', contextWindow: 512, embeddings: true },
  { id: 'cohere.embed-multilingual-v3', contextWindow: 512, embeddings: true },
  { id: 'cohere.embed-v4:0', contextWindow: 128_000, embeddings: true },
];

const BY_ID = new Map(CATALOG.map((entry) => [entry.id, entry]));

/** Every base model id in the catalog. */
export const BEDROCK_MODEL_IDS: readonly string[] = Object.freeze(CATALOG.map((entry) => entry.id));

/** The models `hyperagent models` lists for a bedrock backend. */
export const BEDROCK_PRESETS: Readonly<Record<string, BedrockModelId>> = Object.freeze({
  claudeSonnet45: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
  claudeHaiku45: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
  novaLite2: 'us.amazon.nova-2-lite-v1:0',
  novaPro: 'us.amazon.nova-pro-v1:0',
  llama33: 'us.meta.llama3-3-70b-instruct-v1:0',
  titanEmbedV2: 'amazon.titan-embed-text-v2:0',
});

const PROFILE_PREFIX = /^(global|us|us-gov|eu|apac|au|jp|ca)\./;

/** A model id without its inference-profile prefix, and whether it was a `global.` profile. ARNs give their last segment. */
export function splitBedrockModelId(model: string): { readonly base: string; readonly global: boolean } {
  const id = model.startsWith('arn:') ? (model.split('/').pop() ?? model) : model;
  const prefix = PROFILE_PREFIX.exec(id);
  return { base: prefix ? id.slice(prefix[0].length) : id, global: prefix?.[1] === 'global' };
}

/** Who made the model, which decides the model-specific request fields (thinking, embeddings body). */
export function bedrockFamily(model: string): BedrockFamily {
  const family = splitBedrockModelId(model).base.split('.')[0];
  const known: readonly BedrockFamily[] = ['anthropic', 'amazon', 'meta', 'mistral', 'cohere', 'deepseek', 'openai', 'qwen', 'writer', 'google', 'nvidia'];
  return (known as readonly string[]).includes(family) ? (family as BedrockFamily) : 'other';
}

/** How the model takes a thinking budget or effort, when it does. */
export function bedrockThinking(model: string): CatalogEntry['thinking'] {
  const entry = BY_ID.get(splitBedrockModelId(model).base);
  if (entry) return entry.thinking;
  // A Claude newer than the catalog takes thinking as every Claude since 3.7 does.
  return bedrockFamily(model) === 'anthropic' ? 'budget' : undefined;
}

function capabilities(entry: CatalogEntry | undefined, model: string): Capabilities {
  const embeddings = entry?.embeddings ?? /embed/.test(model);
  return {
    functionCalling: !embeddings,
    streaming: !embeddings,
    vision: entry?.vision ?? false,
    jsonMode: false,
    thinking: entry?.thinking !== undefined,
    embeddings,
    promptCaching: bedrockFamily(model) === 'anthropic' || (bedrockFamily(model) === 'amazon' && !embeddings),
  };
}

/**
 * The database's entry for `model`, when it is this model's: its `contains` matches are loose
 * (`amazon.titan-embed-text` prices v2 at v1's rate), so the entry's id must name the same base model.
 */
function pricing(model: string): Pick<ModelInfo, 'pricing' | 'pricingSource'> {
  const entry = priceFor('bedrock', model);
  if (entry === undefined) return { pricing: 'unknown' };
  const same = entry.origin === 'override' || splitBedrockModelId(entry.entryId.replace(/^regional\./, '')).base === splitBedrockModelId(model).base;
  return same ? { pricing: entry.pricing, pricingSource: entry.pricingSource } : { pricing: 'unknown', pricingSource: `not priced: the price database's nearest entry (${entry.entryId}) is another model` };
}

/** Catalog info for `model` (base id, inference profile or ARN). Unknown ids still answer, unpriced. */
export function bedrockModelInfo(model: string, provider: string, rateLimits: RateLimits = DEFAULT_RATE_LIMITS): ModelInfo {
  const { base } = splitBedrockModelId(model);
  const entry = BY_ID.get(base);
  return {
    id: model,
    provider,
    contextWindow: entry?.contextWindow,
    maxOutputTokens: entry?.maxOutputTokens,
    ...pricing(model),
    capabilities: capabilities(entry, base),
    rateLimits,
  };
}
