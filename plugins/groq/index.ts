import { defineProvider } from '../../core/define.js';
import { settingsFromBackendConfig } from '../../core/provider-settings.js';
import { openAIChatVendorOptionsSchema, type OpenAIChatVendorOptions } from '../../protocols/openai-chat/index.js';
import { GroqProvider } from './groq-backend.js';

export default defineProvider<OpenAIChatVendorOptions>({
  name: 'groq',
  optionsSchema: openAIChatVendorOptionsSchema,
  create: (config, context) => new GroqProvider(settingsFromBackendConfig(config, context)),
});

export { GROQ, GROQ_API_KEY_ENV, GROQ_BASE_URL, GroqProvider } from './groq-backend.js';
export { DEFAULT_GROQ_MODEL, GROQ_CATALOG, type GroqModelId } from './groq-models.js';
