import type { Capabilities, ModelInfo, ModelPricing, RateLimits } from '../../core/types.js';

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
  /** In-region and geographic (`us.`, `eu.`, `apac.` …) profiles. */
  readonly regional: ModelPricing | 'unknown';
  /** `global.` profiles, where AWS prices them apart. @default regional */
  readonly global?: ModelPricing;
  readonly thinking?: 'budget' | 'adaptive' | 'nova' | 'effort';
  readonly vision?: boolean;
  readonly embeddings?: boolean;
}

// Prices: @pydantic/genai-prices 0.1.8, provider "aws" (its source: aws.amazon.com/bedrock/pricing), read 2026-12-04;
// `regional.*` entries are the in-region and geographic-profile prices, `global.*` the global profiles'. Context
// windows are the same database's. Output limits only where Anthropic's model pages give them (see anthropic-models.ts).
const PRICES = '@pydantic/genai-prices 0.1.8, provider aws (aws.amazon.com/bedrock/pricing), read 2026-12-04';
const price = (input: number, output: number, cachedInput?: number, cacheWrite?: number): ModelPricing =>
  Object.freeze({ input, output, ...(cachedInput === undefined ? {} : { cachedInput }), ...(cacheWrite === undefined ? {} : { cacheWrite }) });

const CATALOG: readonly CatalogEntry[] = [
  { id: 'anthropic.claude-sonnet-4-5-20250929-v1:0', contextWindow: 200_000, maxOutputTokens: 64_000, regional: price(3.3, 16.5, 0.33, 4.125), global: price(3, 15, 0.3, 3.75), thinking: 'budget', vision: true },
  { id: 'anthropic.claude-haiku-4-5-20251001-v1:0', contextWindow: 200_000, maxOutputTokens: 64_000, regional: price(1.1, 5.5, 0.11, 1.375), global: price(1, 5, 0.1, 1.25), thinking: 'budget', vision: true },
  { id: 'anthropic.claude-opus-4-5-20251101-v1:0', contextWindow: 200_000, maxOutputTokens: 64_000, regional: price(5.5, 27.5, 0.55, 6.875), global: price(5, 25, 0.5, 6.25), thinking: 'budget', vision: true },
  { id: 'anthropic.claude-opus-4-1-20250805-v1:0', contextWindow: 200_000, maxOutputTokens: 32_000, regional: price(15, 75, 1.5, 18.75), thinking: 'budget', vision: true },
  { id: 'anthropic.claude-sonnet-4-20250514-v1:0', contextWindow: 200_000, maxOutputTokens: 64_000, regional: price(3, 15, 0.3, 3.75), global: price(3, 15, 0.3, 3.75), thinking: 'budget', vision: true },
  { id: 'anthropic.claude-3-7-sonnet-20250219-v1:0', contextWindow: 200_000, maxOutputTokens: 64_000, regional: price(3, 15, 0.3, 3.75), thinking: 'budget', vision: true },
  { id: 'anthropic.claude-3-5-haiku-20241022-v1:0', contextWindow: 200_000, maxOutputTokens: 8192, regional: price(0.8, 4, 0.08, 1) },
  { id: 'anthropic.claude-3-haiku-20240307-v1:0', contextWindow: 200_000, maxOutputTokens: 4096, regional: price(0.25, 1.25), vision: true },
  { id: 'amazon.nova-2-lite-v1:0', contextWindow: 1_000_000, regional: price(0.33, 2.75, 0.0825), global: price(0.3, 2.5, 0.075), thinking: 'nova', vision: true },
  { id: 'amazon.nova-premier-v1:0', contextWindow: 1_000_000, regional: price(2.5, 12.5, 0.625), vision: true },
  { id: 'amazon.nova-pro-v1:0', contextWindow: 300_000, regional: price(0.8, 3.2, 0.2), vision: true },
  { id: 'amazon.nova-lite-v1:0', contextWindow: 300_000, regional: price(0.06, 0.24, 0.015), vision: true },
  { id: 'amazon.nova-micro-v1:0', contextWindow: 128_000, regional: price(0.035, 0.14, 0.00875) },
  { id: 'meta.llama4-maverick-17b-instruct-v1:0', contextWindow: 1_000_000, regional: price(0.24, 0.97), vision: true },
  { id: 'meta.llama4-scout-17b-instruct-v1:0', contextWindow: 10_000_000, regional: price(0.17, 0.66), vision: true },
  { id: 'meta.llama3-3-70b-instruct-v1:0', contextWindow: 128_000, regional: price(0.72, 0.72) },
  { id: 'meta.llama3-1-8b-instruct-v1:0', contextWindow: 128_000, regional: price(0.22, 0.22) },
  { id: 'mistral.pixtral-large-2502-v1:0', contextWindow: 128_000, regional: price(2, 6), vision: true },
  { id: 'mistral.mistral-large-2402-v1:0', contextWindow: 32_000, regional: price(4, 12) },
  { id: 'deepseek.r1-v1:0', contextWindow: 128_000, regional: price(1.35, 5.4) },
  { id: 'openai.gpt-oss-120b-1:0', contextWindow: 128_000, regional: price(0.15, 0.6), thinking: 'effort' },
  { id: 'openai.gpt-oss-20b-1:0', contextWindow: 128_000, regional: price(0.07, 0.3), thinking: 'effort' },
  { id: 'qwen.qwen3-32b-v1:0', contextWindow: 32_000, regional: price(0.15, 0.6) },
  { id: 'writer.palmyra-x5-v1:0', contextWindow: 128_000, regional: price(0.6, 6) },
  { id: 'amazon.titan-embed-text-v1', contextWindow: 8192, regional: price(0.1, 0), embeddings: true },
  // Not in the price database read here: no price rather than a guessed one.
  { id: 'amazon.titan-embed-text-v2:0', contextWindow: 8192, regional: 'unknown', embeddings: true },
  { id: 'cohere.embed-english-v3', contextWindow: 512, regional: 'unknown', embeddings: true },
  { id: 'cohere.embed-multilingual-v3', contextWindow: 512, regional: 'unknown', embeddings: true },
  { id: 'cohere.embed-v4:0', contextWindow: 128_000, regional: 'unknown', embeddings: true },
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

/** Catalog info for `model` (base id, inference profile or ARN). Unknown ids still answer, unpriced. */
export function bedrockModelInfo(model: string, provider: string, rateLimits: RateLimits = DEFAULT_RATE_LIMITS): ModelInfo {
  const { base, global } = splitBedrockModelId(model);
  const entry = BY_ID.get(base);
  const pricing = entry === undefined ? 'unknown' : global ? (entry.global ?? entry.regional) : entry.regional;
  return {
    id: model,
    provider,
    contextWindow: entry?.contextWindow,
    maxOutputTokens: entry?.maxOutputTokens,
    pricing,
    ...(entry ? { pricingSource: pricing === 'unknown' ? `${PRICES}: not listed there` : `${PRICES} (${global && entry.global ? 'global' : 'regional'} profile)` } : {}),
    capabilities: capabilities(entry, base),
    rateLimits,
  };
}
