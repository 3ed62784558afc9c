import { openAIChatServerOptionsSchema, type OpenAIChatProviderSettings, type OpenAIChatServerOptions } from '../../protocols/openai-chat/index.js';
import type { JsonSchema } from '../../core/define.js';

/** The `options` of a `vllm` backend: those of every OpenAI-wire server we know nothing about (pricing, context window, capabilities, `includeUsage`, `embeddingModel`). */
export type VLLMBackendOptions = OpenAIChatServerOptions;

/** `new VLLMProvider(settings)`: the shared settings plus the backend options. */
export interface VLLMSettings extends VLLMBackendOptions, OpenAIChatProviderSettings {}

export const vllmOptionsSchema: JsonSchema = openAIChatServerOptionsSchema;
