import { defineProvider } from '../../core/define.js';
import { settingsFromBackendConfig } from '../../core/provider-settings.js';
import { openAIChatVendorOptionsSchema, type OpenAIChatVendorOptions } from '../../protocols/openai-chat/index.js';
import { CerebrasProvider } from './cerebras-backend.js';

export default defineProvider<OpenAIChatVendorOptions>({
  name: 'cerebras',
  optionsSchema: openAIChatVendorOptionsSchema,
  create: (config, context) => new CerebrasProvider(settingsFromBackendConfig(config, context)),
});

export { CEREBRAS, CEREBRAS_API_KEY_ENV, CEREBRAS_BASE_URL, CerebrasProvider } from './cerebras-backend.js';
export { DEFAULT_CEREBRAS_MODEL, CEREBRAS_CATALOG, type CerebrasModelId } from './cerebras-models.js';
