import { defineProvider } from '../../core/define.js';
import { settingsFromBackendConfig } from '../../core/provider-settings.js';
import { VLLMProvider } from './vllm-backend.js';
import { vllmOptionsSchema, type VLLMBackendOptions } from './vllm-options.js';

export default defineProvider<VLLMBackendOptions>({
  name: 'vllm',
  optionsSchema: vllmOptionsSchema,
  create: (config, context) => new VLLMProvider(settingsFromBackendConfig(config, context)),
});

export { VLLM, VLLM_API_KEY_ENV, VLLM_BASE_URL, VLLM_CAPABILITIES, VLLMProvider } from './vllm-backend.js';
export { vllmOptionsSchema, type VLLMBackendOptions, type VLLMSettings } from './vllm-options.js';
