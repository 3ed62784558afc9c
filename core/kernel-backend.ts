import { performance } from 'node:perf_hooks';
import { costBreakdown } from './cost.js';
import { toHyperAgentError, type HyperAgentError } from './errors.js';
import type { Attempt, CallContext, CallOutcome, CostEvent, EmbedRequest, InferRequest, Operation, StreamStart } from './hooks.js';
import { ManagedInferenceStream } from './inference-stream.js';
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
  StreamEvent,
  TokenUsage,
  ToolSchema,
} from './types.js';

class Context implements CallContext {
  attempt = 0;
  request: InferRequest | EmbedRequest | undefined;
  readonly state = new Map<unknown, unknown>();
  readonly startedAt = performance.now();
  constructor(
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
  modelInfo(): ModelInfo {
    return this.backend.modelInfo(this.model);
  }
}

/** A backend whose every call runs the kernel's hooks. User code holds these. */
export class KernelBackend implements LLMBackend {
  constructor(
    private readonly kernel: Kernel,
    readonly name: string,
    readonly inner: LLMBackend,
  ) {}

  get provider(): string {
    return this.inner.provider;
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
    return new Context(this.kernel.nextCallId(), this.name, this.inner, model ?? this.inner.modelInfo().id, operation, signal);
  }

  private fail(error: unknown, context: CallContext): HyperAgentError {
    const typed = toHyperAgentError(error, this.inner.provider);
    this.kernel.hooks.onError.call(typed, context);
    return typed;
  }

