import { defineProvider } from '../../core/define.js';
import { settingsFromBackendConfig } from '../../core/provider-settings.js';
import { openAIChatVendorOptionsSchema, type OpenAIChatVendorOptions } from '../../protocols/openai-chat/index.js';
import { DeepSeekProvider } from './deepseek-backend.js';

export default defineProvider<OpenAIChatVendorOptions>({
  name: 'deepseek',
  optionsSchema: openAIChatVendorOptionsSchema,
  create: (config, context) => new DeepSeekProvider(settingsFromBackendConfig(config, context)),
});

export { DEEPSEEK, DEEPSEEK_API_KEY_ENV, DEEPSEEK_BASE_URL, DeepSeekProvider } from './deepseek-backend.js';
export { DEFAULT_DEEPSEEK_MODEL, DEEPSEEK_CATALOG, type DeepSeekModelId } from './deepseek-models.js';
