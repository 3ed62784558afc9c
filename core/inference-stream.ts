import { AbortError, InvalidResponseError, toHyperAgentError } from './errors.js';
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
 * Turns a producer of events into an `InferenceStream` and enforces the contract every stream
 * keeps: one consumer, nothing after the terminal event, and exactly one `done` or `error` at the
 * end even when the producer throws or just stops.
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
    private readonly produce: () => AsyncIterable<StreamEvent>,
    private readonly init: InferenceStreamInit,
  ) {
    const metadata = (init.metadata ?? {}) as Record<string, unknown> & { provider: string; model: string };
    metadata.provider ??= init.provider;
    metadata.model ??= init.model;
    this.accumulator = new StreamAccumulator(metadata);
  }

  [Symbol.asyncIterator](): AsyncIterator<StreamEvent> {
    if (this.started) throw new TypeError('This stream is already being consumed: an InferenceStream has one consumer.');
    this.started = true;
    return this.events()[Symbol.asyncIterator]();
  }

  private async *events(): AsyncGenerator<StreamEvent> {
    const accumulator = this.accumulator;
    const emit = (event: StreamEvent): StreamEvent => {
      accumulator.add(event);
      return event;
    };
    try {
      if (this.init.signal?.aborted) {
        yield emit({ type: 'error', error: new AbortError(undefined, { provider: this.init.provider }), tokenUsage: accumulator.tokenUsage });
        return;
      }
      for await (const event of this.produce()) {
        yield emit(event);
        if (event.type === 'done' || event.type === 'error') return;
      }
      yield emit({
        type: 'error',
        error: new InvalidResponseError(
          `The ${this.init.provider} stream ended without a final event: the connection closed early. Retry the request.`,
          { provider: this.init.provider, retryable: true },
        ),
        tokenUsage: accumulator.tokenUsage,
      });
    } catch (error) {
      if (accumulator.finished) return;
      yield emit({ type: 'error', error: toHyperAgentError(error, this.init.provider), tokenUsage: accumulator.tokenUsage });
    } finally {
      this.resolveEnded();
    }
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
