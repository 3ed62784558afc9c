import { FORWARD_HEADERS_OPTIONS_PROPERTIES } from '../../core/forward-headers.js';
import type { JsonSchema } from '../../core/define.js';
import type { OpenAIChatProviderSettings } from '../../protocols/openai-chat/index.js';

/** The `options` object of an `openrouter` backend in hyperagent.config.json. */
export interface OpenRouterBackendOptions {
  /** Your app's URL, sent as `HTTP-Referer` (OpenRouter's app attribution). */
  readonly appUrl?: string;
  /** Your app's name, sent as `X-Title`. */
  readonly appName?: string;
  /** Model for `embed()`, e.g. `openai/text-embedding-3-small`. @default none: `embed()` needs `options.model` */
  readonly embeddingModel?: string;
}

/** `new OpenRouterProvider(options)`: the shared provider settings plus the `openrouter` backend options. */
export interface OpenRouterProviderOptions extends OpenRouterBackendOptions, OpenAIChatProviderSettings {
  /** An OpenRouter model slug, e.g. `anthropic/claude-sonnet-4.5`. @default 'openrouter/auto' */
  readonly model?: string;
}

export const openRouterOptionsSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...FORWARD_HEADERS_OPTIONS_PROPERTIES,
    appUrl: { type: 'string', minLength: 1, description: 'Sent as the HTTP-Referer header (app attribution).' },
    appName: { type: 'string', minLength: 1, description: 'Sent as the X-Title header.' },
    embeddingModel: { type: 'string', minLength: 1, description: 'Model used by embed(), e.g. openai/text-embedding-3-small.' },
  },
};
