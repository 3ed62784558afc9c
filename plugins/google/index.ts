import { defineProvider, type BackendConfig, type ProviderContext } from '../../core/define.js';
import { GoogleProvider } from './google-backend.js';
import { googleOptionsSchema, type GoogleBackendOptions } from './google-options.js';

/** A Gemini API backend from a config entry. Synchronous: the key is read when the backend is first called. */
export function createGoogleBackend(config: BackendConfig<GoogleBackendOptions>, context?: ProviderContext): GoogleProvider {
  return new GoogleProvider({
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

export default defineProvider<GoogleBackendOptions>({
  name: 'google',
  optionsSchema: googleOptionsSchema,
  create: createGoogleBackend,
});

export { GOOGLE_BASE_URL, GoogleProvider } from './google-backend.js';
export { GEMINI_API_KEY_ENV, GOOGLE_API_KEY_ENV, GOOGLE_ERROR_CONTEXT } from './google-errors.js';
export { DEFAULT_GOOGLE_EMBEDDING_MODEL, DEFAULT_GOOGLE_MODEL, GOOGLE_MODEL_IDS, GOOGLE_PROVIDER, googleModelInfo, resolveGoogleModel, type GoogleModelId } from './google-models.js';
export { googleOptionsSchema, type GoogleBackendOptions, type GoogleProviderOptions } from './google-options.js';
