import { validateMessages } from './validate-messages.js';
import { AbortError, type HyperAgentError } from './errors.js';
import type { CallOutcome, DeniedToolCall, InferRequest, StreamStart } from './hooks.js';
import { reviewedFinishReason, type Call } from './call.js';
import { ManagedInferenceStream } from './inference-stream.js';
import { IterableSource, SourceIterator, type PullSource } from './pull-source.js';
import type { InferenceOutput, InferenceStream, LLMBackend, OutputMetadata, StreamEvent } from './types.js';
import { HeldToolCalls } from './held-tool-calls.js';
import { isValidStreamEvent } from './validate-stream-event.js';

type TerminalEvent = Extract<StreamEvent, { type: 'done' | 'error' }>;
type Filled = { readonly more: boolean } | { readonly error: unknown };

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
 * events, each passed to `onStreamEvent` as the consumer takes it; tool calls held for
 * `reviewToolCall` when a plugin reviews them; at the terminal event the charge, `afterInfer`
 * and the final event. Closed early, the call is charged what it used and ends `cancelled`.
 *
 * A pull source, so events the provider already holds pass through without a promise per event;
 * the consumer's `for await` over the `ManagedInferenceStream` around it pays the one promise.
 */
export class CallStream implements PullSource<StreamEvent> {
  private state: 'start' | 'streaming' | 'finishing' | 'done' | 'closed' = 'start';
  private source: PullSource<StreamEvent> | undefined;
  private innerStream: InferenceStream | undefined;
  /** Events past every hook, waiting to be handed out. */
  private readonly ready: StreamEvent[] = [];
  private terminal: TerminalEvent | undefined;
  private observe = false;
  /** Tool calls waiting for their review; `undefined` when no plugin reviews them. */
  private held: HeldToolCalls | undefined;
  /** The provider's `fill()` still in progress while a review may finish first. */
  private filling: Promise<Filled> | undefined;
  // Until a terminal event is handed out, closing means the consumer stopped early.
  private outcome: CallOutcome = 'cancelled';
  private finalError: HyperAgentError | undefined;
  /** Made once, not per event. */
  private readonly failMalformed = (error: unknown): void => this.failWith(error);

  constructor(
    private readonly call: Call,
    private readonly backendName: string,
    private readonly inner: LLMBackend,
    private readonly request: InferRequest,
    private readonly outer: () => ManagedInferenceStream,
  ) {}

