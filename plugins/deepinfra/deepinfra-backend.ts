import { providerSettingsFrom } from '../../core/http-provider.js';
import { catalogModelInfo } from '../../core/model-catalog.js';
import { OpenAIChatProvider, type OpenAIChatProviderSettings, type OpenAIChatVendor } from '../../protocols/openai-chat/index.js';
import { DEFAULT_DEEPINFRA_MODEL, DEEPINFRA_CATALOG, type DeepInfraModelId } from './deepinfra-models.js';
export const DEEPINFRA_BASE_URL = 'https://api.deepinfra.com/v1/openai';
export const DEEPINFRA_API_KEY_ENV = 'DEEPINFRA_API_KEY';

export const DEEPINFRA: OpenAIChatVendor = {
  provider: 'deepinfra',
  label: 'DeepInfra',
  className: 'DeepInfraProvider',
  baseURL: DEEPINFRA_BASE_URL,
  apiKeyEnv: DEEPINFRA_API_KEY_ENV,
  defaultModel: DEFAULT_DEEPINFRA_MODEL,
  defaultEmbeddingModel: 'BAAI/bge-m3',
  modelInfo: (model, settings) => catalogModelInfo(DEEPINFRA_CATALOG, model, settings.rateLimits),
};

/** DeepInfra's Chat Completions API; the key is read from DEEPINFRA_API_KEY when a call is made. */
export class DeepInfraProvider extends OpenAIChatProvider {
  constructor(apiKey?: string, model?: DeepInfraModelId);
  constructor(settings?: OpenAIChatProviderSettings);
  constructor(apiKeyOrSettings?: string | OpenAIChatProviderSettings, model?: DeepInfraModelId) {
    super(providerSettingsFrom(apiKeyOrSettings, model), DEEPINFRA);
  }
}
