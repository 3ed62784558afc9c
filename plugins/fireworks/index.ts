import { defineProvider } from '../../core/define.js';
import { settingsFromBackendConfig } from '../../core/provider-settings.js';
import { openAIChatVendorOptionsSchema, type OpenAIChatVendorOptions } from '../../protocols/openai-chat/index.js';
import { FireworksProvider } from './fireworks-backend.js';

export default defineProvider<OpenAIChatVendorOptions>({
  name: 'fireworks',
  optionsSchema: openAIChatVendorOptionsSchema,
  create: (config, context) => new FireworksProvider(settingsFromBackendConfig(config, context)),
});

export { FIREWORKS, FIREWORKS_API_KEY_ENV, FIREWORKS_BASE_URL, FireworksProvider } from './fireworks-backend.js';
export { DEFAULT_FIREWORKS_MODEL, FIREWORKS_CATALOG, type FireworksModelId } from './fireworks-models.js';
