import { providerSettingsFrom } from '../../core/http-provider.js';
import { catalogModelInfo } from '../../core/model-catalog.js';
import { OpenAIChatProvider, type OpenAIChatProviderSettings, type OpenAIChatVendor } from '../../protocols/openai-chat/index.js';
import { DEFAULT_DEEPSEEK_MODEL, DEEPSEEK_CATALOG, type DeepSeekModelId } from './deepseek-models.js';
import { convertDeepSeekUsage } from './deepseek-usage.js';

export const DEEPSEEK_BASE_URL = 'https://api.deepseek.com/v1';
export const DEEPSEEK_API_KEY_ENV = 'DEEPSEEK_API_KEY';

export const DEEPSEEK: OpenAIChatVendor = {
  provider: 'deepseek',
  label: 'DeepSeek',
  className: 'DeepSeekProvider',
  baseURL: DEEPSEEK_BASE_URL,
  apiKeyEnv: DEEPSEEK_API_KEY_ENV,
  defaultModel: DEFAULT_DEEPSEEK_MODEL,
  noEmbeddings: 'DeepSeek has no embeddings API; configure an OpenAI or OpenAI-compatible backend for embeddings.',
  modelInfo: (model, settings) => catalogModelInfo(DEEPSEEK_CATALOG, model, settings.rateLimits),
  quirks: { convertUsage: convertDeepSeekUsage },
};

/** DeepSeek's Chat Completions API; the key is read from DEEPSEEK_API_KEY when a call is made. */
export class DeepSeekProvider extends OpenAIChatProvider {
  constructor(apiKey?: string, model?: DeepSeekModelId);
  constructor(settings?: OpenAIChatProviderSettings);
  constructor(apiKeyOrSettings?: string | OpenAIChatProviderSettings, model?: DeepSeekModelId) {
    super(providerSettingsFrom(apiKeyOrSettings, model), DEEPSEEK);
  }
}
