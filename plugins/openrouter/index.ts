import { defineProvider, type BackendConfig, type ProviderContext } from '../../core/define.js';
import { settingsFromBackendConfig } from '../../core/provider-settings.js';
import { OpenRouterProvider } from './openrouter-backend.js';
import { openRouterOptionsSchema, type OpenRouterBackendOptions } from './openrouter-options.js';

/** An OpenRouter backend from a config entry. Synchronous: the key is read when the backend is first called. */
export function createOpenRouterBackend(config: BackendConfig<OpenRouterBackendOptions>, context?: ProviderContext): OpenRouterProvider {
  return new OpenRouterProvider(settingsFromBackendConfig(config, context));
}

export default defineProvider<OpenRouterBackendOptions>({
  name: 'openrouter',
  optionsSchema: openRouterOptionsSchema,
  create: createOpenRouterBackend,
});

export { OPENROUTER_API_KEY_ENV, OPENROUTER_BASE_URL, OpenRouterProvider } from './openrouter-backend.js';
export { copyOpenRouterMetadata } from './openrouter-metadata.js';
export { readOpenRouterRateLimitHeaders } from './openrouter-rate-limits.js';
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
