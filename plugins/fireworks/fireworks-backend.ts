import { providerSettingsFrom } from '../../core/http-provider.js';
import { catalogModelInfo } from '../../core/model-catalog.js';
import { OpenAIChatProvider, type OpenAIChatProviderSettings, type OpenAIChatVendor } from '../../protocols/openai-chat/index.js';
import { DEFAULT_FIREWORKS_MODEL, FIREWORKS_CATALOG, type FireworksModelId } from './fireworks-models.js';
export const FIREWORKS_BASE_URL = 'https://api.fireworks.ai/inference/v1';
export const FIREWORKS_API_KEY_ENV = 'FIREWORKS_API_KEY';

export const FIREWORKS: OpenAIChatVendor = {
  provider: 'fireworks',
  label: 'Fireworks AI',
  className: 'FireworksProvider',
  baseURL: FIREWORKS_BASE_URL,
  apiKeyEnv: FIREWORKS_API_KEY_ENV,
  defaultModel: DEFAULT_FIREWORKS_MODEL,
  defaultEmbeddingModel: 'nomic-ai/nomic-embed-text-v1.5',
  modelInfo: (model, settings) => catalogModelInfo(FIREWORKS_CATALOG, model, settings.rateLimits),
};

/** Fireworks AI's Chat Completions API; the key is read from FIREWORKS_API_KEY when a call is made. */
export class FireworksProvider extends OpenAIChatProvider {
  constructor(apiKey?: string, model?: FireworksModelId);
  constructor(settings?: OpenAIChatProviderSettings);
  constructor(apiKeyOrSettings?: string | OpenAIChatProviderSettings, model?: FireworksModelId) {
    super(providerSettingsFrom(apiKeyOrSettings, model), FIREWORKS);
  }
}
