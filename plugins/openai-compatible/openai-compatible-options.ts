import type { JsonSchema } from '../../core/define.js';
import type { ProviderSettings } from '../../core/provider-settings.js';
import { openAIChatServerOptionsSchema, type OpenAIChatServerOptions } from '../../protocols/openai-chat/index.js';

/** The `options` object of an `openai-compatible` backend in hyperagent.config.json: pricing, context window, capabilities, `includeUsage`, `embeddingModel`. */
export type OpenAICompatibleBackendOptions = OpenAIChatServerOptions;

/** `new OpenAICompatibleProvider(options)`: the shared provider settings (key optional, never read from the environment) plus the backend options. */
export interface OpenAICompatibleProviderOptions extends OpenAICompatibleBackendOptions, ProviderSettings {
  /** e.g. `http://127.0.0.1:11434/v1` (Ollama), `http://127.0.0.1:8000/v1` (vLLM). Required. */
  readonly baseURL: string;
  /** The model name the server knows, e.g. `llama3.2`. Required. */
  readonly model: string;
}

export const openAICompatibleOptionsSchema: JsonSchema = openAIChatServerOptionsSchema;
