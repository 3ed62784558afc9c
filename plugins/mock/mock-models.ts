import type { Capabilities, ModelInfo, ModelPricing, RateLimits } from '../../core/types.js';

export const MOCK_MODEL_ID = 'mock-model';

/** Any id works: the mock answers for every model with the same made-up catalog entry. */
export type MockModelId = typeof MOCK_MODEL_ID | (string & {});

/** Made-up prices, round so cost math is easy to check by hand. Not any real provider's prices. */
export const MOCK_PRICING: ModelPricing = Object.freeze({ input: 1, output: 2, cachedInput: 0.5, cacheWrite: 1.25 });

export const MOCK_PRICING_SOURCE = 'made-up prices of the mock provider (USD per 1M tokens: input 1, output 2, cached input 0.5, cache write 1.25)';

export const MOCK_CAPABILITIES: Capabilities = Object.freeze({
  functionCalling: true,
  streaming: true,
  vision: true,
  jsonMode: true,
  thinking: true,
  embeddings: true,
  promptCaching: true,
});

export interface MockModelSettings {
  /** Override some capability flags. @default all true */
  readonly capabilities?: Partial<Capabilities>;
  readonly rateLimits?: RateLimits;
}

export function mockModelInfo(model: MockModelId = MOCK_MODEL_ID, settings: MockModelSettings = {}): ModelInfo {
  return {
    id: model,
    provider: 'mock',
    contextWindow: 128_000,
    maxOutputTokens: 8_192,
    pricing: MOCK_PRICING,
    pricingSource: MOCK_PRICING_SOURCE,
    capabilities: { ...MOCK_CAPABILITIES, ...settings.capabilities },
    ...(settings.rateLimits ? { rateLimits: settings.rateLimits } : {}),
  };
}
