import { providerSettingsFrom } from '../../core/http-provider.js';
import { catalogModelInfo } from '../../core/model-catalog.js';
import { OpenAIChatProvider, type OpenAIChatProviderSettings, type OpenAIChatVendor } from '../../protocols/openai-chat/index.js';
import { DEFAULT_CEREBRAS_MODEL, CEREBRAS_CATALOG, type CerebrasModelId } from './cerebras-models.js';
export const CEREBRAS_BASE_URL = 'https://api.cerebras.ai/v1';
export const CEREBRAS_API_KEY_ENV = 'CEREBRAS_API_KEY';

export const CEREBRAS: OpenAIChatVendor = {
  provider: 'cerebras',
  label: 'Cerebras',
  className: 'CerebrasProvider',
  baseURL: CEREBRAS_BASE_URL,
  apiKeyEnv: CEREBRAS_API_KEY_ENV,
  defaultModel: DEFAULT_CEREBRAS_MODEL,
  noEmbeddings: 'Cerebras has no embeddings API; configure an OpenAI or OpenAI-compatible backend for embeddings.',
  modelInfo: (model, settings) => catalogModelInfo(CEREBRAS_CATALOG, model, settings.rateLimits),
};

/** Cerebras's Chat Completions API; the key is read from CEREBRAS_API_KEY when a call is made. */
export class CerebrasProvider extends OpenAIChatProvider {
  constructor(apiKey?: string, model?: CerebrasModelId);
  constructor(settings?: OpenAIChatProviderSettings);
  constructor(apiKeyOrSettings?: string | OpenAIChatProviderSettings, model?: CerebrasModelId) {
    super(providerSettingsFrom(apiKeyOrSettings, model), CEREBRAS);
  }
}
