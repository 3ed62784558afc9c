import { costBreakdown } from './cost.js';
import { noticePricing } from './price-notices.js';
import { ErrorCode, HyperAgentError, toHyperAgentError } from './errors.js';
import { estimatePromptTokens, estimateTextTokens } from './estimate.js';
import type { Attempt, CallContext, CallOutcome, CostEvent, DeniedToolCall, EmbedRequest, InferRequest, Operation, ToolCallReview } from './hooks.js';
import type { Kernel } from './kernel.js';
import { redactSecrets } from './redact.js';
import { addUsage, sanitizeUsage, type UsageCorrection } from './sanitize-usage.js';
import type { FinishReason, InferenceOutput, LLMBackend, ModelInfo, TokenUsage, ToolCall } from './types.js';

/** Transport failures where the request never left this machine: nothing was sent, nothing is billed. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Whether an attempt that failed with `error` and reported no usage may still have been billed:
 * the request was sent and then cut off (aborted, timed out, the connection or stream broke), or
 * its answer could not be read.
 * A provider that answered with an error status, or was never reached, bills nothing.
 */
function wasCutOff(error: unknown): boolean {
  if (!(error instanceof HyperAgentError) || error.status !== undefined) return false;
  switch (error.code) {
    case ErrorCode.ABORTED:
    case ErrorCode.TIMEOUT:
    case ErrorCode.INVALID_RESPONSE:
    // The answer came and was billed; only its tool arguments could not be read.
    case ErrorCode.TOOL_ARGUMENTS:
      return true;
    case ErrorCode.NETWORK:
      return !NEVER_SENT.has((error.cause as { code?: string } | undefined)?.code ?? '');
    default:
      return false;
  }
}

function hasUsage(usage: TokenUsage | undefined): usage is TokenUsage {
  return usage !== undefined && (usage.totalTokens > 0 || usage.reportedCostUsd !== undefined);
}

/**
 * One call through the kernel, from admission to its end: the context every hook sees, the
 * attempts, what they used, the one charge and the one end. `KernelBackend` opens one per
 * `infer`/`inferStream`/`embed`; `CallStream` drives a streamed one.
 *
 * The ledger's promise lives here: `charge` runs at most once, with the sanitised usage of every
 * attempt that reached the wire (the provider's own figures, or the estimated prompt of an
 * attempt cut off before any), and `end` exactly once.
 */
export class Call implements CallContext {
  attempt = 0;
  request: InferRequest | EmbedRequest | undefined;
  readonly startedAt = performance.now();
  private stateMap: Map<unknown, unknown> | undefined;
  /** Usage of the attempts that ended before the last, summed. */
  private earlier: TokenUsage | undefined;
  /** Usage the current attempt's provider reported so far (stream `usage` events, an error's usage). */
  private current: TokenUsage | undefined;
  /** An attempt reached the wire and has not ended (a stream still reading counts). */
  private open = false;
  private estimated = false;
  private charged = false;
  private ended = false;

  constructor(
    readonly kernel: Kernel,
    readonly callId: string,
    readonly backendName: string,
    /** The provider's backend, unwrapped. */
    readonly backend: LLMBackend,
    readonly model: string,
    readonly operation: Operation,
    readonly signal: AbortSignal | undefined,
  ) {}

  get provider(): string {
    return this.backend.provider;
  }

  /** Made when a plugin first asks: most calls of a kernel without plugins never do. */
  get state(): Map<unknown, unknown> {
    return (this.stateMap ??= new Map());
  }

  modelInfo(): ModelInfo {
    return this.backend.modelInfo(this.model);
  }

  /** `attempt`, counted as it reaches the wire, inside every `wrapAttempt` wrapper. */
  attempts(attempt: Attempt): Attempt {
    const onNotice = this.kernel.hooks.onNotice;
    const failed = (error: unknown): never => {
      this.endAttempt(error);
      throw error;
    };
    const counted: Attempt = (context) => {
      this.attempt += 1;
      this.endAttempt(undefined);
      this.open = true;
      if (onNotice.isUsed()) onNotice.call({ type: 'attempt-start', attempt: this.attempt }, this);
      return attempt(context).then(undefined, failed);
    };
    const wrapAttempt = this.kernel.hooks.wrapAttempt;
    return wrapAttempt.isUsed() ? wrapAttempt.call(counted, this) : counted;
  }

  /** The usage the provider reported so far in this attempt (a stream's `usage` event, an error's). */
  reportUsage(usage: TokenUsage | undefined): void {
    if (usage !== undefined) this.current = this.sanitize(usage);
  }

  /** Usage as the ledger may trust it, with a notice for each field corrected. */
  sanitize(usage: TokenUsage | undefined): TokenUsage {
    return sanitizeUsage(usage, this.onCorrection);
  }

  // One closure per call rather than one per sanitize (a call sanitises its usage more than once).
  private readonly onCorrection = (correction: UsageCorrection): void => this.corrected(correction);

  /**
   * Close the books of the attempt in progress: what its provider reported, or when it was cut off
   * before reporting anything (`error` says how it ended), its estimated prompt.
   */
  private endAttempt(error: unknown): void {
    const wasOpen = this.open;
    this.open = false;
    let usage = this.current;
    this.current = undefined;
    if (!hasUsage(usage)) {
      if (!wasOpen || error === undefined || !wasCutOff(error)) return;
      usage = this.estimatedPrompt();
      if (usage === undefined) return;
    }
    this.earlier = this.earlier === undefined ? usage : addUsage(this.earlier, usage);
  }

