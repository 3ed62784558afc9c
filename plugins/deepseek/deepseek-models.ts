import type { ModelCatalog } from '../../core/model-catalog.js';

/** DeepSeek model ids with a catalog entry (any other id is accepted and priced 'unknown'). */
export type DeepSeekModelId =
  | 'deepseek-chat'
  | 'deepseek-reasoner'
  | (string & {});

export const DEFAULT_DEEPSEEK_MODEL: DeepSeekModelId = 'deepseek-chat';

// USD per 1M tokens.
export const DEEPSEEK_CATALOG: ModelCatalog = {
  provider: 'deepseek',
  pricingSource: 'api-docs.deepseek.com/quick_start/pricing (V3.2), as listed in late 2025; re-check before billing',
  capabilities: { functionCalling: true, streaming: true, vision: false, jsonMode: true, thinking: false, embeddings: false, promptCaching: true },
  models: {
    'deepseek-chat': { contextWindow: 131_072, maxOutputTokens: 8_192, pricing: { input: 0.28, cachedInput: 0.028, output: 0.42 } },
    'deepseek-reasoner': { contextWindow: 131_072, maxOutputTokens: 65_536, pricing: { input: 0.28, cachedInput: 0.028, output: 0.42 }, capabilities: { thinking: true } },
  },
};
