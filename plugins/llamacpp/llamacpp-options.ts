import { FORWARD_HEADERS_OPTIONS_PROPERTIES } from '../../core/forward-headers.js';
import type { JsonSchema } from '../../core/define.js';
import { CONFIGURED_MODEL_OPTIONS_PROPERTIES, type ConfiguredModelOptions } from '../../core/model-catalog.js';
import type { OpenAIChatProviderSettings } from '../../protocols/openai-chat/index.js';

/** The `options` of a `llamacpp` backend: what the server cannot tell us about its model. */
export interface LlamaCppBackendOptions extends ConfiguredModelOptions {
  /** Send `stream_options.include_usage`. @default true */
  readonly includeUsage?: boolean;
  /** Model for `embed()`. @default the chat model */
  readonly embeddingModel?: string;
}

/** `new LlamaCppProvider(settings)`: the shared settings plus the backend options. */
export interface LlamaCppSettings extends LlamaCppBackendOptions, OpenAIChatProviderSettings {}

export const llamacppOptionsSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...FORWARD_HEADERS_OPTIONS_PROPERTIES,
    ...CONFIGURED_MODEL_OPTIONS_PROPERTIES,
    includeUsage: { type: 'boolean', description: 'Send stream_options.include_usage (default true).' },
    embeddingModel: { type: 'string', minLength: 1 },
  },
};
