import { FORWARD_HEADERS_OPTIONS_PROPERTIES } from '../../core/forward-headers.js';
import type { JsonSchema } from '../../core/define.js';
import type { HttpProviderSettings } from '../../core/http-provider.js';
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

/** `new OpenAIProvider(options)`: the shared provider settings plus the `openai` backend options. */
export interface OpenAIProviderOptions extends OpenAIBackendOptions, HttpProviderSettings {
  /** @default 'gpt-4o-mini' */
  readonly model?: OpenAIModelId;
}

export const openAIOptionsSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...FORWARD_HEADERS_OPTIONS_PROPERTIES,
    organization: { type: 'string', minLength: 1, description: 'Sent as the OpenAI-Organization header.' },
    project: { type: 'string', minLength: 1, description: 'Sent as the OpenAI-Project header.' },
    api: { enum: ['chat', 'responses'], description: 'chat: /chat/completions (default); responses: /responses.' },
    embeddingModel: { type: 'string', minLength: 1, description: 'Model used by embed(); default text-embedding-3-small.' },
  },
};
