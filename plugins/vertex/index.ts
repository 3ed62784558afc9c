import { defineProvider, type BackendConfig, type ProviderContext } from '../../core/define.js';
import { VertexProvider } from './vertex-backend.js';
import { vertexOptionsSchema, type VertexBackendOptions } from './vertex-options.js';

/** A Vertex AI backend from a config entry. Synchronous: credentials are read when the backend is first called. */
export function createVertexBackend(config: BackendConfig<VertexBackendOptions>, context?: ProviderContext): VertexProvider {
  return new VertexProvider({
    ...config.options,
    model: config.model,
    baseURL: config.baseURL,
    maxTokens: config.maxTokens,
    rateLimits: config.rateLimits,
    timeoutMs: config.timeoutMs,
    headers: config.headers,
    env: context?.env,
  });
}

export default defineProvider<VertexBackendOptions>({
  name: 'vertex',
  optionsSchema: vertexOptionsSchema,
  create: createVertexBackend,
});

export { DEFAULT_VERTEX_LOCATION, VertexProvider } from './vertex-backend.js';
export { AccessTokenSource, CLOUD_PLATFORM_SCOPE, DEFAULT_TOKEN_URI, REFRESH_MARGIN_MS, signJwt } from './vertex-auth.js';
export { GOOGLE_APPLICATION_CREDENTIALS_ENV, VERTEX_ERROR_CONTEXT, VERTEX_PROVIDER } from './vertex-errors.js';
export { DEFAULT_VERTEX_EMBEDDING_MODEL, DEFAULT_VERTEX_MODEL, VERTEX_MODEL_IDS, isVertexAnthropicModel, vertexModelInfo, type VertexModelId } from './vertex-models.js';
export { vertexOptionsSchema, type ServiceAccountCredentials, type VertexBackendOptions, type VertexProviderOptions } from './vertex-options.js';
