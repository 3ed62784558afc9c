import { validateMessages } from './validate-messages.js';
import type { HyperAgentError } from './errors.js';
import type { Attempt, CallContext, CallOutcome, InferRequest, KernelHooks, StreamStart } from './hooks.js';
import { ManagedInferenceStream } from './inference-stream.js';
import { IterableSource, SourceIterator, type PullSource } from './pull-source.js';
import type { InferenceOutput, InferenceStream, LLMBackend, StreamEvent, TokenUsage } from './types.js';

type TerminalEvent = Extract<StreamEvent, { type: 'done' | 'error' }>;

/** What a kernel stream needs from the `KernelBackend` that opened it. */
export interface KernelStreamHost {
  readonly name: string;
  readonly inner: LLMBackend;
  readonly hooks: KernelHooks;
  withAttempts(attempt: Attempt, context: CallContext): Attempt;
  fail(error: unknown, context: CallContext): HyperAgentError;
  chargeCost(usage: TokenUsage, model: string, context: CallContext, partial: boolean): number | undefined;
  endCall(context: CallContext, outcome: CallOutcome, error?: HyperAgentError): void;
}

/** The `iterator` of a stream attempt's `StreamStart`: the provider's stream, read as a pull source. */
class AttemptIterator extends SourceIterator<StreamEvent> {
  constructor(
    readonly stream: InferenceStream,
    source: PullSource<StreamEvent>,
  ) {
    super(source);
  }
}

/**
 * One streamed call through the kernel: `beforeInfer`, the attempt wrappers, then the provider's
 * events, each passed to `onStreamEvent` as the consumer takes it, and at the terminal event cost,
 * `afterInfer` and the final event. A pull source, so events the provider already holds pass
 * through without a promise per event; the consumer's `for await` over the `ManagedInferenceStream`
 * around it pays the one promise.
 */
export class KernelStream implements PullSource<StreamEvent> {
  private state: 'start' | 'streaming' | 'finishing' | 'done' | 'closed' = 'start';
  private source: PullSource<StreamEvent> | undefined;
  private innerStream: InferenceStream | undefined;
  /** Events past every hook, waiting to be handed out. */
  private readonly ready: StreamEvent[] = [];
  private terminal: TerminalEvent | undefined;
  private observe = false;
  // Until a terminal event is handed out, closing means the consumer stopped early.
  private outcome: CallOutcome = 'cancelled';
  private finalError: HyperAgentError | undefined;

  constructor(
    private readonly host: KernelStreamHost,
    private readonly request: InferRequest,
    private readonly context: CallContext,
    private readonly outer: () => ManagedInferenceStream,
  ) {}

  take(): StreamEvent | undefined {
    if (this.ready.length > 0) return this.handOut(this.ready.shift()!);
    if (this.state !== 'streaming') return undefined;
    const event = this.source!.take();
    return event === undefined ? undefined : this.accept(event);
  }

  async fill(): Promise<boolean> {
    for (;;) {
      if (this.ready.length > 0) return true;
      switch (this.state) {
        case 'start':
          await this.start();
          break;
        case 'streaming':
          await this.pull();
          break;
        case 'finishing':
          await this.finish();
          break;
        default:
          return false;
      }
    }
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.ready.length = 0;
    try {
      // Always close the provider's stream: on an early stop this cancels the request, after the
      // last event it lets the provider's own cleanup run.
      await this.source?.close();
    } finally {
      this.host.endCall(this.context, this.outcome, this.finalError);
    }
  }

  private handOut(event: StreamEvent): StreamEvent {
    if (event.type === 'done') this.outcome = 'success';
    else if (event.type === 'error') {
      this.outcome = 'error';
      this.finalError = event.error;
    }
    return event;
  }

  /** A non-terminal event passes `onStreamEvent` and is handed out; a terminal one waits for `finish()`. */
  private accept(event: StreamEvent): StreamEvent | undefined {
    if (event.type === 'done' || event.type === 'error') {
      this.terminal = event;
      this.state = 'finishing';
      return undefined;
    }
    if (this.observe) {
      try {
        this.host.hooks.onStreamEvent.call(event, this.context);
      } catch (error) {
        // A throwing tap ends the stream with its error.
        this.failWith(error);
        return this.take();
      }
    }
    return event;
  }

