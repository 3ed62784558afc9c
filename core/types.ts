// The public contract every backend, plugin and front end builds on. No runtime imports here.
import type { HyperAgentError } from './errors.js';

export type Role = 'system' | 'user' | 'assistant' | 'tool';

export interface TextPart {
  readonly type: 'text';
  readonly text: string;
  /** Ask providers that support prompt caching to cache the prompt up to and including this part. */
  readonly cacheControl?: CacheControl;
}

export interface ImagePart {
  readonly type: 'image';
  /** An http(s) URL or a `data:` URL. Either `url` or `data` is set. */
  readonly url?: string;
  /** Base64 image bytes (no `data:` prefix). */
  readonly data?: string;
  /** e.g. `image/png`; required with `data`. */
  readonly mediaType?: string;
  /** OpenAI's vision detail hint. */
  readonly detail?: 'auto' | 'low' | 'high';
}

export type ContentPart = TextPart | ImagePart;

export interface CacheControl {
  readonly type: 'ephemeral';
  readonly ttl?: '5m' | '1h';
}

/** A block of model reasoning; `signature` lets a thinking turn be sent back to Anthropic unchanged. */
export interface ReasoningPart {
  readonly text: string;
  readonly signature?: string;
  /** Anthropic `redacted_thinking` payload, opaque. */
  readonly redactedData?: string;
}

export interface ToolCall {
  readonly id: string;
  readonly name: string;
  /** Parsed JSON arguments (an object). */
  readonly arguments: Record<string, unknown>;
  /** The raw JSON text the model produced, for callers that need it byte for byte. */
  readonly rawArguments: string;
}

export interface LLMMessage {
  readonly role: Role;
  readonly content: string | readonly ContentPart[];
  /** Assistant turns: the tool calls the model asked for. */
  readonly toolCalls?: readonly ToolCall[];
  /** Tool turns: the id of the call this message answers. */
  readonly toolCallId?: string;
  /** Tool turns: the tool's name (some providers want it). */
  readonly name?: string;
  /** Tool turns: the result is an error. */
  readonly isError?: boolean;
  /** Assistant turns: reasoning to send back (Anthropic needs signed thinking before tool use). */
  readonly reasoning?: readonly ReasoningPart[];
}

export interface ToolSchema {
  readonly name: string;
  readonly description: string;
  /** JSON Schema for the arguments object. */
  readonly parameters: Record<string, unknown>;
  /** Approval policy hint: dangerous tools ask before running unless configured otherwise. */
  readonly dangerous?: boolean;
  /** Hint for providers with strict schema support. */
  readonly strict?: boolean;
}

export type ToolChoice = 'auto' | 'none' | 'required' | { readonly name: string };

export type ResponseFormat =
  | { readonly type: 'text' }
  | { readonly type: 'json' }
  | { readonly type: 'json_schema'; readonly name: string; readonly schema: Record<string, unknown>; readonly strict?: boolean };

export interface ThinkingOptions {
  /** Token budget for extended thinking (Anthropic `budget_tokens`, on models that still take one). */
  readonly budgetTokens?: number;
  /** Reasoning effort: OpenAI-style `reasoning_effort`; Anthropic `output_config.effort` with adaptive thinking. */
  readonly effort?: 'minimal' | 'low' | 'medium' | 'high';
}

