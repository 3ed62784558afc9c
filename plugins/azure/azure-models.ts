import { catalogModelInfo, configuredModelInfo, type ModelCatalog } from '../../core/model-catalog.js';
import type { ModelInfo } from '../../core/types.js';
import type { AzureSettings } from './azure-options.js';

const CAPABILITIES = { functionCalling: true, streaming: true, vision: true, jsonMode: true, thinking: false, embeddings: false, promptCaching: true } as const;
const reasoning = { thinking: true } as const;
const embedding = { functionCalling: false, streaming: false, vision: false, jsonMode: false, embeddings: true, promptCaching: false } as const;

// USD per 1M tokens, Global Standard deployments, as azure.microsoft.com/pricing/details/cognitive-services/openai-service
// listed them (the same as OpenAI's list prices); Data Zone and Regional deployments cost more.
export const AZURE_CATALOG: ModelCatalog = {
  provider: 'azure',
  pricingSource: 'Azure OpenAI Global Standard prices, as listed in 2025 (Data Zone/Regional cost more); re-check before billing',
  capabilities: CAPABILITIES,
  models: {
    'gpt-5': { contextWindow: 400_000, maxOutputTokens: 128_000, pricing: { input: 1.25, cachedInput: 0.125, output: 10 }, capabilities: reasoning },
    'gpt-5-mini': { contextWindow: 400_000, maxOutputTokens: 128_000, pricing: { input: 0.25, cachedInput: 0.025, output: 2 }, capabilities: reasoning },
    'gpt-5-nano': { contextWindow: 400_000, maxOutputTokens: 128_000, pricing: { input: 0.05, cachedInput: 0.005, output: 0.4 }, capabilities: reasoning },
    'gpt-4.1': { contextWindow: 1_047_576, maxOutputTokens: 32_768, pricing: { input: 2, cachedInput: 0.5, output: 8 } },
    'gpt-4.1-mini': { contextWindow: 1_047_576, maxOutputTokens: 32_768, pricing: { input: 0.4, cachedInput: 0.1, output: 1.6 } },
    'gpt-4o': { contextWindow: 128_000, maxOutputTokens: 16_384, pricing: { input: 2.5, cachedInput: 1.25, output: 10 } },
    'gpt-4o-mini': { contextWindow: 128_000, maxOutputTokens: 16_384, pricing: { input: 0.15, cachedInput: 0.075, output: 0.6 } },
    'o4-mini': { contextWindow: 200_000, maxOutputTokens: 100_000, pricing: { input: 1.1, cachedInput: 0.275, output: 4.4 }, capabilities: reasoning },
    'o3-mini': { contextWindow: 200_000, maxOutputTokens: 100_000, pricing: { input: 1.1, cachedInput: 0.55, output: 4.4 }, capabilities: { ...reasoning, vision: false } },
    'text-embedding-3-small': { contextWindow: 8_191, pricing: { input: 0.02, output: 0 }, capabilities: embedding },
    'text-embedding-3-large': { contextWindow: 8_191, pricing: { input: 0.13, output: 0 }, capabilities: embedding },
  },
};

/** A deployment's facts: the catalog entry of the model behind it (`modelName`, else the deployment name), else what the options say. */
export function azureModelInfo(deployment: string, settings: Omit<AzureSettings, 'apiKey' | 'env'>): ModelInfo {
  const name = deployment === settings.model ? (settings.modelName ?? deployment) : deployment;
  if (settings.pricing === undefined && Object.hasOwn(AZURE_CATALOG.models, name)) return { ...catalogModelInfo(AZURE_CATALOG, name, settings.rateLimits), id: deployment };
  return configuredModelInfo('azure', deployment, settings, CAPABILITIES);
}

/** o-series and gpt-5 reasoning models take `max_completion_tokens` and reject sampling settings. */
export function isAzureReasoningModel(name: string): boolean {
  return /^(o\d+)(-|$)|^gpt-5/.test(name) && !/-chat/.test(name);
}
