import { defineProvider } from '../../core/define.js';
import { settingsFromBackendConfig } from '../../core/provider-settings.js';
import { openAIChatVendorOptionsSchema, type OpenAIChatVendorOptions } from '../../protocols/openai-chat/index.js';
import { DeepInfraProvider } from './deepinfra-backend.js';

export default defineProvider<OpenAIChatVendorOptions>({
  name: 'deepinfra',
  optionsSchema: openAIChatVendorOptionsSchema,
  create: (config, context) => new DeepInfraProvider(settingsFromBackendConfig(config, context)),
});

export { DEEPINFRA, DEEPINFRA_API_KEY_ENV, DEEPINFRA_BASE_URL, DeepInfraProvider } from './deepinfra-backend.js';
export { DEFAULT_DEEPINFRA_MODEL, DEEPINFRA_CATALOG, type DeepInfraModelId } from './deepinfra-models.js';