  /**
   * The call's one `onCost`, as it ends: every attempt's usage plus `final` (the last attempt's
   * reported usage, when it finished). `endedBy` is the error that ended a stream still running
   * (an abort when its consumer stopped): with nothing reported, a cut-off attempt is charged its
   * estimated prompt. Returns the USD cost, `undefined` when unknown or nothing was used.
   */
  charge(outcome: CallOutcome, final?: TokenUsage, options: { readonly model?: string; readonly endedBy?: unknown } = {}): number | undefined {
    if (this.charged) return undefined;
    this.charged = true;
    if (final !== undefined) this.current = this.sanitize(final);
    this.endAttempt(options.endedBy);
    const usage = this.earlier;
    if (usage === undefined) return undefined;
    const model = options.model ?? this.model;
    let info: ModelInfo | undefined;
    try {
      info = this.backend.modelInfo(model);
    } catch {
      info = undefined;
    }
    const breakdown = info === undefined ? undefined : costBreakdown(info, usage);
    const event: CostEvent = {
      backendName: this.backendName,
      provider: this.provider,
      model,
      operation: this.operation,
      usage,
      costUsd: breakdown?.total,
      breakdown,
      partial: outcome !== 'success',
      estimated: this.estimated,
      outcome,
    };
    noticePricing(this.kernel, this, model, usage, info, breakdown);
    this.kernel.hooks.onCost.call(event, this);
    return event.costUsd;
  }

  /** `onError` once, and the typed error. */
  fail(error: unknown): HyperAgentError {
    const typed = toHyperAgentError(error, this.provider);
    this.kernel.hooks.onError.call(typed, this);
    return typed;
  }

  /** `onCallEnd`, exactly once. */
  end(outcome: CallOutcome, error?: HyperAgentError): void {
    if (this.ended) return;
    this.ended = true;
    this.kernel.callEnded();
    const onCallEnd = this.kernel.hooks.onCallEnd;
    if (onCallEnd.isUsed()) onCallEnd.call({ outcome, error, durationMs: performance.now() - this.startedAt }, this);
  }

  /** Whether some plugin reviews tool calls: only then are a stream's tool calls held. */
  get reviewsToolCalls(): boolean {
    return this.kernel.hooks.reviewToolCall.isUsed();
  }

  /** One proposed tool call through `reviewToolCall`; a tap that throws denies it. */
  async review(toolCall: ToolCall): Promise<ToolCallReview> {
    try {
      const review = await this.kernel.hooks.reviewToolCall.promise({ toolCall }, this);
      return review ?? { toolCall };
    } catch (error) {
      return { toolCall, denied: { reason: `the review of this call failed: ${redactSecrets(error instanceof Error ? error.message : String(error))}` } };
    }
  }

  /** `infer`'s output with every tool call reviewed, in order; denied ones moved to `metadata.deniedToolCalls`. */
  async reviewOutput(output: InferenceOutput): Promise<InferenceOutput> {
    const proposed = output.toolCalls;
    if (proposed === undefined || proposed.length === 0 || !this.reviewsToolCalls) return output;
    const kept: ToolCall[] = [];
    const denied: DeniedToolCall[] = [];
    for (const toolCall of proposed) {
      const review = await this.review(toolCall);
      if (review.denied) denied.push({ toolCall, reason: review.denied.reason });
      else kept.push(review.toolCall);
    }
    if (denied.length === 0 && kept.every((call, index) => call === proposed[index])) return output;
    return withReviewedToolCalls(output, kept, denied);
  }

  private estimatedPrompt(): TokenUsage | undefined {
    const request = this.request;
    if (request === undefined) return undefined;
    let promptTokens = 0;
    if (this.operation === 'embed') for (const text of (request as EmbedRequest).input) promptTokens += estimateTextTokens(text);
    else promptTokens = estimatePromptTokens((request as InferRequest).messages, (request as InferRequest).tools);
    if (promptTokens <= 0) return undefined;
    this.estimated = true;
    return { promptTokens, completionTokens: 0, totalTokens: promptTokens };
  }

  private corrected(correction: UsageCorrection): void {
    const onNotice = this.kernel.hooks.onNotice;
    if (onNotice.isUsed()) onNotice.call({ type: 'usage-corrected', provider: this.provider, field: correction.field, received: correction.received, used: correction.used }, this);
  }
}

/** A `tool-calls` finish with no call left is a plain stop: a client must not wait for calls that never come. */
export function reviewedFinishReason(finishReason: FinishReason, toolCallsLeft: number): FinishReason {
  return finishReason === 'tool-calls' && toolCallsLeft === 0 ? 'stop' : finishReason;
}

function withReviewedToolCalls(output: InferenceOutput, kept: readonly ToolCall[], denied: readonly DeniedToolCall[]): InferenceOutput {
  const previous = Array.isArray(output.metadata.deniedToolCalls) ? (output.metadata.deniedToolCalls as DeniedToolCall[]) : [];
  const { toolCalls: _proposed, ...rest } = output;
  return {
    ...rest,
    ...(kept.length > 0 ? { toolCalls: kept } : {}),
    finishReason: reviewedFinishReason(output.finishReason, kept.length),
    metadata: { ...output.metadata, ...(denied.length > 0 || previous.length > 0 ? { deniedToolCalls: [...previous, ...denied] } : {}) },
  };
}