export interface InferOptions {
  /** Sampling temperature. @default provider default */
  readonly temperature?: number;
  /** Upper bound on generated tokens. @default the backend's configured `maxTokens`, else the model's default */
  readonly maxTokens?: number;
  readonly topP?: number;
  readonly stop?: readonly string[];
  /** Cancels the call, including a stream in flight. */
  readonly signal?: AbortSignal;
  /** JSON mode or structured output. */
  readonly responseFormat?: ResponseFormat;
  /** Extended thinking / reasoning. */
  readonly thinking?: ThinkingOptions;
  readonly toolChoice?: ToolChoice;
  /** Allow the model to call several tools in one turn. @default provider default */
  readonly parallelToolCalls?: boolean;
  /** Ask for token log-probabilities so `confidence` can be computed. @default false */
  readonly logprobs?: boolean;
  /** Per-call timeout for the whole request in milliseconds. @default the backend's timeout */
  readonly timeoutMs?: number;
  /** Override the model for this call. */
  readonly model?: string;
  /** Extra provider-specific body fields, merged into the request body last. */
  readonly providerOptions?: Record<string, unknown>;
  /**
   * Body fields for one wire protocol only, keyed by its `protocols/` folder (`openai-chat`,
   * `anthropic-messages`, …): a backend speaking that protocol merges them before `providerOptions`,
   * any other ignores them — so a fallback group can carry a client's fields to whichever target
   * answers. The gateway passes Chat Completions fields it does not map (`seed`, `logit_bias`…) here.
   */
  readonly wireFields?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /**
   * The gateway client's request headers (names lowercased, hop-by-hop and credential headers
   * removed). Nothing is sent by default: a backend forwards only those its `forwardHeaders`
   * setting names (e.g. `anthropic-beta`), so a client cannot set arbitrary upstream headers.
   * The kernel and routing groups pass this through unchanged. @default undefined
   */
  readonly clientHeaders?: Readonly<Record<string, string>>;
  /** Free-form metadata for plugins (user id, trace id...). Not sent upstream. */
  readonly metadata?: Record<string, unknown>;
}

export interface TokenUsage {
  /** Every input token, cached or not (OpenAI's meaning). */
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly totalTokens: number;
  /** Cache reads: part of `promptTokens`, billed at the cached rate. */
  readonly cachedTokens?: number;
  /** Cache writes: part of `promptTokens`, billed at the cache-write rate. */
  readonly cacheWriteTokens?: number;
  /** Cache writes with a 1-hour TTL (Anthropic `cache_control.ttl: "1h"`): part of `cacheWriteTokens`, billed at the 1-hour rate. */
  readonly cacheWrite1hTokens?: number;
  /** Reasoning tokens: part of `completionTokens`. */
  readonly reasoningTokens?: number;
  /** Cost in USD as reported by the provider itself (OpenRouter), preferred over our own price table. */
  readonly reportedCostUsd?: number;
}

export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'error' | 'other';

export interface InferenceOutput {
  readonly content: string;
  readonly toolCalls?: readonly ToolCall[];
  /** Reasoning text, all blocks joined. */
  readonly reasoning?: string;
  /** Reasoning blocks with their signatures, to send back on the next turn. */
  readonly reasoningParts?: readonly ReasoningPart[];
  /** 0..1, the mean token probability when the provider returned logprobs, else 1. */
  readonly confidence: number;
  readonly tokenUsage: TokenUsage;
  readonly finishReason: FinishReason;
  readonly metadata: OutputMetadata;
}

export interface OutputMetadata {
  readonly provider: string;
  readonly model: string;
  readonly backend?: string;
  readonly requestId?: string;
  readonly responseId?: string;
  /** The provider's own finish reason, unmapped. */
  readonly rawFinishReason?: string;
  /** USD cost of this call, set by the kernel. */
  readonly costUsd?: number;
  readonly warnings?: readonly string[];
  readonly [key: string]: unknown;
}

export type StreamEvent =
  | { readonly type: 'text-delta'; readonly text: string }
  | { readonly type: 'reasoning-delta'; readonly text: string }
  | { readonly type: 'reasoning-signature'; readonly signature: string }
  | { readonly type: 'tool-call-start'; readonly id: string; readonly name: string; readonly index: number }
  | { readonly type: 'tool-call-delta'; readonly id: string; readonly argumentsDelta: string }
  | { readonly type: 'tool-call-end'; readonly id: string; readonly toolCall: ToolCall }
  | { readonly type: 'reasoning-redacted'; readonly data: string }
  /**
   * The usage known so far (Anthropic's `message_start`), so a stream cut short is charged what the
   * provider already counted. Providers may send it any number of times; the kernel keeps the last
   * and does not pass it on: streams from a kernel-wrapped backend never contain it.
   */
  | { readonly type: 'usage'; readonly tokenUsage: TokenUsage }
  | { readonly type: 'done'; readonly tokenUsage: TokenUsage; readonly finishReason: FinishReason; readonly confidence?: number }
  | { readonly type: 'error'; readonly error: HyperAgentError; readonly tokenUsage?: TokenUsage };

export type StreamEventType = StreamEvent['type'];

