import type { JsonSchema } from '../../core/define.js';
import type { ProviderSettings } from '../../core/provider-settings.js';
import type { Capabilities, ModelPricing } from '../../core/types.js';

/** The `options` object of an `openai-compatible` backend in hyperagent.config.json. */
export interface OpenAICompatibleBackendOptions {
  /** USD per 1M tokens. A local model you run yourself can be `{ "input": 0, "output": 0 }`. @default 'unknown' */
  readonly pricing?: ModelPricing;
  /** The model's context window in tokens, for `modelInfo()`. @default unknown */
  readonly contextWindow?: number;
  /** The model's output limit in tokens, for `modelInfo()`. @default unknown */
  readonly maxOutputTokens?: number;
  /** Override capability flags the server cannot tell us. @default function calling, streaming, JSON mode and embeddings on; the rest off */
  readonly capabilities?: Partial<Capabilities>;
  /** Send `stream_options.include_usage` (turn off for servers that reject it). @default true */
  readonly includeUsage?: boolean;
  /** Model for `embed()`. @default the chat model */
  readonly embeddingModel?: string;
}

/** `new OpenAICompatibleProvider(options)`: the shared provider settings (key optional) plus the backend options. */
export interface OpenAICompatibleProviderOptions extends OpenAICompatibleBackendOptions, Omit<ProviderSettings, 'env'> {
  /** e.g. `http://127.0.0.1:11434/v1` (Ollama), `http://127.0.0.1:8000/v1` (vLLM). Required. */
  readonly baseURL: string;
  /** The model name the server knows, e.g. `llama3.2`. Required. */
  readonly model: string;
}

const price = { type: 'number', minimum: 0 } as const;
const flag = { type: 'boolean' } as const;

export const openAICompatibleOptionsSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    pricing: {
      type: 'object',
      additionalProperties: false,
      required: ['input', 'output'],
      description: 'USD per 1M tokens; { "input": 0, "output": 0 } for a local model.',
      properties: { input: price, output: price, cachedInput: price, cacheWrite: price },
    },
    contextWindow: { type: 'integer', minimum: 1 },
    maxOutputTokens: { type: 'integer', minimum: 1 },
    capabilities: {
      type: 'object',
      additionalProperties: false,
      properties: { functionCalling: flag, streaming: flag, vision: flag, jsonMode: flag, thinking: flag, embeddings: flag, promptCaching: flag },
    },
    includeUsage: { type: 'boolean', description: 'Send stream_options.include_usage (default true).' },
    embeddingModel: { type: 'string', minLength: 1 },
  },
};
