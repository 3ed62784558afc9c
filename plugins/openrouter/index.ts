import { defineProvider, type BackendConfig, type ProviderContext } from '../../core/define.js';
import { OpenRouterProvider } from './openrouter-backend.js';
import { openRouterOptionsSchema, type OpenRouterBackendOptions } from './openrouter-options.js';

/** An OpenRouter backend from a config entry. Synchronous: the key is read when the backend is first called. */
export function createOpenRouterBackend(config: BackendConfig<OpenRouterBackendOptions>, context?: ProviderContext): OpenRouterProvider {
  return new OpenRouterProvider({
    ...config.options,
    apiKey: config.apiKey,
    model: config.model,
    baseURL: config.baseURL,
    maxTokens: config.maxTokens,
    rateLimits: config.rateLimits,
    timeoutMs: config.timeoutMs,
    headers: config.headers,
    env: context?.env,
  });
}

export default defineProvider<OpenRouterBackendOptions>({
  name: 'openrouter',
  optionsSchema: openRouterOptionsSchema,
  create: createOpenRouterBackend,
});

export { OPENROUTER_API_KEY_ENV, OPENROUTER_BASE_URL, OpenRouterProvider } from './openrouter-backend.js';
export { copyOpenRouterMetadata } from './openrouter-metadata.js';
export {
  clearOpenRouterModelCache,
  convertOpenRouterModel,
  DEFAULT_OPENROUTER_MODEL,
  loadOpenRouterModels,
  openRouterModelInfo,
  perTokenToPerMillion,
  type OpenRouterModelEntry,
} from './openrouter-models.js';
export { openRouterOptionsSchema, type OpenRouterBackendOptions, type OpenRouterProviderOptions } from './openrouter-options.js';
