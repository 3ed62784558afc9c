// Minimal, lenient wire types for the Anthropic Messages API: only the fields we send or map.
// Responses are read defensively (every field optional) because the API adds fields often.

export interface AnthropicCacheControl {
  readonly type: 'ephemeral';
  readonly ttl?: '5m' | '1h';
}

export interface AnthropicTextBlockParam {
  readonly type: 'text';
  readonly text: string;
  readonly cache_control?: AnthropicCacheControl;
}

export type AnthropicImageSource =
  | { readonly type: 'base64'; readonly media_type: string; readonly data: string }
  | { readonly type: 'url'; readonly url: string };

export interface AnthropicImageBlockParam {
  readonly type: 'image';
  readonly source: AnthropicImageSource;
}

export interface AnthropicThinkingBlockParam {
  readonly type: 'thinking';
  readonly thinking: string;
  readonly signature: string;
}

export interface AnthropicRedactedThinkingBlockParam {
  readonly type: 'redacted_thinking';
  readonly data: string;
}

export interface AnthropicToolUseBlockParam {
  readonly type: 'tool_use';
  readonly id: string;
  readonly name: string;
  readonly input: Record<string, unknown>;
}

export interface AnthropicToolResultBlockParam {
  readonly type: 'tool_result';
  readonly tool_use_id: string;
  readonly content: string | readonly (AnthropicTextBlockParam | AnthropicImageBlockParam)[];
  readonly is_error?: boolean;
}

export type AnthropicContentBlockParam =
  | AnthropicTextBlockParam
  | AnthropicImageBlockParam
  | AnthropicThinkingBlockParam
  | AnthropicRedactedThinkingBlockParam
  | AnthropicToolUseBlockParam
  | AnthropicToolResultBlockParam;

export interface AnthropicMessageParam {
  readonly role: 'user' | 'assistant';
  readonly content: AnthropicContentBlockParam[];
}

export interface AnthropicToolParam {
  readonly name: string;
  readonly description: string;
  readonly input_schema: Record<string, unknown>;
}

export type AnthropicToolChoice =
  | { readonly type: 'auto'; readonly disable_parallel_tool_use?: boolean }
  | { readonly type: 'any'; readonly disable_parallel_tool_use?: boolean }
  | { readonly type: 'none' }
  | { readonly type: 'tool'; readonly name: string; readonly disable_parallel_tool_use?: boolean };

/**
 * `enabled` with a token budget is the only form before Claude 4.6, deprecated on Opus/Sonnet 4.6 and
 * rejected (HTTP 400) from Opus 4.7 on; `adaptive` lets the model decide, steered by `output_config.effort`.
 */
export type AnthropicThinkingConfig = { readonly type: 'enabled'; readonly budget_tokens: number } | { readonly type: 'adaptive' };

/** The effort levels we send. The API also has `xhigh` and `max` on some models; nothing we map reaches them. */
export type AnthropicEffort = 'low' | 'medium' | 'high';

export interface AnthropicOutputConfig {
  readonly effort?: AnthropicEffort;
}

export interface AnthropicMessagesRequest {
  readonly model: string;
  readonly max_tokens: number;
  readonly messages: readonly AnthropicMessageParam[];
  readonly system?: string | readonly AnthropicTextBlockParam[];
  readonly temperature?: number;
  readonly top_p?: number;
  readonly stop_sequences?: readonly string[];
  readonly tools?: readonly AnthropicToolParam[];
  readonly tool_choice?: AnthropicToolChoice;
  readonly thinking?: AnthropicThinkingConfig;
  readonly output_config?: AnthropicOutputConfig;
  readonly stream?: boolean;
  readonly [extra: string]: unknown;
}

export interface AnthropicUsage {
  readonly input_tokens?: number | null;
  readonly output_tokens?: number | null;
  readonly cache_creation_input_tokens?: number | null;
  readonly cache_read_input_tokens?: number | null;
  /** The cache writes split by TTL (`cache_control.ttl`), when the API reports it. */
  readonly cache_creation?: { readonly ephemeral_5m_input_tokens?: number | null; readonly ephemeral_1h_input_tokens?: number | null } | null;
  readonly output_tokens_details?: { readonly thinking_tokens?: number | null } | null;
}

export type AnthropicResponseBlock =
  | { readonly type: 'text'; readonly text?: string }
  | { readonly type: 'thinking'; readonly thinking?: string; readonly signature?: string }
  | { readonly type: 'redacted_thinking'; readonly data?: string }
  | { readonly type: 'tool_use'; readonly id?: string; readonly name?: string; readonly input?: unknown }
  | { readonly type: string; readonly [key: string]: unknown };

export interface AnthropicMessageResponse {
  readonly id?: string;
  readonly type?: string;
  readonly role?: string;
  readonly model?: string;
  readonly content?: readonly AnthropicResponseBlock[];
  readonly stop_reason?: string | null;
  readonly stop_sequence?: string | null;
  readonly usage?: AnthropicUsage;
}

/** The error envelope, in an HTTP error body or a stream's `error` event. */
export interface AnthropicErrorPayload {
  readonly type?: 'error';
  readonly error?: { readonly type?: string; readonly message?: string };
  readonly request_id?: string;
}

export type AnthropicStreamChunk =
  | { readonly type: 'message_start'; readonly message?: AnthropicMessageResponse }
  | { readonly type: 'content_block_start'; readonly index?: number; readonly content_block?: AnthropicResponseBlock }
  | {
      readonly type: 'content_block_delta';
      readonly index?: number;
      readonly delta?:
        | { readonly type: 'text_delta'; readonly text?: string }
        | { readonly type: 'thinking_delta'; readonly thinking?: string }
        | { readonly type: 'signature_delta'; readonly signature?: string }
        | { readonly type: 'input_json_delta'; readonly partial_json?: string }
        | { readonly type: string; readonly [key: string]: unknown };
    }
  | { readonly type: 'content_block_stop'; readonly index?: number }
  | { readonly type: 'message_delta'; readonly delta?: { readonly stop_reason?: string | null }; readonly usage?: AnthropicUsage }
  | { readonly type: 'message_stop' }
  | { readonly type: 'ping' }
  | ({ readonly type: 'error' } & AnthropicErrorPayload);
