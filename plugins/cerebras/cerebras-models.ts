import type { ModelCatalog } from '../../core/model-catalog.js';

/** Cerebras model ids with a catalog entry (any other id is accepted and priced 'unknown'). */
export type CerebrasModelId =
  | 'llama-3.3-70b'
  | 'llama3.1-8b'
  | 'gpt-oss-120b'
  | 'qwen-3-32b'
  | (string & {});

export const DEFAULT_CEREBRAS_MODEL: CerebrasModelId = 'llama-3.3-70b';

// USD per 1M tokens.
export const CEREBRAS_CATALOG: ModelCatalog = {
  provider: 'cerebras',
  pricingSource: 'cerebras.ai/pricing (pay as you go), as listed in 2025; re-check before billing',
  capabilities: { functionCalling: true, streaming: true, vision: false, jsonMode: true, thinking: false, embeddings: false, promptCaching: false },
  models: {
    'llama-3.3-70b': { contextWindow: 65_536, maxOutputTokens: 8_192, pricing: { input: 0.85, output: 1.2 } },
    'llama3.1-8b': { contextWindow: 32_768, maxOutputTokens: 8_192, pricing: { input: 0.1, output: 0.1 } },
    'gpt-oss-120b': { contextWindow: 131_072, maxOutputTokens: 40_960, pricing: { input: 0.35, output: 0.75 }, capabilities: { thinking: true } },
    'qwen-3-32b': { contextWindow: 65_536, maxOutputTokens: 8_192, pricing: { input: 0.4, output: 0.8 }, capabilities: { thinking: true } },
  },
};
