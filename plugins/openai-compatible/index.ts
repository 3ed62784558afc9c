import { defineProvider, type BackendConfig, type ProviderContext } from '../../core/define.js';
import { settingsFromBackendConfig } from '../../core/provider-settings.js';
import { OpenAICompatibleProvider } from './openai-compatible-backend.js';
import { openAICompatibleOptionsSchema, type OpenAICompatibleBackendOptions, type OpenAICompatibleProviderOptions } from './openai-compatible-options.js';

/** An OpenAI-compatible backend from a config entry (`baseURL` and `model` are required). Synchronous. */
export function createOpenAICompatibleBackend(config: BackendConfig<OpenAICompatibleBackendOptions>, context?: ProviderContext): OpenAICompatibleProvider {
  return new OpenAICompatibleProvider(settingsFromBackendConfig(config, context) as OpenAICompatibleProviderOptions);
}

export default defineProvider<OpenAICompatibleBackendOptions>({
  name: 'openai-compatible',
  optionsSchema: openAICompatibleOptionsSchema,
  create: createOpenAICompatibleBackend,
});

export { OpenAICompatibleProvider } from './openai-compatible-backend.js';
export { readOpenAICompatibleRateLimitHeaders } from './openai-compatible-rate-limits.js';
export { OPENAI_COMPATIBLE_CAPABILITIES, openAICompatibleModelInfo } from './openai-compatible-models.js';
export { openAICompatibleOptionsSchema, type OpenAICompatibleBackendOptions, type OpenAICompatibleProviderOptions } from './openai-compatible-options.js';
