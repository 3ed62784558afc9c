// OpenAI's Chat Completions / Embeddings / Models wire shapes, as far as the gateway reads or
// writes them, and the small mappings between their vocabulary and ours. Conversions live in
// openai-request.ts (request → ours), openai-response.ts (ours → JSON bodies) and
// openai-stream.ts (our stream events → `chat.completion.chunk`s).
import type { FinishReason, ModelPricing, TokenUsage } from '../core/types.js';

export type OpenAIFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

export interface OpenAIToolCall {
  readonly id: string;
  readonly type: 'function';
  readonly function: { readonly name: string; readonly arguments: string };
}

export interface OpenAIUsage {
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
  readonly total_tokens: number;
  readonly prompt_tokens_details: { readonly cached_tokens: number };
  readonly completion_tokens_details: { readonly reasoning_tokens: number };
}

export interface ChatCompletionMessage {
  readonly role: 'assistant';
  /** `null` when the turn is only tool calls, as OpenAI sends it. */
  readonly content: string | null;
  readonly refusal: null;
  readonly tool_calls?: readonly OpenAIToolCall[];
  /** Not in OpenAI's schema: the reasoning text, under the name DeepSeek, vLLM and others use. */
  readonly reasoning_content?: string;
  /** Not in OpenAI's schema: the reasoning blocks with their signatures, in OpenRouter's shape; send them back on the next turn. */
  readonly reasoning_details?: readonly ReasoningDetail[];
}

/**
 * One block of reasoning as OpenRouter's `reasoning_details` carries it. A signed Claude thinking
 * block is `reasoning.text` with its `signature`; a redacted one is `reasoning.encrypted`. Streamed,
 * the entries of one block share an `index` and are joined by it.
 */
export type ReasoningDetail =
  | { readonly type: 'reasoning.text'; readonly text: string; readonly signature?: string | null; readonly format: string; readonly index: number }
  | { readonly type: 'reasoning.encrypted'; readonly data: string; readonly format: string; readonly index: number };

/** Per-token logprobs, as the upstream sent them (`{ content: [...] }`). */
export type ChatLogprobs = Readonly<Record<string, unknown>>;

export interface ChatCompletionChoice {
  readonly index: number;
  readonly message: ChatCompletionMessage;
  readonly logprobs: ChatLogprobs | null;
  readonly finish_reason: OpenAIFinishReason;
}

export interface ChatCompletion {
  readonly id: string;
  readonly object: 'chat.completion';
  readonly created: number;
  readonly model: string;
  readonly choices: readonly ChatCompletionChoice[];
  readonly usage: OpenAIUsage;
}

export interface ChatCompletionDelta {
  readonly role?: 'assistant';
  readonly content?: string;
  readonly reasoning_content?: string;
  readonly reasoning_details?: readonly ReasoningDetail[];
  readonly tool_calls?: readonly {
    readonly index: number;
    readonly id?: string;
    readonly type?: 'function';
    readonly function: { readonly name?: string; readonly arguments: string };
  }[];
}

export interface ChatCompletionChunk {
  readonly id: string;
  readonly object: 'chat.completion.chunk';
  readonly created: number;
  readonly model: string;
  readonly choices: readonly {
    readonly index: 0;
    readonly delta: ChatCompletionDelta;
    readonly logprobs: ChatLogprobs | null;
    readonly finish_reason: OpenAIFinishReason | null;
  }[];
  /** With `stream_options.include_usage`: `null` on every chunk but the last, which has `choices: []`. */
  readonly usage?: OpenAIUsage | null;
  /** Not in OpenAI's schema: on the usage chunk, the call's USD cost (headers are gone by then). */
  readonly x_hyperagent_cost_usd?: number | null;
}

export interface EmbeddingList {
  readonly object: 'list';
  readonly data: readonly { readonly object: 'embedding'; readonly index: number; readonly embedding: readonly number[] | string }[];
  readonly model: string;
  readonly usage: { readonly prompt_tokens: number; readonly total_tokens: number };
}

export interface ModelEntry {
  readonly id: string;
  readonly object: 'model';
  readonly created: number;
  readonly owned_by: string;
  /** HyperAgent's extension: the backend's prices, USD per 1M tokens, when its catalog knows them. */
  readonly pricing?: ModelPricing;
  /** HyperAgent's extension: the model's context window in tokens, when known. */
  readonly context_window?: number;
}

export interface OpenAIErrorBody {
  readonly error: { readonly message: string; readonly type: string; readonly code: string | null; readonly param: string | null };
}

const FINISH_REASONS: Readonly<Record<FinishReason, OpenAIFinishReason>> = {
  stop: 'stop',
  length: 'length',
  'tool-calls': 'tool_calls',
  'content-filter': 'content_filter',
  // OpenAI has no word for these; a finished turn that is neither cut off nor filtered is a stop.
  error: 'stop',
  other: 'stop',
};

export function toOpenAIFinishReason(reason: FinishReason): OpenAIFinishReason {
  return Object.hasOwn(FINISH_REASONS, reason) ? FINISH_REASONS[reason] : 'stop';
}

export function toOpenAIUsage(given: TokenUsage | undefined): OpenAIUsage {
  const usage = given ?? { promptTokens: 0, completionTokens: 0, totalTokens: 0 };
  return {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.totalTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedTokens ?? 0 },
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
  };
}

/** Unix seconds, OpenAI's `created`. */
export function unixSeconds(now = Date.now()): number {
  return Math.floor(now / 1000);
}
