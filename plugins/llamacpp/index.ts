import { defineProvider } from '../../core/define.js';
import { settingsFromBackendConfig } from '../../core/provider-settings.js';
import { LlamaCppProvider } from './llamacpp-backend.js';
import { llamacppOptionsSchema, type LlamaCppBackendOptions } from './llamacpp-options.js';

export default defineProvider<LlamaCppBackendOptions>({
  name: 'llamacpp',
  optionsSchema: llamacppOptionsSchema,
  create: (config, context) => new LlamaCppProvider(settingsFromBackendConfig(config, context)),
});

export { LLAMACPP, LLAMACPP_API_KEY_ENV, LLAMACPP_BASE_URL, LLAMACPP_CAPABILITIES, LlamaCppProvider } from './llamacpp-backend.js';
export { llamacppOptionsSchema, type LlamaCppBackendOptions, type LlamaCppSettings } from './llamacpp-options.js';
