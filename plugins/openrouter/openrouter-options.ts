import type { JsonSchema } from '../../core/define.js';
import type { RateLimits } from '../../core/types.js';

/** The `options` object of an `openrouter` backend in hyperagent.config.json. */
export interface OpenRouterBackendOptions {
  /** Your app's URL, sent as `HTTP-Referer` (OpenRouter's app attribution). */
  readonly appUrl?: string;
  /** Your app's name, sent as `X-Title`. */
  readonly appName?: string;
  /** Model for `embed()`, e.g. `openai/text-embedding-3-small`. @default none: `embed()` needs `options.model` */
  readonly embeddingModel?: string;
}

export interface OpenRouterProviderOptions extends OpenRouterBackendOptions {
  /** @default the `OPENROUTER_API_KEY` environment variable, read when the backend is first used */
  readonly apiKey?: string;
  /** An OpenRouter model slug, e.g. `anthropic/claude-sonnet-4.5`. @default 'openrouter/auto' */
  readonly model?: string;
  /** @default 'https://openrouter.ai/api/v1' */
  readonly baseURL?: string;
  /** Default `maxTokens` for calls that set none. */
  readonly maxTokens?: number;
  /** Limits for the rate-limit plugin. @default none */
  readonly rateLimits?: RateLimits;
  /** Whole-request timeout in milliseconds. @default 600000 */
  readonly timeoutMs?: number;
  /** Extra HTTP headers sent with every request. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Where `OPENROUTER_API_KEY` is read from. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export const openRouterOptionsSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    appUrl: { type: 'string', minLength: 1, description: 'Sent as the HTTP-Referer header (app attribution).' },
    appName: { type: 'string', minLength: 1, description: 'Sent as the X-Title header.' },
    embeddingModel: { type: 'string', minLength: 1, description: 'Model used by embed(), e.g. openai/text-embedding-3-small.' },
  },
};
