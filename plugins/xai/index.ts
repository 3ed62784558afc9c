import { defineProvider } from '../../core/define.js';
import { settingsFromBackendConfig } from '../../core/provider-settings.js';
import { openAIChatVendorOptionsSchema, type OpenAIChatVendorOptions } from '../../protocols/openai-chat/index.js';
import { XAIProvider } from './xai-backend.js';

export default defineProvider<OpenAIChatVendorOptions>({
  name: 'xai',
  optionsSchema: openAIChatVendorOptionsSchema,
  create: (config, context) => new XAIProvider(settingsFromBackendConfig(config, context)),
});

export { XAI, XAI_API_KEY_ENV, XAI_BASE_URL, XAIProvider } from './xai-backend.js';
export { DEFAULT_XAI_MODEL, XAI_CATALOG, type XAIModelId } from './xai-models.js';
