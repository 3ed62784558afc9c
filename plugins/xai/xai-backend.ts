import { providerSettingsFrom } from '../../core/http-provider.js';
import { catalogModelInfo } from '../../core/model-catalog.js';
import { OpenAIChatProvider, type OpenAIChatProviderSettings, type OpenAIChatVendor } from '../../protocols/openai-chat/index.js';
import { DEFAULT_XAI_MODEL, XAI_CATALOG, type XAIModelId } from './xai-models.js';
import { convertXAIUsage } from './xai-usage.js';

export const XAI_BASE_URL = 'https://api.x.ai/v1';
export const XAI_API_KEY_ENV = 'XAI_API_KEY';

export const XAI: OpenAIChatVendor = {
  provider: 'xai',
  label: 'xAI',
  className: 'XAIProvider',
  baseURL: XAI_BASE_URL,
  apiKeyEnv: XAI_API_KEY_ENV,
  defaultModel: DEFAULT_XAI_MODEL,
  noEmbeddings: 'xAI has no embeddings API; configure an OpenAI or OpenAI-compatible backend for embeddings.',
  modelInfo: (model, settings) => catalogModelInfo(XAI_CATALOG, model, settings.rateLimits),
  quirks: { convertUsage: convertXAIUsage },
};

/** xAI's Chat Completions API; the key is read from XAI_API_KEY when a call is made. */
export class XAIProvider extends OpenAIChatProvider {
  constructor(apiKey?: string, model?: XAIModelId);
  constructor(settings?: OpenAIChatProviderSettings);
  constructor(apiKeyOrSettings?: string | OpenAIChatProviderSettings, model?: XAIModelId) {
    super(providerSettingsFrom(apiKeyOrSettings, model), XAI);
  }
}
