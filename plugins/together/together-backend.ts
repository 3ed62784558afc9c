import { providerSettingsFrom } from '../../core/http-provider.js';
import { catalogModelInfo } from '../../core/model-catalog.js';
import { OpenAIChatProvider, type OpenAIChatProviderSettings, type OpenAIChatVendor } from '../../protocols/openai-chat/index.js';
import { DEFAULT_TOGETHER_MODEL, TOGETHER_CATALOG, type TogetherModelId } from './together-models.js';
export const TOGETHER_BASE_URL = 'https://api.together.xyz/v1';
export const TOGETHER_API_KEY_ENV = 'TOGETHER_API_KEY';

export const TOGETHER: OpenAIChatVendor = {
  provider: 'together',
  label: 'Together AI',
  className: 'TogetherProvider',
  baseURL: TOGETHER_BASE_URL,
  apiKeyEnv: TOGETHER_API_KEY_ENV,
  defaultModel: DEFAULT_TOGETHER_MODEL,
  defaultEmbeddingModel: 'BAAI/bge-base-en-v1.5',
  modelInfo: (model, settings) => catalogModelInfo(TOGETHER_CATALOG, model, settings.rateLimits),
};

/** Together AI's Chat Completions API; the key is read from TOGETHER_API_KEY when a call is made. */
export class TogetherProvider extends OpenAIChatProvider {
  constructor(apiKey?: string, model?: TogetherModelId);
  constructor(settings?: OpenAIChatProviderSettings);
  constructor(apiKeyOrSettings?: string | OpenAIChatProviderSettings, model?: TogetherModelId) {
    super(providerSettingsFrom(apiKeyOrSettings, model), TOGETHER);
  }
}
