import { defineProvider } from '../../core/define.js';
import { settingsFromBackendConfig } from '../../core/provider-settings.js';
import { openAIChatVendorOptionsSchema, type OpenAIChatVendorOptions } from '../../protocols/openai-chat/index.js';
import { TogetherProvider } from './together-backend.js';

export default defineProvider<OpenAIChatVendorOptions>({
  name: 'together',
  optionsSchema: openAIChatVendorOptionsSchema,
  create: (config, context) => new TogetherProvider(settingsFromBackendConfig(config, context)),
});

export { TOGETHER, TOGETHER_API_KEY_ENV, TOGETHER_BASE_URL, TogetherProvider } from './together-backend.js';
export { DEFAULT_TOGETHER_MODEL, TOGETHER_CATALOG, type TogetherModelId } from './together-models.js';
