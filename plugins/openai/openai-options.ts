import type { JsonSchema } from '../../core/define.js';
import type { RateLimits } from '../../core/types.js';
import type { OpenAIModelId } from './openai-models.js';

/** Which OpenAI API the backend speaks. */
export type OpenAIApi = 'chat' | 'responses';

/** The `options` object of an `openai` backend in hyperagent.config.json. */
export interface OpenAIBackendOptions {
  /** Sent as `OpenAI-Organization`. */
  readonly organization?: string;
  /** Sent as `OpenAI-Project`. */
  readonly project?: string;
  /** `chat` speaks `/chat/completions`; `responses` speaks `/responses`. @default 'chat' */
  readonly api?: OpenAIApi;
  /** Model for `embed()`. @default 'text-embedding-3-small' */
  readonly embeddingModel?: string;
}

export interface OpenAIProviderOptions extends OpenAIBackendOptions {
  /** @default the `OPENAI_API_KEY` environment variable, read when the backend is first used */
  readonly apiKey?: string;
  /** @default 'gpt-4o-mini' */
  readonly model?: OpenAIModelId;
  /** @default 'https://api.openai.com/v1' */
  readonly baseURL?: string;
  /** Default `maxTokens` for calls that set none. @default the model's default */
  readonly maxTokens?: number;
  /** Limits for the rate-limit plugin. @default the catalog's limits for the model */
  readonly rateLimits?: RateLimits;
  /** Whole-request timeout in milliseconds. @default 600000 */
  readonly timeoutMs?: number;
  /** Extra HTTP headers sent with every request. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Where `OPENAI_API_KEY` is read from. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export const openAIOptionsSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    organization: { type: 'string', minLength: 1, description: 'Sent as the OpenAI-Organization header.' },
    project: { type: 'string', minLength: 1, description: 'Sent as the OpenAI-Project header.' },
    api: { enum: ['chat', 'responses'], description: 'chat: /chat/completions (default); responses: /responses.' },
    embeddingModel: { type: 'string', minLength: 1, description: 'Model used by embed(); default text-embedding-3-small.' },
  },
};
