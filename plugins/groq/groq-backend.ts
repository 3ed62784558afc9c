import { providerSettingsFrom } from '../../core/http-provider.js';
import { catalogModelInfo } from '../../core/model-catalog.js';
import { OpenAIChatProvider, type OpenAIChatProviderSettings, type OpenAIChatVendor } from '../../protocols/openai-chat/index.js';
import { DEFAULT_GROQ_MODEL, GROQ_CATALOG, type GroqModelId } from './groq-models.js';

export const GROQ_BASE_URL = 'https://api.groq.com/openai/v1';
export const GROQ_API_KEY_ENV = 'GROQ_API_KEY';

export const GROQ: OpenAIChatVendor = {
  provider: 'groq',
  label: 'Groq',
  baseURL: GROQ_BASE_URL,
  apiKeyEnv: GROQ_API_KEY_ENV,
  defaultModel: DEFAULT_GROQ_MODEL,
  noEmbeddings: 'Groq has no embeddings API; configure an OpenAI or OpenAI-compatible backend for embeddings.',
  modelInfo: (model, settings) => catalogModelInfo(GROQ_CATALOG, model, settings.rateLimits),
};

/** Groq's Chat Completions API: `new GroqProvider()` reads GROQ_API_KEY when called. */
export class GroqProvider extends OpenAIChatProvider {
  constructor(apiKey?: string, model?: GroqModelId);
  constructor(settings?: OpenAIChatProviderSettings);
  constructor(apiKeyOrSettings?: string | OpenAIChatProviderSettings, model?: GroqModelId) {
    super(providerSettingsFrom(apiKeyOrSettings, model), GROQ);
  }
}
