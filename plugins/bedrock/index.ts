import { defineProvider, type BackendConfig, type ProviderContext } from '../../core/define.js';
import { BedrockProvider } from './bedrock-backend.js';
import { bedrockOptionsSchema, type BedrockBackendOptions } from './bedrock-options.js';

/** A Bedrock backend from a config entry. Synchronous: credentials are resolved when it is first called. */
export function createBedrockBackend(config: BackendConfig<BedrockBackendOptions>, context?: ProviderContext): BedrockProvider {
  return new BedrockProvider({
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

export default defineProvider<BedrockBackendOptions>({
  name: 'bedrock',
  optionsSchema: bedrockOptionsSchema,
  create: createBedrockBackend,
});

export { BEDROCK_API_KEY_ENV, BedrockProvider, DEFAULT_BEDROCK_EMBEDDING_MODEL, DEFAULT_BEDROCK_MODEL } from './bedrock-backend.js';
export { AWS_CREDENTIALS_HINT, parseIni, resolveAws, type AwsCredentialSources, type AwsCredentials, type ResolvedAws } from './bedrock-credentials.js';
export { BEDROCK_PROVIDER, mapBedrockError } from './bedrock-errors.js';
export {
  BEDROCK_MODEL_IDS,
  BEDROCK_PRESETS,
  DEFAULT_RATE_LIMITS,
  bedrockFamily,
  bedrockModelInfo,
  splitBedrockModelId,
  type BedrockFamily,
  type BedrockModelId,
} from './bedrock-models.js';
export { bedrockOptionsSchema, type BedrockBackendOptions, type BedrockGuardrailOptions, type BedrockProviderSettings } from './bedrock-options.js';
export { signRequest, type SignOptions, type SignableRequest } from './bedrock-signer.js';
