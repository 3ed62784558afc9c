import { providerSettingsFrom } from '../../core/http-provider.js';
import { catalogModelInfo } from '../../core/model-catalog.js';
import { OpenAIChatProvider, type OpenAIChatProviderSettings, type OpenAIChatVendor } from '../../protocols/openai-chat/index.js';
import { DEFAULT_PERPLEXITY_MODEL, PERPLEXITY_CATALOG, type PerplexityModelId } from './perplexity-models.js';
import { copyPerplexityMetadata } from './perplexity-metadata.js';

export const PERPLEXITY_BASE_URL = 'https://api.perplexity.ai';
export const PERPLEXITY_API_KEY_ENV = 'PERPLEXITY_API_KEY';

export const PERPLEXITY: OpenAIChatVendor = {
  provider: 'perplexity',
  label: 'Perplexity',
  className: 'PerplexityProvider',
  baseURL: PERPLEXITY_BASE_URL,
  apiKeyEnv: PERPLEXITY_API_KEY_ENV,
  defaultModel: DEFAULT_PERPLEXITY_MODEL,
  noEmbeddings: 'Perplexity has no embeddings API; configure an OpenAI or OpenAI-compatible backend for embeddings.',
  modelInfo: (model, settings) => catalogModelInfo(PERPLEXITY_CATALOG, model, settings.rateLimits),
  quirks: { onResponse: copyPerplexityMetadata, onChunk: copyPerplexityMetadata },
};

/** Perplexity's Chat Completions API; the key is read from PERPLEXITY_API_KEY when a call is made. */
export class PerplexityProvider extends OpenAIChatProvider {
  constructor(apiKey?: string, model?: PerplexityModelId);
  constructor(settings?: OpenAIChatProviderSettings);
  constructor(apiKeyOrSettings?: string | OpenAIChatProviderSettings, model?: PerplexityModelId) {
    super(providerSettingsFrom(apiKeyOrSettings, model), PERPLEXITY);
  }
}
