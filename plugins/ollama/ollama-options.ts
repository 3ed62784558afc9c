import { FORWARD_HEADERS_OPTIONS_PROPERTIES } from '../../core/forward-headers.js';
import type { JsonSchema } from '../../core/define.js';
import type { HttpProviderSettings } from '../../core/http-provider.js';
import type { ModelPricing } from '../../core/types.js';

/** The `options` object of an `ollama` backend in hyperagent.config.json. */
export interface OllamaBackendOptions {
  /** Model for `embed()`. @default the chat model */
  readonly embeddingModel?: string;
  /** `keep_alive` of each request: how long the model stays loaded, e.g. `"10m"`, or seconds. @default the server's (5 minutes) */
  readonly keepAlive?: string | number;
  /** The context window the model runs with (Ollama's `num_ctx`, which the server decides). @default unknown */
  readonly contextWindow?: number;
  /** USD per 1M tokens, for a paid host. @default 0 on a loopback server, else unknown */
  readonly pricing?: ModelPricing;
}

/** `new OllamaProvider(settings)`: the shared provider settings plus the `ollama` backend options. */
export interface OllamaProviderSettings extends OllamaBackendOptions, HttpProviderSettings {}

export const ollamaOptionsSchema: JsonSchema = Object.freeze({
  type: 'object',
  additionalProperties: false,
  properties: {
    ...FORWARD_HEADERS_OPTIONS_PROPERTIES,
    embeddingModel: { type: 'string', minLength: 1, description: 'Model used by embed(); default the chat model.' },
    keepAlive: { type: ['string', 'number'], description: 'keep_alive of each request, e.g. "10m" or seconds.' },
    contextWindow: { type: 'integer', minimum: 1, description: 'The context window the model runs with (num_ctx).' },
    pricing: {
      type: 'object',
      required: ['input', 'output'],
      properties: { input: { type: 'number', minimum: 0 }, output: { type: 'number', minimum: 0 }, cachedInput: { type: 'number', minimum: 0 } },
      description: 'USD per 1M tokens, for a paid host; default 0 on a loopback server, else unknown.',
    },
  },
});
