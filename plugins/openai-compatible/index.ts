import { defineProvider, type BackendConfig } from '../../core/define.js';
import { OpenAICompatibleProvider } from './openai-compatible-backend.js';
import { openAICompatibleOptionsSchema, type OpenAICompatibleBackendOptions } from './openai-compatible-options.js';

/** An OpenAI-compatible backend from a config entry (`baseURL` and `model` are required). Synchronous. */
export function createOpenAICompatibleBackend(config: BackendConfig<OpenAICompatibleBackendOptions>): OpenAICompatibleProvider {
  return new OpenAICompatibleProvider({
    ...config.options,
    baseURL: config.baseURL as string,
    model: config.model as string,
    apiKey: config.apiKey,
    maxTokens: config.maxTokens,
    rateLimits: config.rateLimits,
    timeoutMs: config.timeoutMs,
    headers: config.headers,
  });
}

export default defineProvider<OpenAICompatibleBackendOptions>({
  name: 'openai-compatible',
  optionsSchema: openAICompatibleOptionsSchema,
  create: createOpenAICompatibleBackend,
});

export { OpenAICompatibleProvider } from './openai-compatible-backend.js';
export { OPENAI_COMPATIBLE_CAPABILITIES, openAICompatibleModelInfo } from './openai-compatible-models.js';
export { openAICompatibleOptionsSchema, type OpenAICompatibleBackendOptions, type OpenAICompatibleProviderOptions } from './openai-compatible-options.js';