  private async start(): Promise<void> {
    const { host, context } = this;
    const hooks = host.hooks;
    this.observe = hooks.onStreamEvent.isUsed();
    try {
      validateMessages(this.request.messages, this.request.tools, host.inner.provider);
      const request = hooks.beforeInfer.isUsed() ? await hooks.beforeInfer.promise(this.request, context) : this.request;
      context.request = request;
      const attempt: Attempt = async () => {
        const stream = host.inner.inferStream(request.messages, request.tools, request.options);
        this.innerStream = stream;
        const source = stream instanceof ManagedInferenceStream ? stream.source() : new IterableSource(stream);
        let event = source.take();
        while (event === undefined && (await source.fill())) event = source.take();
        // An error as the first event fails the attempt, so that retry and routing can act on it.
        if (event?.type === 'error') {
          await source.close();
          // What a failed attempt already cost (OpenRouter reports it) is still charged.
          const usage = event.tokenUsage;
          if (usage && (usage.totalTokens > 0 || usage.reportedCostUsd !== undefined)) host.chargeCost(usage, context.model, context, true);
          throw event.error;
        }
        const first: IteratorResult<StreamEvent> = event === undefined ? { done: true, value: undefined } : { done: false, value: event };
        return { first, iterator: new AttemptIterator(stream, source) } satisfies StreamStart;
      };
      const start = (await host.withAttempts(attempt, context)(context)) as StreamStart;
      // A wrapper may hand back an iterator of its own; then read that one.
      const iterator = start.iterator;
      this.source = iterator instanceof AttemptIterator ? iterator.source : new IterableSource({ [Symbol.asyncIterator]: () => iterator });
      hooks.onNotice.call({ type: 'first-token', afterMs: performance.now() - context.startedAt }, context);
      if (start.first.done) {
        this.state = 'done';
        return;
      }
      this.state = 'streaming';
      const accepted = this.accept(start.first.value);
      if (accepted !== undefined) this.ready.push(accepted);
    } catch (error) {
      this.failWith(error);
    }
  }

  private async pull(): Promise<void> {
    const source = this.source!;
    let more: boolean;
    try {
      more = await source.fill();
    } catch (error) {
      this.failWith(error);
      return;
    }
    if (!more) {
      // The provider's stream stopped without a terminal event; the managed stream around us says so.
      this.state = 'done';
      return;
    }
    const event = source.take();
    if (event === undefined) return;
    const accepted = this.accept(event);
    if (accepted !== undefined) this.ready.push(accepted);
  }

  /** Cost, `afterInfer`, and the event that ends the stream. */
  private async finish(): Promise<void> {
    const { host, context } = this;
    const hooks = host.hooks;
    const event = this.terminal!;
    this.state = 'done';
    try {
      const outer = this.outer();
      const innerMetadata = this.innerStream instanceof ManagedInferenceStream ? this.innerStream.accumulator.metadata : undefined;
      const model = (innerMetadata?.model as string | undefined) ?? context.model;
      if (innerMetadata) Object.assign(outer.accumulator.metadata, innerMetadata, { backend: host.name });
      if (event.type === 'error') {
        if (event.tokenUsage && event.tokenUsage.totalTokens > 0) host.chargeCost(event.tokenUsage, model, context, true);
        const errorEvent: StreamEvent = { ...event, error: host.fail(event.error, context) };
        hooks.onStreamEvent.call(errorEvent, context);
        this.ready.push(errorEvent);
        return;
      }
      const costUsd = host.chargeCost(event.tokenUsage, model, context, false);
      outer.accumulator.metadata.costUsd = costUsd;
      if (hooks.afterInfer.isUsed()) {
        const assembled: InferenceOutput = { ...outer.accumulator.output(), tokenUsage: event.tokenUsage, finishReason: event.finishReason };
        let transformed: InferenceOutput;
        try {
          transformed = await hooks.afterInfer.promise(assembled, context);
        } catch (error) {
          // A veto after the last delta still ends the stream with exactly one terminal event.
          const errorEvent: StreamEvent = { type: 'error', error: host.fail(error, context), tokenUsage: event.tokenUsage };
          hooks.onStreamEvent.call(errorEvent, context);
          this.ready.push(errorEvent);
          return;
        }
        outer.overrideOutput(transformed);
      }
      hooks.onStreamEvent.call(event, context);
      this.ready.push(event);
    } catch (error) {
      this.ready.length = 0;
      this.failWith(error);
    }
  }

  /** End the stream with `error`: `onError`, then one `error` event. */
  private failWith(error: unknown): void {
    const typed = this.host.fail(error, this.context);
    this.state = 'done';
    this.outcome = 'error';
    this.finalError = typed;
    const event: StreamEvent = { type: 'error', error: typed, tokenUsage: this.outer().accumulator.tokenUsage };
    if (this.observe) this.host.hooks.onStreamEvent.call(event, this.context);
    this.ready.push(event);
  }
}
