import type { Capabilities, InferOptions, LLMMessage, RateLimits, Role, ToolSchema } from '../../core/types.js';
import type { MockEmbeddingPresets } from './mock-embeddings.js';
import type { MockModelId } from './mock-models.js';
import type { MockResponseInput } from './mock-scripted-response.js';

/** Chooses a response from the conversation. */
export type MockPredicate = (messages: readonly LLMMessage[], tools: readonly ToolSchema[], options: InferOptions) => boolean;

interface MockPatternBase {
  readonly response: MockResponseInput;
  /**
   * Match only when the last message has this role. `"user"` keeps a pattern that calls a tool
   * from matching the tool's result; `"tool"` alone answers every tool result.
   * @default any role
   */
  readonly role?: Role;
}

/**
 * A response for conversations whose last message contains a text, matches a pattern, and/or has
 * a role. Response texts may use templates (see `ScriptedResponse.text`).
 */
export type MockPattern =
  | (MockPatternBase & { readonly contains: string })
  | (MockPatternBase & { readonly regex: string | RegExp; /** RegExp flags for a string `regex`, e.g. `i`. */ readonly flags?: string })
  | (MockPatternBase & { readonly role: Role });

/**
 * Options of `new MockBackend(options)`. The same object, in JSON, is a mock backend's `options`
 * in the config (see `mockOptionsSchema`), except `model`, `rateLimits` and `maxTokens`, which come
 * from the backend entry itself.
 */
export interface MockBackendOptions {
  /** @default 'mock-model' */
  readonly model?: MockModelId;
  /** Answers given in order, one per call, after the patterns had no match. */
  readonly responses?: readonly MockResponseInput[];
  /**
   * When every response of the sequence was used: `repeat-last` keeps giving the last one,
   * `default` falls through to echo mode or `defaultResponse`.
   * @default 'repeat-last'
   */
  readonly whenExhausted?: 'repeat-last' | 'default';
  /** Checked first, in order; the first match answers and the sequence does not advance. */
  readonly patterns?: readonly MockPattern[];
  /** Answer with the text of the last user message when nothing else applies. @default false */
  readonly echo?: boolean;
  /** @default 'This is a mock response.' */
  readonly defaultResponse?: MockResponseInput;
  /**
   * The backend's `maxTokens`, as a real provider's `withMaxTokens(n)` sets it: budgets and rate
   * limits reserve that much output. The mock does not cut its answers to it. @default undefined
   */
  readonly maxTokens?: number;
  /** Latency of every response that sets none, and of `embed`. @default 0 */
  readonly latencyMs?: number;
  /** Pause between stream events. @default 0 */
  readonly streamDelayMs?: number;
  /** Words per streamed text delta, for responses that set none. @default 3 */
  readonly streamChunkSize?: number;
  /** Vectors `embed` returns: in order of the texts embedded, or by exact text. Texts without one get a hashed vector. */
  readonly embeddings?: MockEmbeddingPresets;
  /** Length of the hashed vectors. @default 8 */
  readonly embeddingDimensions?: number;
  /** Override capability flags (and what `supportsFunctionCalling`/`supportsStreaming` say). @default all true */
  readonly capabilities?: Partial<Capabilities>;
  /** Reported by `modelInfo().rateLimits`. */
  readonly rateLimits?: RateLimits;
}