  take(): StreamEvent | undefined {
    for (;;) {
      if (this.ready.length > 0) return this.handOut(this.ready.shift()!);
      if (this.state !== 'streaming') return undefined;
      const event = this.source!.take();
      if (event === undefined) return undefined;
      const accepted = this.accept(event);
      if (accepted !== undefined) return this.handOut(accepted);
    }
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
    this.held?.discard();
    try {
      // Always close the provider's stream: on an early stop this cancels the request, after the
      // last event it lets the provider's own cleanup run.
      await this.source?.close();
    } finally {
      // A consumer that stopped early (or a gateway client that went away) still pays for what the
      // provider counted: the usage it reported so far, else the estimated prompt.
      if (this.outcome === 'cancelled') this.call.charge('cancelled', undefined, { endedBy: new AbortError('The stream was closed by its consumer.') });
      this.call.end(this.outcome, this.finalError);
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

  /**
   * A non-terminal event passes `onStreamEvent` and is handed out, unless it is a tool call held
   * for review or a `usage` report (kept for the charge); a terminal one waits for `finish()`.
   */
  private accept(event: StreamEvent): StreamEvent | undefined {
    // Text deltas are nearly every event: their one check inline, the rest through the full one.
    if (!(event.type === 'text-delta' && typeof event.text === 'string') && !isValidStreamEvent(event, this.inner.provider, this.failMalformed)) return undefined;
    switch (event.type) {
      case 'done':
      case 'error':
        this.terminal = event;
        this.state = 'finishing';
        return undefined;
      case 'usage':
        this.call.reportUsage(event.tokenUsage);
        return undefined;
      case 'tool-call-start':
      case 'tool-call-delta':
      case 'tool-call-end':
        if (this.held !== undefined && this.held.hold(event)) return undefined;
        break;
      default:
        break;
    }
    return this.observed(event);
  }

  private observed(event: StreamEvent): StreamEvent | undefined {
    if (this.observe) {
      try {
        this.call.kernel.hooks.onStreamEvent.call(event, this.call);
      } catch (error) {
        // A throwing tap ends the stream with its error.
        this.failWith(error);
        return undefined;
      }
    }
    return event;
  }

  /** Tool-call events whose review allowed them, in order, past `onStreamEvent`. */
  private releaseHeld(events: readonly StreamEvent[]): void {
    for (const event of events) {
      const observed = this.observed(event);
      if (observed === undefined) return;
      this.ready.push(observed);
    }
  }

  private async start(): Promise<void> {
    const { call } = this;
    const hooks = call.kernel.hooks;
    this.observe = hooks.onStreamEvent.isUsed();
    if (call.reviewsToolCalls) this.held = new HeldToolCalls(call, (events) => this.releaseHeld(events));
    try {
      validateMessages(this.request.messages, this.request.tools, this.inner.provider);
      const request = hooks.beforeInfer.isUsed() ? await hooks.beforeInfer.promise(this.request, call) : this.request;
      call.request = request;
      const attempt = async (): Promise<StreamStart> => {
        const stream = this.inner.inferStream(request.messages, request.tools, request.options);
        this.innerStream = stream;
        // The provider's own stream keeps its contract but not a second copy of the answer: the
        // stream the consumer holds is the one that accumulates.
        const source = stream instanceof ManagedInferenceStream ? stream.source({ accumulate: false }) : new IterableSource(stream);
        let event = source.take();
        while (event === undefined || event.type === 'usage') {
          if (event !== undefined) call.reportUsage(event.tokenUsage);
          if (!(await source.fill())) break;
          event = source.take();
        }
        // An error as the first event fails the attempt, so that retry and routing can act on it;
        // what it already cost (OpenRouter reports it) is charged with the call.
        if (event?.type === 'error') {
          await source.close();
          call.reportUsage(event.tokenUsage);
          throw event.error;
        }
        const first: IteratorResult<StreamEvent> = event === undefined ? { done: true, value: undefined } : { done: false, value: event };
        const metadata = stream instanceof ManagedInferenceStream ? (stream.accumulator.metadata as Partial<OutputMetadata>) : undefined;
        return { first, iterator: new AttemptIterator(stream, source), metadata };
      };
      const start = (await call.attempts(attempt)(call)) as StreamStart;
      // The request id is known with the headers: a gateway sends it back before the answer is whole.
      const requestId = start.metadata?.requestId;
      if (typeof requestId === 'string') this.outer().accumulator.metadata.requestId ??= requestId;
      // A wrapper may hand back an iterator of its own; then read that one.
      const iterator = start.iterator;
      this.source = iterator instanceof AttemptIterator ? iterator.source : new IterableSource({ [Symbol.asyncIterator]: () => iterator });
      if (hooks.onNotice.isUsed()) hooks.onNotice.call({ type: 'first-token', afterMs: performance.now() - call.startedAt }, call);
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
    this.filling ??= source.fill().then(
      (more): Filled => ({ more }),
      (error: unknown): Filled => ({ error }),
    );
    // While a tool call is being reviewed, its decision may come before the provider's next event.
    const filled = this.held?.reviewing ? await Promise.race([this.filling, this.held.decided()]) : await this.filling;
    if (filled === undefined) return;
    this.filling = undefined;
    if ('error' in filled) {
      this.failWith(filled.error);
      return;
    }
    if (!filled.more) {
      // The provider's stream stopped without a terminal event; the managed stream around us says so.
      this.state = 'done';
      this.call.charge('error', undefined, { endedBy: new AbortError('The stream ended early.') });
      return;
    }
    const event = source.take();
    if (event === undefined) return;
    const accepted = this.accept(event);
    if (accepted !== undefined) this.ready.push(accepted);
  }

  /** Reviews, the charge, `afterInfer`, and the event that ends the stream. */
  private async finish(): Promise<void> {
    const { call } = this;
    const hooks = call.kernel.hooks;
    const event = this.terminal!;
    this.state = 'done';
    try {
      const outer = this.outer();
      const innerMetadata = this.innerStream instanceof ManagedInferenceStream ? this.innerStream.accumulator.metadata : undefined;
      const model = (innerMetadata?.model as string | undefined) ?? call.model;
      if (innerMetadata) Object.assign(outer.accumulator.metadata, innerMetadata, { backend: this.backendName });
      if (event.type === 'error') {
        this.held?.discard();
        call.charge('error', event.tokenUsage, { model, endedBy: event.error });
        const errorEvent: StreamEvent = { ...event, tokenUsage: call.sanitize(event.tokenUsage), error: call.fail(event.error) };
        if (this.observe) hooks.onStreamEvent.call(errorEvent, call);
        this.ready.push(errorEvent);
        return;
      }
      let released = 0;
      let denied: readonly DeniedToolCall[] = [];
      if (this.held !== undefined) {
        // `done` waits for every review; a call the stream never finished is dropped.
        await this.held.settle();
        released = this.held.released;
        denied = this.held.denied;
        if (denied.length > 0) outer.accumulator.metadata.deniedToolCalls = denied;
      } else {
        released = 1;
      }
      const tokenUsage = call.sanitize(event.tokenUsage);
      const finishReason = this.held === undefined ? event.finishReason : reviewedFinishReason(event.finishReason, released);
      const done: StreamEvent = tokenUsage === event.tokenUsage && finishReason === event.finishReason ? event : { ...event, tokenUsage, finishReason };
      outer.accumulator.metadata.costUsd = call.charge('success', tokenUsage, { model });
      if (hooks.afterInfer.isUsed()) {
        // The consumer's stream already holds the released events: the reviewed calls, as they went out.
        const assembled: InferenceOutput = { ...outer.accumulator.output(), tokenUsage, finishReason };
        let transformed: InferenceOutput;
        try {
          transformed = await hooks.afterInfer.promise(assembled, call);
        } catch (error) {
          // A veto after the last delta still ends the stream with exactly one terminal event.
          const errorEvent: StreamEvent = { type: 'error', error: call.fail(error), tokenUsage };
          if (this.observe) hooks.onStreamEvent.call(errorEvent, call);
          this.ready.push(errorEvent);
          return;
        }
        outer.overrideOutput(transformed);
      }
      if (this.observe) hooks.onStreamEvent.call(done, call);
      this.ready.push(done);
    } catch (error) {
      this.ready.length = 0;
      this.failWith(error);
    }
  }

  /** End the stream with `error`: the charge, `onError`, then one `error` event. */
  private failWith(error: unknown): void {
    this.held?.discard();
    this.call.charge('error', undefined, { endedBy: error });
    const typed = this.call.fail(error);
    this.state = 'done';
    this.outcome = 'error';
    this.finalError = typed;
    const event: StreamEvent = { type: 'error', error: typed, tokenUsage: this.outer().accumulator.tokenUsage };
    if (this.observe) this.call.kernel.hooks.onStreamEvent.call(event, this.call);
    this.ready.push(event);
  }
}
