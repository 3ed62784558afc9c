import { priceFor } from './pricing-table.js';
import type { Capabilities, ModelInfo, ModelPricing, RateLimits } from './types.js';

/** One model in a provider's catalog. */
export interface CatalogModel {
  readonly contextWindow: number;
  readonly maxOutputTokens?: number;
  /** USD per 1M tokens. */
  readonly pricing: ModelPricing;
  /** Flags that differ from the catalog's defaults. */
  readonly capabilities?: Partial<Capabilities>;
}

/** A provider's fixed catalog: its models, their defaults, and where the prices were read. */
export interface ModelCatalog {
  readonly provider: string;
  readonly models: Readonly<Record<string, CatalogModel>>;
  /** Capabilities of every model, and of ids the catalog does not know. */
  readonly capabilities: Capabilities;
  /** Where and when the prices were read, e.g. `groq.com/pricing, checked 2026-12-04`. */
  readonly pricingSource: string;
  /** Limits of the provider's entry tier, where it documents them. */
  readonly rateLimits?: RateLimits;
}

/**
 * `modelInfo(model)` from a catalog. Prices come from the price table first (the config's price
 * file, our dated entries, the maintained database: `core/pricing-table.ts`), else from the
 * catalog's own entry with its `pricingSource`; an id neither knows (a new model, a fine-tune) is
 * priced `'unknown'`, never guessed. `rateLimits` given by the user win over the catalog's.
 */
export function catalogModelInfo(catalog: ModelCatalog, model: string, rateLimits?: RateLimits): ModelInfo {
  const entry = Object.hasOwn(catalog.models, model) ? catalog.models[model] : undefined;
  const limits = rateLimits ?? catalog.rateLimits;
  const table = priceFor(catalog.provider, model);
  return {
    id: model,
    provider: catalog.provider,
    contextWindow: entry?.contextWindow,
    maxOutputTokens: entry?.maxOutputTokens,
    pricing: table?.pricing ?? entry?.pricing ?? 'unknown',
    ...(table ? { pricingSource: table.pricingSource } : entry ? { pricingSource: catalog.pricingSource } : {}),
    capabilities: { ...catalog.capabilities, ...entry?.capabilities },
    ...(limits ? { rateLimits: limits } : {}),
  };
}

/** The model ids of a catalog, for `hyperagent models` and `GET /v1/models`. */
export function catalogModelIds(catalog: ModelCatalog): readonly string[] {
  return Object.freeze(Object.keys(catalog.models));
}

/** What a user tells us about a model on a server we know nothing about (a local vLLM, llama.cpp…). */
export interface ConfiguredModelOptions {
  /** USD per 1M tokens. A model you run yourself can be `{ "input": 0, "output": 0 }`. @default 'unknown' */
  readonly pricing?: ModelPricing;
  /** The model's context window in tokens. @default unknown */
  readonly contextWindow?: number;
  /** The model's output limit in tokens. @default unknown */
  readonly maxOutputTokens?: number;
  /** Capability flags the server cannot tell us. @default the provider's */
  readonly capabilities?: Partial<Capabilities>;
}

/** `modelInfo(model)` from what the backend's options say, over the provider's default capabilities. */
export function configuredModelInfo(
  provider: string,
  model: string,
  options: ConfiguredModelOptions & { readonly rateLimits?: RateLimits },
  capabilities: Capabilities,
): ModelInfo {
  return {
    id: model,
    provider,
    contextWindow: options.contextWindow,
    maxOutputTokens: options.maxOutputTokens,
    pricing: options.pricing ?? 'unknown',
    ...(options.pricing ? { pricingSource: 'configured in the backend options' } : {}),
    capabilities: { ...capabilities, ...options.capabilities },
    ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
  };
}

const price = { type: 'number', minimum: 0 } as const;
const flag = { type: 'boolean' } as const;

/** The JSON-schema properties of `ConfiguredModelOptions`, for a provider's options schema. */
export const CONFIGURED_MODEL_OPTIONS_PROPERTIES = Object.freeze({
  pricing: {
    type: 'object',
    additionalProperties: false,
    required: ['input', 'output'],
    description: 'USD per 1M tokens; { "input": 0, "output": 0 } for a local model.',
    properties: { input: price, output: price, cachedInput: price, cacheWrite: price },
  },
  contextWindow: { type: 'integer', minimum: 1 },
  maxOutputTokens: { type: 'integer', minimum: 1 },
  capabilities: {
    type: 'object',
    additionalProperties: false,
    properties: { functionCalling: flag, streaming: flag, vision: flag, jsonMode: flag, thinking: flag, embeddings: flag, promptCaching: flag },
  },
});

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/i;

/**
 * A model on a server the user runs (vLLM, llama.cpp, LM Studio): what the options say, and free
 * when the server is on this machine (a loopback `baseURL`) and no price was configured; elsewhere
 * (a GPU box on the network, rented) `'unknown'` until priced.
 */
export function localServerModelInfo(
  provider: string,
  model: string,
  settings: ConfiguredModelOptions & { readonly rateLimits?: RateLimits; readonly baseURL?: string },
  capabilities: Capabilities,
): ModelInfo {
  const info = configuredModelInfo(provider, model, settings, capabilities);
  if (settings.pricing !== undefined || settings.baseURL === undefined) return info;
  let host: string;
  try {
    host = new URL(settings.baseURL).hostname;
  } catch {
    return info;
  }
  return LOOPBACK.test(host) ? { ...info, pricing: { input: 0, output: 0 }, pricingSource: `a server on this machine (${host}): free` } : info;
}
