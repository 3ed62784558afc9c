import { FORWARD_HEADERS_OPTIONS_PROPERTIES } from '../../core/forward-headers.js';
import { defineProvider, type JsonSchema } from '../../core/define.js';
import { AnthropicProvider } from './anthropic-backend.js';

/** The `options` object of an `anthropic` backend in hyperagent.config.json. */
export interface AnthropicBackendOptions {
  /** The `anthropic-version` header. @default '2023-06-01' */
  readonly anthropicVersion?: string;
  /** Beta features for the `anthropic-beta` header, e.g. `context-1m-2025-08-07`. */
  readonly anthropicBeta?: string | readonly string[];
}

export const anthropicOptionsSchema: JsonSchema = Object.freeze({
  type: 'object',
  additionalProperties: false,
  properties: {
    ...FORWARD_HEADERS_OPTIONS_PROPERTIES,
    anthropicVersion: { type: 'string', minLength: 1, description: "The anthropic-version header. @default '2023-06-01'" },
    anthropicBeta: {
      description: 'Beta features, sent comma-joined as the anthropic-beta header.',
      anyOf: [
        { type: 'string', minLength: 1 },
        { type: 'array', items: { type: 'string', minLength: 1 } },
      ],
    },
  },
});

export default defineProvider<AnthropicBackendOptions>({
  name: 'anthropic',
  optionsSchema: anthropicOptionsSchema,
  create(config, context) {
    return new AnthropicProvider({
      apiKey: config.apiKey,
      model: config.model,
      baseURL: config.baseURL,
      maxTokens: config.maxTokens,
      rateLimits: config.rateLimits,
      timeoutMs: config.timeoutMs,
      headers: config.headers,
      anthropicVersion: config.options?.anthropicVersion,
      anthropicBeta: config.options?.anthropicBeta,
      env: context.env,
    });
  },
});

export { AnthropicProvider, DEFAULT_ANTHROPIC_BASE_URL, DEFAULT_ANTHROPIC_MODEL, DEFAULT_ANTHROPIC_VERSION, type AnthropicProviderSettings } from './anthropic-backend.js';
export {
  ANTHROPIC_MODEL_IDS,
  DEFAULT_RATE_LIMITS,
  anthropicModelInfo,
  defaultMaxTokens,
  resolveAnthropicModel,
  type AnthropicModelId,
} from './anthropic-models.js';
// The wire protocol is protocols/anthropic-messages; these stay exported here for existing importers.
export {
  anthropicStreamError,
  convertAnthropicUsage,
  convertToAnthropicMessages,
  mapAnthropicStopReason,
  statusForAnthropicErrorType,
  transformAnthropicStream,
  type AnthropicPrompt,
} from '../../protocols/anthropic-messages/index.js';
