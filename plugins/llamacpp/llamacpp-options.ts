import { openAIChatServerOptionsSchema, type OpenAIChatProviderSettings, type OpenAIChatServerOptions } from '../../protocols/openai-chat/index.js';
import type { JsonSchema } from '../../core/define.js';

/** The `options` of a `llamacpp` backend: those of every OpenAI-wire server we know nothing about (pricing, context window, capabilities, `includeUsage`, `embeddingModel`). */
export type LlamaCppBackendOptions = OpenAIChatServerOptions;

/** `new LlamaCppProvider(settings)`: the shared settings plus the backend options. */
export interface LlamaCppSettings extends LlamaCppBackendOptions, OpenAIChatProviderSettings {}

export const llamacppOptionsSchema: JsonSchema = openAIChatServerOptionsSchema;
