import { defineProvider } from '../../core/define.js';
import { settingsFromBackendConfig } from '../../core/provider-settings.js';
import { openAIChatVendorOptionsSchema, type OpenAIChatVendorOptions } from '../../protocols/openai-chat/index.js';
import { PerplexityProvider } from './perplexity-backend.js';

export default defineProvider<OpenAIChatVendorOptions>({
  name: 'perplexity',
  optionsSchema: openAIChatVendorOptionsSchema,
  create: (config, context) => new PerplexityProvider(settingsFromBackendConfig(config, context)),
});

export { PERPLEXITY, PERPLEXITY_API_KEY_ENV, PERPLEXITY_BASE_URL, PerplexityProvider } from './perplexity-backend.js';
export { DEFAULT_PERPLEXITY_MODEL, PERPLEXITY_CATALOG, type PerplexityModelId } from './perplexity-models.js';
