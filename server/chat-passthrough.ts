import type { InferOptions } from '../core/types.js';
import type { JsonObject } from './request-fields.js';

/** Chat Completions fields the gateway maps to the kernel's own options (or reads itself). */
const MAPPED = new Set([
  'model',
  'messages',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'max_tokens',
  'max_completion_tokens',
  'temperature',
  'top_p',
  'stop',
  'response_format',
  'reasoning_effort',
  'stream',
  'stream_options',
  'logprobs',
  'n',
]);

/** Providers whose backends speak Chat Completions (`protocols/openai-chat`): they take a client's other fields as sent. */
const OPENAI_CHAT_PROVIDERS = new Set(['openai', 'openrouter', 'openai-compatible']);

/** True when the provider's backends speak Chat Completions; a routing group counts (its targets decide). */
export function speaksOpenAIChat(provider: string): boolean {
  return OPENAI_CHAT_PROVIDERS.has(provider) || provider === 'routing';
}

/**
 * The fields of a Chat Completions body the kernel has no option for (`seed`, `logit_bias`, both
 * penalties, `top_logprobs`, `user`, `metadata`, `store`, `service_tier`, `prediction`,
 * `verbosity`, and any field unknown to us), to send unchanged to OpenAI-wire backends.
 */
export class ChatPassthrough {
  readonly fields: Readonly<Record<string, unknown>>;

  constructor(body: JsonObject) {
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(body)) {
      // An own "__proto__" (JSON.parse makes one) is never a field anyone means to send.
      if (!MAPPED.has(key) && key !== '__proto__' && value !== undefined) fields[key] = value;
    }
    this.fields = fields;
  }

  get names(): string[] {
    return Object.keys(this.fields);
  }

  /** The kernel options that carry them: per wire protocol, so each target of a group takes what it speaks. */
  wireFields(): InferOptions['wireFields'] | undefined {
    if (this.names.length === 0) return undefined;
    const user = this.fields.user;
    return {
      'openai-chat': this.fields,
      // Anthropic's one place for an end-user id.
      ...(typeof user === 'string' ? { 'anthropic-messages': { metadata: { user_id: user } } } : {}),
    };
  }

  /**
   * The fields a provider's backends cannot honour; `undefined` when the provider is not known
   * before the call (a routing group: whichever target answers decides).
   */
  unhonoured(provider: string, logprobs: boolean): string[] | undefined {
    if (provider === 'routing') return undefined;
    if (OPENAI_CHAT_PROVIDERS.has(provider)) return [];
    const names = this.names.filter((name) => !(provider === 'anthropic' && name === 'user'));
    return logprobs ? ['logprobs', ...names] : names;
  }
}

/** One warning per field a backend did not receive. */
export function unhonouredWarnings(names: readonly string[], backendName: string, provider: string): string[] {
  return names.map((name) => `${name} is not supported by backend ${JSON.stringify(backendName)} (provider ${provider}) and was not sent`);
}
