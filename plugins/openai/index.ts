import { defineProvider, type BackendConfig, type ProviderContext } from '../../core/define.js';
import { settingsFromBackendConfig } from '../../core/provider-settings.js';
import { OpenAIProvider } from './openai-backend.js';
import { openAIOptionsSchema, type OpenAIBackendOptions } from './openai-options.js';

/** An OpenAI backend from a config entry. Synchronous: the key is read when the backend is first called. */
export function createOpenAIBackend(config: BackendConfig<OpenAIBackendOptions>, context?: ProviderContext): OpenAIProvider {
  return new OpenAIProvider(settingsFromBackendConfig(config, context));
}

export default defineProvider<OpenAIBackendOptions>({
  name: 'openai',
  optionsSchema: openAIOptionsSchema,
  create: createOpenAIBackend,
});

export { OPENAI_API_KEY_ENV, OPENAI_BASE_URL, OpenAIProvider } from './openai-backend.js';
export {
  DEFAULT_OPENAI_EMBEDDING_MODEL,
  DEFAULT_OPENAI_MODEL,
  DEFAULT_RATE_LIMITS,
  isOpenAIReasoningModel,
  OPENAI_MODEL_IDS,
  openAIModelInfo,
  PRICING_SOURCES as OPENAI_PRICING_SOURCES,
  resolveOpenAIModelId,
  type OpenAIModelId,
} from './openai-models.js';
export { openAIOptionsSchema, type OpenAIApi, type OpenAIBackendOptions, type OpenAIProviderOptions } from './openai-options.js';
