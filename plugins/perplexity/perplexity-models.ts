import type { ModelCatalog } from '../../core/model-catalog.js';

/** Perplexity model ids with a catalog entry (any other id is accepted and priced 'unknown'). */
export type PerplexityModelId =
  | 'sonar'
  | 'sonar-pro'
  | 'sonar-reasoning'
  | 'sonar-reasoning-pro'
  | 'sonar-deep-research'
  | (string & {});

export const DEFAULT_PERPLEXITY_MODEL: PerplexityModelId = 'sonar';

// USD per 1M tokens.
export const PERPLEXITY_CATALOG: ModelCatalog = {
  provider: 'perplexity',
  pricingSource: 'docs.perplexity.ai/getting-started/pricing (token prices only; the per-request search fee is not counted), as listed in 2025; re-check before billing',
  capabilities: { functionCalling: false, streaming: true, vision: false, jsonMode: true, thinking: false, embeddings: false, promptCaching: false },
  models: {
    'sonar': { contextWindow: 127_072, pricing: { input: 1, output: 1 } },
    'sonar-pro': { contextWindow: 200_000, maxOutputTokens: 8_000, pricing: { input: 3, output: 15 } },
    'sonar-reasoning': { contextWindow: 127_072, pricing: { input: 1, output: 5 }, capabilities: { thinking: true } },
    'sonar-reasoning-pro': { contextWindow: 127_072, pricing: { input: 2, output: 8 }, capabilities: { thinking: true } },
    'sonar-deep-research': { contextWindow: 127_072, pricing: { input: 2, output: 8 }, capabilities: { thinking: true } },
  },
};