/**
 * A stream of events with one consumer. Breaking out of the loop cancels the request.
 * `output()` consumes whatever is left and resolves to the same shape `infer` returns
 * (or rejects with the stream's error).
 */
export interface InferenceStream extends AsyncIterable<StreamEvent> {
  output(): Promise<InferenceOutput>;
}

/** Per-token rates, USD per 1M tokens. */
export interface ModelRates {
  /** USD per 1M uncached input tokens. */
  readonly input: number;
  /** USD per 1M output tokens. */
  readonly output: number;
  /** USD per 1M cache-read input tokens. @default input */
  readonly cachedInput?: number;
  /** USD per 1M cache-write input tokens (Anthropic's 5-minute writes, the default TTL). @default input */
  readonly cacheWrite?: number;
  /** USD per 1M cache-write tokens with a 1-hour TTL (Anthropic `cache_control.ttl: "1h"`). @default cacheWrite */
  readonly cacheWrite1h?: number;
  /** USD per 1M reasoning tokens, where a provider prices them apart from output. @default output */
  readonly reasoning?: number;
}

/**
 * Rates that replace the base ones for a whole request once its prompt (every input token, cached or
 * not) is longer than `above` tokens, e.g. Anthropic's long-context rates above 200K. A rate left out
 * stays the base one.
 */
export interface PriceTier extends Partial<ModelRates> {
  readonly above: number;
}

/** What a model costs. A plain `{ input, output, cachedInput?, cacheWrite? }` is a complete price. */
export interface ModelPricing extends ModelRates {
  /** USD per request, on top of the tokens. @default 0 */
  readonly perRequest?: number;
  /** Rates by prompt length, in ascending `above` order; the last one the prompt is longer than applies. @default [] */
  readonly tiers?: readonly PriceTier[];
  /** Rates of the provider's batch API, where it has one; used when a cost is computed with `{ batch: true }`. */
  readonly batch?: ModelRates;
}

export interface Capabilities {
  readonly functionCalling: boolean;
  readonly streaming: boolean;
  readonly vision: boolean;
  readonly jsonMode: boolean;
  readonly thinking: boolean;
  readonly embeddings: boolean;
  readonly promptCaching: boolean;
}

export interface RateLimits {
  /** Requests per minute. */
  readonly rpm?: number;
  /** Tokens per minute (input + output). */
  readonly tpm?: number;
  /** Requests in flight at once. */
  readonly maxConcurrent?: number;
}

export interface ModelInfo {
  readonly id: string;
  readonly provider: string;
  readonly contextWindow: number | undefined;
  readonly maxOutputTokens: number | undefined;
  /** `'unknown'` when we have no price for this model: never a made-up price. */
  readonly pricing: ModelPricing | 'unknown';
  /** Where and when the price was read, e.g. `openai.com/api/pricing 2026-11-27`. */
  readonly pricingSource?: string;
  readonly capabilities: Capabilities;
  /** The provider's documented default limits for this model. */
  readonly rateLimits?: RateLimits;
}

export interface EmbedOptions {
  readonly signal?: AbortSignal;
  readonly model?: string;
  readonly dimensions?: number;
  readonly timeoutMs?: number;
  readonly metadata?: Record<string, unknown>;
}

export interface EmbeddingOutput {
  readonly embeddings: readonly number[][];
  readonly model: string;
  readonly tokenUsage: TokenUsage;
  readonly metadata: OutputMetadata;
}

export interface LLMBackend {
  /** The provider's name, e.g. `openai`. */
  readonly provider: string;
  /**
   * The `maxTokens` this backend sends when a call sets none (`withMaxTokens(n)`, the config's
   * `maxTokens`). Budgets and rate limits reserve that much output; leave it `undefined` when the
   * backend sends no limit of its own. @default undefined
   */
  readonly maxTokens?: number;
  infer(messages: readonly LLMMessage[], tools?: readonly ToolSchema[], options?: InferOptions): Promise<InferenceOutput>;
  inferStream(messages: readonly LLMMessage[], tools?: readonly ToolSchema[], options?: InferOptions): InferenceStream;
  embed(input: string | readonly string[], options?: EmbedOptions): Promise<EmbeddingOutput>;
  modelInfo(model?: string): ModelInfo;
  supportsFunctionCalling(): boolean;
  supportsStreaming(): boolean;
}
