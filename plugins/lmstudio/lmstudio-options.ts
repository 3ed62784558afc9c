import { openAIChatServerOptionsSchema, type OpenAIChatProviderSettings, type OpenAIChatServerOptions } from '../../protocols/openai-chat/index.js';
import type { JsonSchema } from '../../core/define.js';

/** The `options` of a `lmstudio` backend: those of every OpenAI-wire server we know nothing about (pricing, context window, capabilities, `includeUsage`, `embeddingModel`). */
export type LMStudioBackendOptions = OpenAIChatServerOptions;

/** `new LMStudioProvider(settings)`: the shared settings plus the backend options. */
export interface LMStudioSettings extends LMStudioBackendOptions, OpenAIChatProviderSettings {}

export const lmstudioOptionsSchema: JsonSchema = openAIChatServerOptionsSchema;
