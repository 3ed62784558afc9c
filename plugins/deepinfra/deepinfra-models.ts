import type { ModelCatalog } from '../../core/model-catalog.js';

/** DeepInfra model ids with a catalog entry (any other id is accepted and priced 'unknown'). */
export type DeepInfraModelId =
  | 'meta-llama/Llama-3.3-70B-Instruct-Turbo'
  | 'meta-llama/Meta-Llama-3.1-8B-Instruct'
  | 'deepseek-ai/DeepSeek-V3'
  | 'Qwen/Qwen2.5-72B-Instruct'
  | 'BAAI/bge-m3'
  | (string & {});

export const DEFAULT_DEEPINFRA_MODEL: DeepInfraModelId = 'meta-llama/Llama-3.3-70B-Instruct-Turbo';

// USD per 1M tokens.
export const DEEPINFRA_CATALOG: ModelCatalog = {
  provider: 'deepinfra',
  pricingSource: 'deepinfra.com/pricing, as listed in 2025; re-check before billing',
  capabilities: { functionCalling: true, streaming: true, vision: false, jsonMode: true, thinking: false, embeddings: false, promptCaching: false },
  models: {
    'meta-llama/Llama-3.3-70B-Instruct-Turbo': { contextWindow: 131_072, pricing: { input: 0.13, output: 0.39 } },
    'meta-llama/Meta-Llama-3.1-8B-Instruct': { contextWindow: 131_072, pricing: { input: 0.03, output: 0.05 } },
    'deepseek-ai/DeepSeek-V3': { contextWindow: 163_840, pricing: { input: 0.38, output: 0.89 } },
    'Qwen/Qwen2.5-72B-Instruct': { contextWindow: 32_768, pricing: { input: 0.23, output: 0.4 } },
    'BAAI/bge-m3': { contextWindow: 8_192, pricing: { input: 0.01, output: 0 }, capabilities: { embeddings: true, functionCalling: false, streaming: false, jsonMode: false } },
  },
};