  private chargeCost(usage: TokenUsage, model: string, context: CallContext, partial: boolean): number | undefined {
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

  private withAttempts(attempt: Attempt, context: CallContext): Attempt {
    const counted: Attempt = (ctx) => {
      ctx.attempt += 1;
      this.kernel.hooks.onNotice.call({ type: 'attempt-start', attempt: ctx.attempt }, ctx);
      return attempt(ctx);
    };
    return this.kernel.hooks.wrapAttempt.call(counted, context);
  }

  private endCall(context: CallContext, outcome: CallOutcome, error?: HyperAgentError): void {
    const hooks = this.kernel.hooks;
    if (hooks.onCallEnd.isUsed()) hooks.onCallEnd.call({ outcome, error, durationMs: performance.now() - context.startedAt }, context);
  }

  async infer(messages: readonly LLMMessage[], tools: readonly ToolSchema[] = [], options: InferOptions = {}): Promise<InferenceOutput> {
    const hooks = this.kernel.hooks;
    const context = this.context('infer', options.model, options.signal);
    try {
      const request = await hooks.beforeInfer.promise({ messages, tools, options }, context);
      context.request = request;
      const run = this.withAttempts(() => this.inner.infer(request.messages, request.tools, request.options), context);
      const raw = (await run(context)) as InferenceOutput;
      const costUsd = this.chargeCost(raw.tokenUsage, raw.metadata.model ?? context.model, context, false);
      const output: InferenceOutput = { ...raw, metadata: { ...raw.metadata, backend: this.name, costUsd } };
      const final = await hooks.afterInfer.promise(output, context);
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
    let stream: ManagedInferenceStream;
    const produce = (): AsyncIterable<StreamEvent> => this.streamEvents(messages, tools, options, context, () => stream);
    stream = new ManagedInferenceStream(produce, { provider: this.inner.provider, model: context.model, metadata });
    return stream;
  }

  private async *streamEvents(
    messages: readonly LLMMessage[],
    tools: readonly ToolSchema[],
    options: InferOptions,
    context: Context,
    outer: () => ManagedInferenceStream,
  ): AsyncGenerator<StreamEvent> {
    const hooks = this.kernel.hooks;
    const observe = hooks.onStreamEvent.isUsed();
    let iterator: AsyncIterator<StreamEvent> | undefined;
    let innerStream: InferenceStream | undefined;
    // Until a terminal event is handed out, leaving this generator means the consumer stopped early.
    let outcome: CallOutcome = 'cancelled';
    let finalError: HyperAgentError | undefined;
    try {
      const request = await hooks.beforeInfer.promise({ messages, tools, options }, context);
      context.request = request;
      const attempt: Attempt = async () => {
        innerStream = this.inner.inferStream(request.messages, request.tools, request.options);
        const it = innerStream[Symbol.asyncIterator]();
        const first = await it.next();
        if (!first.done && first.value.type === 'error') {
          await it.return?.();
          throw first.value.error;
        }
        return { first, iterator: it } satisfies StreamStart;
      };
      const start = (await this.withAttempts(attempt, context)(context)) as StreamStart;
      iterator = start.iterator;
      hooks.onNotice.call({ type: 'first-token', afterMs: performance.now() - context.startedAt }, context);
      let next = start.first;
      while (!next.done) {
        const event = next.value;
        if (event.type === 'done' || event.type === 'error') {
          for await (const last of this.finishStream(event, context, innerStream, outer())) {
            if (last.type === 'error') {
              outcome = 'error';
              finalError = last.error;
            } else if (last.type === 'done') outcome = 'success';
            yield last;
          }
          return;
        }
        if (observe) hooks.onStreamEvent.call(event, context);
        yield event;
        next = await iterator.next();
      }
    } catch (error) {
      if (outcome !== 'cancelled') throw error;
      const typed = this.fail(error, context);
      outcome = 'error';
      finalError = typed;
      const event: StreamEvent = { type: 'error', error: typed, tokenUsage: outer().accumulator.tokenUsage };
      if (observe) hooks.onStreamEvent.call(event, context);
      yield event;
    } finally {
      // Always close the upstream stream: on an early break this cancels the request, after the
      // last event it lets the provider's own cleanup run.
      try {
        await iterator?.return?.();
      } finally {
        this.endCall(context, outcome, finalError);
      }
    }
  }

  private async *finishStream(
    event: Extract<StreamEvent, { type: 'done' | 'error' }>,
    context: Context,
    innerStream: InferenceStream | undefined,
    outer: ManagedInferenceStream,
  ): AsyncGenerator<StreamEvent> {
    const hooks = this.kernel.hooks;
    const innerMetadata = innerStream instanceof ManagedInferenceStream ? innerStream.accumulator.metadata : undefined;
    const model = (innerMetadata?.model as string | undefined) ?? context.model;
    if (innerMetadata) Object.assign(outer.accumulator.metadata, innerMetadata, { backend: this.name });
    if (event.type === 'error') {
      if (event.tokenUsage && event.tokenUsage.totalTokens > 0) this.chargeCost(event.tokenUsage, model, context, true);
      const typed = this.fail(event.error, context);
      const errorEvent: StreamEvent = { ...event, error: typed };
      hooks.onStreamEvent.call(errorEvent, context);
      yield errorEvent;
      return;
    }
    const costUsd = this.chargeCost(event.tokenUsage, model, context, false);
    outer.accumulator.metadata.costUsd = costUsd;
    if (hooks.afterInfer.isUsed()) {
      const assembled: InferenceOutput = { ...outer.accumulator.output(), tokenUsage: event.tokenUsage, finishReason: event.finishReason };
      let transformed: InferenceOutput;
      try {
        transformed = await hooks.afterInfer.promise(assembled, context);
      } catch (error) {
        // A veto after the last delta still ends the stream with exactly one terminal event.
        const errorEvent: StreamEvent = { type: 'error', error: this.fail(error, context), tokenUsage: event.tokenUsage };
        hooks.onStreamEvent.call(errorEvent, context);
        yield errorEvent;
        return;
      }
      outer.overrideOutput(transformed);
    }
    hooks.onStreamEvent.call(event, context);
    yield event;
  }

  async embed(input: string | readonly string[], options: EmbedOptions = {}): Promise<EmbeddingOutput> {
    const hooks = this.kernel.hooks;
    const context = this.context('embed', options.model, options.signal);
    try {
      const request = await hooks.beforeEmbed.promise({ input: typeof input === 'string' ? [input] : input, options }, context);
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
