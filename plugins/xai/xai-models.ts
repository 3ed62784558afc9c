import type { ModelCatalog } from '../../core/model-catalog.js';

/** xAI model ids with a catalog entry (any other id is accepted and priced 'unknown'). */
export type XAIModelId =
  | 'grok-4'
  | 'grok-4-fast-reasoning'
  | 'grok-4-fast-non-reasoning'
  | 'grok-code-fast-1'
  | 'grok-3'
  | 'grok-3-mini'
  | (string & {});

export const DEFAULT_XAI_MODEL: XAIModelId = 'grok-4-fast-non-reasoning';

// USD per 1M tokens.
export const XAI_CATALOG: ModelCatalog = {
  provider: 'xai',
  pricingSource: 'docs.x.ai/docs/models, as listed in late 2025; re-check before billing',
  capabilities: { functionCalling: true, streaming: true, vision: false, jsonMode: true, thinking: false, embeddings: false, promptCaching: true },
  models: {
    'grok-4': { contextWindow: 256_000, pricing: { input: 3, cachedInput: 0.75, output: 15 }, capabilities: { thinking: true, vision: true } },
    'grok-4-fast-reasoning': { contextWindow: 2_000_000, pricing: { input: 0.2, cachedInput: 0.05, output: 0.5 }, capabilities: { thinking: true, vision: true } },
    'grok-4-fast-non-reasoning': { contextWindow: 2_000_000, pricing: { input: 0.2, cachedInput: 0.05, output: 0.5 }, capabilities: { vision: true } },
    'grok-code-fast-1': { contextWindow: 256_000, pricing: { input: 0.2, cachedInput: 0.02, output: 1.5 }, capabilities: { thinking: true } },
    'grok-3': { contextWindow: 131_072, pricing: { input: 3, cachedInput: 0.75, output: 15 } },
    'grok-3-mini': { contextWindow: 131_072, pricing: { input: 0.3, cachedInput: 0.075, output: 0.5 }, capabilities: { thinking: true } },
  },
};
