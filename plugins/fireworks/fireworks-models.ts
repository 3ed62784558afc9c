import type { ModelCatalog } from '../../core/model-catalog.js';

/** Fireworks AI model ids with a catalog entry (any other id is accepted and priced 'unknown'). */
export type FireworksModelId =
  | 'accounts/fireworks/models/llama-v3p3-70b-instruct'
  | 'accounts/fireworks/models/llama-v3p1-8b-instruct'
  | 'accounts/fireworks/models/deepseek-v3'
  | 'accounts/fireworks/models/qwen2p5-72b-instruct'
  | 'accounts/fireworks/models/gpt-oss-120b'
  | 'nomic-ai/nomic-embed-text-v1.5'
  | (string & {});

export const DEFAULT_FIREWORKS_MODEL: FireworksModelId = 'accounts/fireworks/models/llama-v3p3-70b-instruct';

// USD per 1M tokens.
export const FIREWORKS_CATALOG: ModelCatalog = {
  provider: 'fireworks',
  pricingSource: 'fireworks.ai/pricing (serverless), as listed in 2025; re-check before billing',
  capabilities: { functionCalling: true, streaming: true, vision: false, jsonMode: true, thinking: false, embeddings: false, promptCaching: true },
  models: {
    'accounts/fireworks/models/llama-v3p3-70b-instruct': { contextWindow: 131_072, pricing: { input: 0.9, output: 0.9 } },
    'accounts/fireworks/models/llama-v3p1-8b-instruct': { contextWindow: 131_072, pricing: { input: 0.2, output: 0.2 } },
    'accounts/fireworks/models/deepseek-v3': { contextWindow: 131_072, pricing: { input: 0.9, output: 0.9 } },
    'accounts/fireworks/models/qwen2p5-72b-instruct': { contextWindow: 32_768, pricing: { input: 0.9, output: 0.9 } },
    'accounts/fireworks/models/gpt-oss-120b': { contextWindow: 131_072, pricing: { input: 0.15, output: 0.6 }, capabilities: { thinking: true } },
    'nomic-ai/nomic-embed-text-v1.5': { contextWindow: 8_192, pricing: { input: 0.008, output: 0 }, capabilities: { embeddings: true, functionCalling: false, streaming: false, jsonMode: false } },
  },
};
