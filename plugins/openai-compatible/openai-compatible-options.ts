import { FORWARD_HEADERS_OPTIONS_PROPERTIES } from '../../core/forward-headers.js';
import type { JsonSchema } from '../../core/define.js';
import type { ProviderSettings } from '../../core/provider-settings.js';
import { CONFIGURED_MODEL_OPTIONS_PROPERTIES, type ConfiguredModelOptions } from '../../core/model-catalog.js';

/** The `options` object of an `openai-compatible` backend in hyperagent.config.json. */
export interface OpenAICompatibleBackendOptions extends ConfiguredModelOptions {
  /** Send `stream_options.include_usage` (turn off for servers that reject it). @default true */
  readonly includeUsage?: boolean;
  /** Model for `embed()`. @default the chat model */
  readonly embeddingModel?: string;
}

/** `new OpenAICompatibleProvider(options)`: the shared provider settings (key optional, never read from the environment) plus the backend options. */
export interface OpenAICompatibleProviderOptions extends OpenAICompatibleBackendOptions, ProviderSettings {
  /** e.g. `http://127.0.0.1:11434/v1` (Ollama), `http://127.0.0.1:8000/v1` (vLLM). Required. */
  readonly baseURL: string;
  /** The model name the server knows, e.g. `llama3.2`. Required. */
  readonly model: string;
}

export const openAICompatibleOptionsSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...FORWARD_HEADERS_OPTIONS_PROPERTIES,
    ...CONFIGURED_MODEL_OPTIONS_PROPERTIES,
    includeUsage: { type: 'boolean', description: 'Send stream_options.include_usage (default true).' },
    embeddingModel: { type: 'string', minLength: 1 },
  },
};
