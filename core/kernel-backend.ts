import { validateMessages } from './validate-messages.js';
import { costBreakdown } from './cost.js';
import { toHyperAgentError, type HyperAgentError } from './errors.js';
import type { Attempt, CallContext, CallOutcome, CostEvent, EmbedRequest, InferRequest, KernelHooks, Operation } from './hooks.js';
import { ManagedInferenceStream } from './inference-stream.js';
import { KernelStream, type KernelStreamHost } from './kernel-stream.js';
import type { Kernel } from './kernel.js';
import type {
  EmbedOptions,
  EmbeddingOutput,
  InferOptions,
  InferenceOutput,
  InferenceStream,
  LLMBackend,
  LLMMessage,
  ModelInfo,
  TokenUsage,
  ToolSchema,
} from './types.js';

class Context implements CallContext {
  attempt = 0;
  request: InferRequest | EmbedRequest | undefined;
  readonly startedAt = performance.now();
  private stateMap: Map<unknown, unknown> | undefined;
  constructor(
    readonly kernel: Kernel,
    readonly callId: string,
    readonly backendName: string,
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
}

/** A backend whose every call runs the kernel's hooks. User code holds these. */
export class KernelBackend implements LLMBackend, KernelStreamHost {
  constructor(
    private readonly kernel: Kernel,
    readonly name: string,
    readonly inner: LLMBackend,
  ) {}

  get provider(): string {
    return this.inner.provider;
  }

  get hooks(): KernelHooks {
    return this.kernel.hooks;
  }

  modelInfo(model?: string): ModelInfo {
    return this.inner.modelInfo(model);
  }

  supportsFunctionCalling(): boolean {
    return this.inner.supportsFunctionCalling();
  }

  supportsStreaming(): boolean {
    return this.inner.supportsStreaming();
  }

  private context(operation: Operation, model: string | undefined, signal: AbortSignal | undefined): Context {
    const callModel = model ?? this.inner.modelInfo().id;
    // Counted in flight only once nothing before it can throw: every counted call reaches `endCall`.
    return new Context(this.kernel, this.kernel.callStarted(), this.name, this.inner, callModel, operation, signal);
  }

  /** @internal `onError`, then the typed error. */
  fail(error: unknown, context: CallContext): HyperAgentError {
    const typed = toHyperAgentError(error, this.inner.provider);
    this.kernel.hooks.onError.call(typed, context);
    return typed;
  }

  /** @internal Prices `usage` and calls `onCost`. */
  chargeCost(usage: TokenUsage, model: string, context: CallContext, partial: boolean): number | undefined {
    const breakdown = costBreakdown(this.inner.modelInfo(model), usage);
    const event: CostEvent = {
      backendName: this.name,
      provider: this.inner.provider,
      model,
      operation: context.operation,
      usage,
      costUsd: breakdown?.total,
      breakdown,
      partial,
    };
    this.kernel.hooks.onCost.call(event, context);
    return event.costUsd;
  }

  /** @internal The attempt, counted, inside every `wrapAttempt` wrapper. */
  withAttempts(attempt: Attempt, context: CallContext): Attempt {
    const onNotice = this.kernel.hooks.onNotice;
    const counted: Attempt = (ctx) => {
      ctx.attempt += 1;
      if (onNotice.isUsed()) onNotice.call({ type: 'attempt-start', attempt: ctx.attempt }, ctx);
      return attempt(ctx);
    };
    const wrapAttempt = this.kernel.hooks.wrapAttempt;
    return wrapAttempt.isUsed() ? wrapAttempt.call(counted, context) : counted;
  }

  /** @internal `onCallEnd`, once per call. */
  endCall(context: CallContext, outcome: CallOutcome, error?: HyperAgentError): void {
    this.kernel.callEnded();
    const hooks = this.kernel.hooks;
    if (hooks.onCallEnd.isUsed()) hooks.onCallEnd.call({ outcome, error, durationMs: performance.now() - context.startedAt }, context);
  }

  async infer(messages: readonly LLMMessage[], tools: readonly ToolSchema[] = [], options: InferOptions = {}): Promise<InferenceOutput> {
    const hooks = this.kernel.hooks;
    const context = this.context('infer', options.model, options.signal);
    try {
      validateMessages(messages, tools, this.inner.provider);
      // A hook nobody tapped is skipped: its promise would cost every call a microtask for nothing.
      const asked: InferRequest = { messages, tools, options };
      const request = hooks.beforeInfer.isUsed() ? await hooks.beforeInfer.promise(asked, context) : asked;
      context.request = request;
      const run = this.withAttempts(() => this.inner.infer(request.messages, request.tools, request.options), context);
      const raw = (await run(context)) as InferenceOutput;
      const costUsd = this.chargeCost(raw.tokenUsage, raw.metadata.model ?? context.model, context, false);
      const output: InferenceOutput = { ...raw, metadata: { ...raw.metadata, backend: this.name, costUsd } };
      const final = hooks.afterInfer.isUsed() ? await hooks.afterInfer.promise(output, context) : output;
      this.endCall(context, 'success');
      return final;
    } catch (error) {
      const typed = this.fail(error, context);
      this.endCall(context, 'error', typed);
      throw typed;
    }
  }

  inferStream(messages: readonly LLMMessage[], tools: readonly ToolSchema[] = [], options: InferOptions = {}): InferenceStream {
    const context = this.context('stream', options.model, options.signal);
    const metadata: Record<string, unknown> = { backend: this.name };
    const stream: ManagedInferenceStream = new ManagedInferenceStream(() => new KernelStream(this, { messages, tools, options }, context, () => stream), {
      provider: this.inner.provider,
      model: context.model,
      metadata,
    });
    return stream;
  }

  async embed(input: string | readonly string[], options: EmbedOptions = {}): Promise<EmbeddingOutput> {
    const hooks = this.kernel.hooks;
    const context = this.context('embed', options.model, options.signal);
    try {
      const asked: EmbedRequest = { input: typeof input === 'string' ? [input] : input, options };
      const request = hooks.beforeEmbed.isUsed() ? await hooks.beforeEmbed.promise(asked, context) : asked;
      context.request = request;
      const run = this.withAttempts(() => this.inner.embed(request.input, request.options), context);
      const raw = (await run(context)) as EmbeddingOutput;
      const costUsd = this.chargeCost(raw.tokenUsage, raw.model, context, false);
      this.endCall(context, 'success');
      return { ...raw, metadata: { ...raw.metadata, backend: this.name, costUsd } };
    } catch (error) {
      const typed = this.fail(error, context);
      this.endCall(context, 'error', typed);
      throw typed;
    }
  }
}
