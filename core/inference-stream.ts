import { AbortError, InvalidResponseError, toHyperAgentError } from './errors.js';
import { IterableSource, isPullSource, SourceIterator, type PullSource } from './pull-source.js';
import { StreamAccumulator } from './stream-accumulator.js';
import type { InferenceOutput, InferenceStream, StreamEvent } from './types.js';

export interface InferenceStreamInit {
  readonly provider: string;
  readonly model: string;
  /** Metadata the producer may keep filling in while the stream runs. */
  readonly metadata?: Record<string, unknown>;
  readonly signal?: AbortSignal;
}

/**
 * The upstream's request id of a stream, once its provider has it (when the response headers came,
 * before the first event): what a gateway sends back as `x-upstream-request-id` before it has the
 * whole answer. Undefined for a stream that keeps no metadata, or before the headers came.
 */
export function streamRequestId(stream: InferenceStream): string | undefined {
  if (!(stream instanceof ManagedInferenceStream)) return undefined;
  const id = stream.accumulator.metadata.requestId;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/**
 * Turns a producer of events into an `InferenceStream` and enforces the contract every stream
 * keeps: one consumer, nothing after the terminal event, and exactly one `done` or `error` at the
 * end even when the producer throws or just stops.
 *
 * The producer is an async iterable (an async generator, typically) or, on the hot paths of the
 * built-in providers and the kernel, a `PullSource`: events it already holds then reach the consumer
 * without a promise per layer.
 */
export class ManagedInferenceStream implements InferenceStream {
  readonly accumulator: StreamAccumulator;
  private started = false;
  private overridden: InferenceOutput | undefined;
  private completion: Promise<void> | undefined;
  private resolveEnded!: () => void;
  /** Settles when the producer is finished with, however the consumer left. */
  private readonly ended = new Promise<void>((resolve) => {
    this.resolveEnded = resolve;
  });

  constructor(
    private readonly produce: () => AsyncIterable<StreamEvent> | PullSource<StreamEvent>,
    private readonly init: InferenceStreamInit,
  ) {
    const metadata = (init.metadata ?? {}) as Record<string, unknown> & { provider: string; model: string };
    metadata.provider ??= init.provider;
    metadata.model ??= init.model;
    this.accumulator = new StreamAccumulator(metadata);
  }

  [Symbol.asyncIterator](): AsyncIterator<StreamEvent> {
    return new SourceIterator(this.source());
  }

  /**
   * The stream as a pull source, for a reader that wraps it (the kernel). Like iterating, this
   * claims the one consumer. `accumulate: false` for a reader that assembles the answer itself:
   * then `output()` of this stream has nothing to give.
   */
  source(options: { readonly accumulate?: boolean } = {}): PullSource<StreamEvent> {
    if (this.started) throw new TypeError('This stream is already being consumed: an InferenceStream has one consumer.');
    this.started = true;
    return new ManagedSource(this.produce, this.init, options.accumulate === false ? undefined : this.accumulator, this.resolveEnded);
  }

  output(): Promise<InferenceOutput> {
    this.completion ??= (async () => {
      if (!this.started) for await (const _event of this) void _event;
      else await this.ended;
    })();
    return this.completion.then(() => {
      if (this.accumulator.error) throw this.accumulator.error;
      if (!this.accumulator.finished) {
        throw new AbortError('The stream was not read to its end: its consumer stopped early, so there is no final output.', { provider: this.init.provider });
      }
      return this.overridden ?? this.accumulator.output();
    });
  }

  /** Replace what `output()` resolves to (the kernel's `afterInfer` result). */
  overrideOutput(output: InferenceOutput): void {
    this.overridden = output;
  }
}

function isTerminal(event: StreamEvent): boolean {
  return event.type === 'done' || event.type === 'error';
}

/** The contract of `ManagedInferenceStream`, kept one event at a time as the reader takes them. */
class ManagedSource implements PullSource<StreamEvent> {
  private upstream: PullSource<StreamEvent> | undefined;
  private state: 'new' | 'open' | 'terminal' | 'closed' = 'new';
  /** An event of our own to hand out next: an abort, the producer's failure, a missing terminal event. */
  private own: StreamEvent | undefined;

  constructor(
    private readonly produce: () => AsyncIterable<StreamEvent> | PullSource<StreamEvent>,
    private readonly init: InferenceStreamInit,
    private readonly accumulator: StreamAccumulator | undefined,
    private readonly onEnded: () => void,
  ) {}

  take(): StreamEvent | undefined {
    if (this.own !== undefined) {
      const own = this.own;
      this.own = undefined;
      return this.emit(own);
    }
    if (this.state !== 'open') return undefined;
    let event: StreamEvent | undefined;
    try {
      event = this.upstream!.take();
    } catch (error) {
      return this.emit(this.failure(error));
    }
    return event === undefined ? undefined : this.emit(event);
  }

  async fill(): Promise<boolean> {
    if (this.own !== undefined) return true;
    if (this.state === 'new') {
      this.state = 'open';
      if (this.init.signal?.aborted) {
        this.own = { type: 'error', error: new AbortError(undefined, { provider: this.init.provider }), tokenUsage: this.accumulator?.tokenUsage };
        return true;
      }
      try {
        const produced = this.produce();
        this.upstream = isPullSource<StreamEvent>(produced) ? produced : new IterableSource(produced);
      } catch (error) {
        this.own = this.failure(error);
        return true;
      }
    }
    if (this.state !== 'open') return false;
    try {
      if (await this.upstream!.fill()) return true;
    } catch (error) {
      if (this.state !== 'open') return false;
      this.own = this.failure(error);
      return true;
    }
    if (this.state !== 'open') return false;
    this.own = {
      type: 'error',
      error: new InvalidResponseError(`The ${this.init.provider} stream ended without a final event: the connection closed early. Retry the request.`, {
        provider: this.init.provider,
        retryable: true,
      }),
      tokenUsage: this.accumulator?.tokenUsage,
    };
    return true;
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    const finished = this.state === 'terminal';
    this.state = 'closed';
    this.own = undefined;
    try {
      await this.upstream?.close();
    } catch (error) {
      // After the terminal event the consumer has its answer; a failing cleanup must not replace it.
      if (!finished) throw error;
    } finally {
      this.onEnded();
    }
  }

  private emit(event: StreamEvent): StreamEvent {
    this.accumulator?.add(event);
    if (isTerminal(event)) this.state = 'terminal';
    return event;
  }

  private failure(error: unknown): StreamEvent {
    return { type: 'error', error: toHyperAgentError(error, this.init.provider), tokenUsage: this.accumulator?.tokenUsage };
  }
}
