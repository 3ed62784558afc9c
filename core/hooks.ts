import { AsyncSeriesWaterfallHook, SyncHook, SyncWaterfallHook } from 'tapable';
import type { CostBreakdown } from './cost.js';
import type { HyperAgentError } from './errors.js';
import type { Kernel } from './kernel.js';
import type { EmbedOptions, InferOptions, InferenceOutput, LLMBackend, LLMMessage, ModelInfo, OutputMetadata, StreamEvent, TokenUsage, ToolCall, ToolSchema } from './types.js';

export type Operation = 'infer' | 'stream' | 'embed';

export interface InferRequest {
  readonly messages: readonly LLMMessage[];
  readonly tools: readonly ToolSchema[];
  readonly options: InferOptions;
}

export interface EmbedRequest {
  readonly input: readonly string[];
  readonly options: EmbedOptions;
}

/** Everything a plugin may want to know about one call. One per call, shared by all its attempts. */
export interface CallContext {
  /** Unique per kernel, e.g. `call-42`. */
  readonly callId: string;
  /** The kernel running the call: plugins find per-kernel services (store, estimator) through it. */
  readonly kernel: Kernel;
  readonly backendName: string;
  readonly provider: string;
  /** The model this call asks for. */
  readonly model: string;
  readonly operation: Operation;
  /** `performance.now()` when the call started. */
  readonly startedAt: number;
  readonly signal: AbortSignal | undefined;
  /** The backend as the provider made it, unwrapped: for `modelInfo()` and capability checks. */
  readonly backend: LLMBackend;
  /** 1 for the first attempt; the kernel increments it as each attempt starts. 0 before any. */
  attempt: number;
  /** The request after `beforeInfer`/`beforeEmbed` ran. */
  request: InferRequest | EmbedRequest | undefined;
  /** Per-call scratch space for plugins; key it by a symbol or the plugin's name. */
  readonly state: Map<unknown, unknown>;
  modelInfo(): ModelInfo;
}

/** What a stream attempt resolves to: the first event already read, and the rest. */
export interface StreamStart {
  readonly first: IteratorResult<StreamEvent>;
  readonly iterator: AsyncIterator<StreamEvent>;
  /**
   * What the provider knew of its answer when the first event came — its request id, its
   * rate-limit headers (`rateLimit`) — so an attempt wrapper can read them without waiting for the
   * whole stream. Undefined when the provider's stream keeps no metadata.
   */
  readonly metadata?: Readonly<Partial<OutputMetadata>>;
}

/** How a call ended: `cancelled` when a stream's consumer stopped before its last event. */
export type CallOutcome = 'success' | 'error' | 'cancelled';

export interface CallEndEvent {
  readonly outcome: CallOutcome;
  readonly error: HyperAgentError | undefined;
  readonly durationMs: number;
}

/** One try at the upstream call. Wrappers (retry, rate limit, routing) call it zero or more times. */
export type Attempt = (context: CallContext) => Promise<unknown>;

export interface CostEvent {
  readonly backendName: string;
  readonly provider: string;
  readonly model: string;
  readonly operation: Operation;
  readonly usage: TokenUsage;
  /** `undefined` when the model's pricing is unknown. */
  readonly costUsd: number | undefined;
  readonly breakdown: CostBreakdown | undefined;
  /** True when the call did not succeed and this is the usage of what was received before it ended. */
  readonly partial: boolean;
  /**
   * True when part of `usage` is the kernel's estimate: an attempt was cut off (aborted, timed out,
   * its consumer stopped, its connection dropped) before the provider reported any usage, so its
   * prompt tokens were estimated — the provider may well bill them.
   */
  readonly estimated: boolean;
  /** How the call ended. */
  readonly outcome: CallOutcome;
}

/**
 * A tool call the model proposed, on its way to the consumer. `reviewToolCall` taps pass it on,
 * changed (new arguments) or denied; once denied, later taps should pass it on as it is.
 */
