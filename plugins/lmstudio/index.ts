import { defineProvider } from '../../core/define.js';
import { settingsFromBackendConfig } from '../../core/provider-settings.js';
import { LMStudioProvider } from './lmstudio-backend.js';
import { lmstudioOptionsSchema, type LMStudioBackendOptions } from './lmstudio-options.js';

export default defineProvider<LMStudioBackendOptions>({
  name: 'lmstudio',
  optionsSchema: lmstudioOptionsSchema,
  create: (config, context) => new LMStudioProvider(settingsFromBackendConfig(config, context)),
});

export { LMSTUDIO, LMSTUDIO_API_KEY_ENV, LMSTUDIO_BASE_URL, LMSTUDIO_CAPABILITIES, LMStudioProvider } from './lmstudio-backend.js';
export { lmstudioOptionsSchema, type LMStudioBackendOptions, type LMStudioSettings } from './lmstudio-options.js';
