import type { ModelCatalog } from '../../core/model-catalog.js';

/** Together AI model ids with a catalog entry (any other id is accepted and priced 'unknown'). */
export type TogetherModelId =
  | 'meta-llama/Llama-3.3-70B-Instruct-Turbo'
  | 'meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo'
  | 'deepseek-ai/DeepSeek-V3'
  | 'deepseek-ai/DeepSeek-R1'
  | 'Qwen/Qwen2.5-72B-Instruct-Turbo'
  | 'openai/gpt-oss-120b'
  | 'BAAI/bge-base-en-v1.5'
  | (string & {});

export const DEFAULT_TOGETHER_MODEL: TogetherModelId = 'meta-llama/Llama-3.3-70B-Instruct-Turbo';

// USD per 1M tokens.
export const TOGETHER_CATALOG: ModelCatalog = {
  provider: 'together',
  pricingSource: 'together.ai/pricing (serverless), as listed in 2025; re-check before billing',
  capabilities: { functionCalling: true, streaming: true, vision: false, jsonMode: true, thinking: false, embeddings: false, promptCaching: false },
  models: {
    'meta-llama/Llama-3.3-70B-Instruct-Turbo': { contextWindow: 131_072, pricing: { input: 0.88, output: 0.88 } },
    'meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo': { contextWindow: 131_072, pricing: { input: 0.18, output: 0.18 } },
    'deepseek-ai/DeepSeek-V3': { contextWindow: 131_072, pricing: { input: 1.25, output: 1.25 } },
    'deepseek-ai/DeepSeek-R1': { contextWindow: 163_840, pricing: { input: 3, output: 7 }, capabilities: { thinking: true } },
    'Qwen/Qwen2.5-72B-Instruct-Turbo': { contextWindow: 32_768, pricing: { input: 1.2, output: 1.2 } },
    'openai/gpt-oss-120b': { contextWindow: 131_072, pricing: { input: 0.15, output: 0.6 }, capabilities: { thinking: true } },
    'BAAI/bge-base-en-v1.5': { contextWindow: 512, pricing: { input: 0.008, output: 0 }, capabilities: { embeddings: true, functionCalling: false, streaming: false, jsonMode: false } },
  },
};
