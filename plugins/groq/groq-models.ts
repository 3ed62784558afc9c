import type { ModelCatalog } from '../../core/model-catalog.js';

/** Groq's production models (a union of known ids plus any string). */
export type GroqModelId =
  | 'llama-3.3-70b-versatile'
  | 'llama-3.1-8b-instant'
  | 'openai/gpt-oss-120b'
  | 'openai/gpt-oss-20b'
  | 'meta-llama/llama-4-scout-17b-16e-instruct'
  | 'meta-llama/llama-4-maverick-17b-128e-instruct'
  | 'qwen/qwen3-32b'
  | 'moonshotai/kimi-k2-instruct-0905'
  | (string & {});

export const DEFAULT_GROQ_MODEL: GroqModelId = 'llama-3.3-70b-versatile';

const reasoning = { thinking: true } as const;

// USD per 1M tokens, on-demand tier, as groq.com/pricing listed them; not re-checked this session.
export const GROQ_CATALOG: ModelCatalog = {
  provider: 'groq',
  pricingSource: 'groq.com/pricing (on-demand), as listed in 2025; re-check before billing',
  capabilities: { functionCalling: true, streaming: true, vision: false, jsonMode: true, thinking: false, embeddings: false, promptCaching: false },
  models: {
    'llama-3.3-70b-versatile': { contextWindow: 131_072, maxOutputTokens: 32_768, pricing: { input: 0.59, output: 0.79 } },
    'llama-3.1-8b-instant': { contextWindow: 131_072, maxOutputTokens: 131_072, pricing: { input: 0.05, output: 0.08 } },
    'openai/gpt-oss-120b': { contextWindow: 131_072, maxOutputTokens: 65_536, pricing: { input: 0.15, output: 0.75 }, capabilities: reasoning },
    'openai/gpt-oss-20b': { contextWindow: 131_072, maxOutputTokens: 65_536, pricing: { input: 0.1, output: 0.5 }, capabilities: reasoning },
    'meta-llama/llama-4-scout-17b-16e-instruct': { contextWindow: 131_072, maxOutputTokens: 8_192, pricing: { input: 0.11, output: 0.34 }, capabilities: { vision: true } },
    'meta-llama/llama-4-maverick-17b-128e-instruct': { contextWindow: 131_072, maxOutputTokens: 8_192, pricing: { input: 0.2, output: 0.6 }, capabilities: { vision: true } },
    'qwen/qwen3-32b': { contextWindow: 131_072, maxOutputTokens: 40_960, pricing: { input: 0.29, output: 0.59 }, capabilities: reasoning },
    'moonshotai/kimi-k2-instruct-0905': { contextWindow: 262_144, maxOutputTokens: 16_384, pricing: { input: 1, output: 3 } },
  },
};