export interface ToolCallReview {
  readonly toolCall: ToolCall;
  /** Set by the tap that denied the call: the call never reaches the consumer. */
  readonly denied?: { readonly reason: string };
}

/** A tool call a `reviewToolCall` tap denied: in `output.metadata.deniedToolCalls`, never in `toolCalls`. */
export interface DeniedToolCall {
  readonly toolCall: ToolCall;
  readonly reason: string;
}

/** Things that happen inside a call that loggers and metrics want to see. Plugins emit them too. */
export type KernelNotice =
  | { readonly type: 'attempt-start'; readonly attempt: number }
  | { readonly type: 'retry'; readonly attempt: number; readonly delayMs: number; readonly error: HyperAgentError }
  | { readonly type: 'rate-limit-wait'; readonly waitedMs: number; readonly reason: string }
  | { readonly type: 'first-token'; readonly afterMs: number }
  | { readonly type: 'approval'; readonly toolName: string; readonly decision: string; readonly reason?: string }
  | { readonly type: 'budget'; readonly spentUsd: number; readonly budgetUsd: number; readonly crossed: boolean }
  | ({ readonly type: 'routing' } & RoutingNotice)
  | { readonly type: 'usage-corrected'; readonly provider: string; readonly field: string; readonly received: unknown; readonly used: number | undefined }
  /** A call used tokens of a model with no price: its `costUsd` is `undefined`. Once per backend and model. */
  | { readonly type: 'price-unknown'; readonly backend: string; readonly provider: string; readonly model: string; readonly message: string }
  /** The provider's reported cost is more than 5% away from our table's: the table is probably stale. Once per backend and model. */
  | { readonly type: 'price-mismatch'; readonly backend: string; readonly provider: string; readonly model: string; readonly reportedUsd: number; readonly tableUsd: number; readonly message: string }
  | { readonly type: 'custom'; readonly name: string; readonly data: Record<string, unknown> };

/** What a backend group did: tried a target, fell back, cooled a target down or brought it back. */
export type RoutingNotice =
  | { readonly event: 'attempt'; readonly group: string; readonly target: string; readonly attempt: number }
  | { readonly event: 'fallback'; readonly group: string; readonly from: string; readonly code: string; readonly status: number | undefined }
  | { readonly event: 'cooldown'; readonly group: string; readonly target: string; readonly cooldownEndsAt: number; readonly code: string }
  | { readonly event: 'recovered'; readonly group: string; readonly target: string }
  | { readonly event: 'all-cooling'; readonly group: string; readonly target: string; readonly cooldownEndsAt: number | undefined };

/**
 * The kernel's hooks. Order within a hook is by `stage` (see `Stage`), then by tap order.
 *
 * - `beforeInfer` / `beforeEmbed` (async waterfall over the request): transform it, or throw to
 *   veto the call (approval, budget). A throw ends the call with that error; no attempt is made.
 * - `wrapAttempt` (sync waterfall over the attempt function): each tap returns a function that
 *   calls the one it was given zero or more times. Lower stages wrap closer to the wire: rate
 *   limiting (stage 100) waits before each attempt, retry (stage 200) repeats attempts, routing
 *   (stage 300) is free for a plugin that picks targets per attempt; backend groups
 *   (core/routing) route across kernel-wrapped targets instead. For streams an attempt resolves once the first event arrived, so
 *   a stream is never retried after the caller saw an event.
 * - `onStreamEvent` (sync, every event of every stream, in order): observe only; keep it cheap.
 *   A throwing tap ends the stream with that error.
 * - `reviewToolCall` (async waterfall over one proposed tool call, in the order the model proposed
 *   them, one at a time): allow it (return it), rewrite its arguments, or deny it (`denied`). Runs
 *   for `infer` before `afterInfer`, and for streams as each call completes: a stream holds a tool
 *   call's events from `tool-call-start` until its review decided, then releases them in order
 *   (rewritten calls as one delta), or drops them; text keeps streaming meanwhile, and `done`
 *   waits for every review. Denied calls go to `metadata.deniedToolCalls`; a `tool-calls` finish
 *   with no call left becomes `stop`. A throwing tap denies the call (fail closed).
 * - `afterInfer` (async waterfall over the output): transform or annotate it (approval marks
 *   denied tool calls). For streams it runs before `done` is delivered, on the assembled output
 *   that `stream.output()` returns.
 * - `onCost` (sync): at most once per call, as it ends and before `onCallEnd`, for every call whose
 *   attempts reached the wire and used tokens, however it ended: the usage of all its attempts,
 *   sanitised; a cut-off attempt with no reported usage is charged its estimated prompt (`estimated`).
 * - `onError` (sync): once per failed call, with the final error, before it reaches the caller.
 * - `onNotice` (sync): attempts, retries, rate-limit waits, first token, approvals, budget, routing.
 *   `attempt-start` fires innermost, after any rate-limit wait, as the attempt reaches the wire.
 * - `onCallEnd` (sync): exactly once per call that started, however it ended — success, error,
 *   or a stream whose consumer stopped early (`cancelled`). Release per-call resources here.
 */
