import { defineProvider } from '../../core/define.js';
import { settingsFromBackendConfig } from '../../core/provider-settings.js';
import { openAIChatVendorOptionsSchema, type OpenAIChatVendorOptions } from '../../protocols/openai-chat/index.js';
import { MistralProvider } from './mistral-backend.js';

export default defineProvider<OpenAIChatVendorOptions>({
  name: 'mistral',
  optionsSchema: openAIChatVendorOptionsSchema,
  create: (config, context) => new MistralProvider(settingsFromBackendConfig(config, context)),
});

export { MISTRAL, MISTRAL_API_KEY_ENV, MISTRAL_BASE_URL, MistralProvider } from './mistral-backend.js';
export { mapMistralError } from './mistral-errors.js';
export { DEFAULT_MISTRAL_EMBEDDING_MODEL, DEFAULT_MISTRAL_MODEL, MISTRAL_MODEL_IDS, MISTRAL_PROVIDER, mistralModelInfo, type MistralModelId } from './mistral-models.js';
export { readMistralRateLimitHeaders } from './mistral-rate-limits.js';