export interface KernelHooks {
  readonly beforeInfer: AsyncSeriesWaterfallHook<[InferRequest, CallContext]>;
  readonly beforeEmbed: AsyncSeriesWaterfallHook<[EmbedRequest, CallContext]>;
  readonly wrapAttempt: SyncWaterfallHook<[Attempt, CallContext]>;
  readonly reviewToolCall: AsyncSeriesWaterfallHook<[ToolCallReview, CallContext]>;
  readonly onStreamEvent: SyncHook<[StreamEvent, CallContext]>;
  readonly afterInfer: AsyncSeriesWaterfallHook<[InferenceOutput, CallContext]>;
  readonly onCost: SyncHook<[CostEvent, CallContext]>;
  readonly onError: SyncHook<[HyperAgentError, CallContext]>;
  readonly onNotice: SyncHook<[KernelNotice, CallContext]>;
  readonly onCallEnd: SyncHook<[CallEndEvent, CallContext]>;
}

/** Stages that fix the order between plugins, whatever order the config lists them in. */
export const Stage = Object.freeze({
  /** beforeInfer: approval decides first, before money or capacity is spent. */
  APPROVAL: -200,
  /** beforeInfer: budget check after approval may have changed the request. */
  BUDGET: -100,
  DEFAULT: 0,
  /** wrapAttempt: closest to the wire, once per attempt. */
  RATE_LIMIT: 100,
  /** wrapAttempt: around rate limiting, so every retry waits for capacity again. */
  RETRY: 200,
  /** wrapAttempt: outermost, picks the target backend. */
  ROUTING: 300,
  /** Observers run last so they see the final value. */
  OBSERVE: 1000,
});

export function createHooks(): KernelHooks {
  return Object.freeze({
    beforeInfer: new AsyncSeriesWaterfallHook<[InferRequest, CallContext]>(['request', 'context']),
    beforeEmbed: new AsyncSeriesWaterfallHook<[EmbedRequest, CallContext]>(['request', 'context']),
    wrapAttempt: new SyncWaterfallHook<[Attempt, CallContext]>(['attempt', 'context']),
    reviewToolCall: new AsyncSeriesWaterfallHook<[ToolCallReview, CallContext]>(['review', 'context']),
    onStreamEvent: new SyncHook<[StreamEvent, CallContext]>(['event', 'context']),
    afterInfer: new AsyncSeriesWaterfallHook<[InferenceOutput, CallContext]>(['output', 'context']),
    onCost: new SyncHook<[CostEvent, CallContext]>(['cost', 'context']),
    onError: new SyncHook<[HyperAgentError, CallContext]>(['error', 'context']),
    onNotice: new SyncHook<[KernelNotice, CallContext]>(['notice', 'context']),
    onCallEnd: new SyncHook<[CallEndEvent, CallContext]>(['end', 'context']),
  });
}
