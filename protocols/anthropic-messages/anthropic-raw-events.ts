import type { SseEvent } from '../../core/http.js';
import type { PullSource } from '../../core/pull-source.js';
import { TransformedSource, type StreamTransform } from '../../core/stream-transform.js';
import type { StreamEvent } from '../../core/types.js';
import { AnthropicStreamTransform, type AnthropicStreamContext } from './anthropic-stream.js';

/**
 * The SSE events of one Anthropic stream as they came, kept while the same events are turned into
 * stream events for the kernel: a front end that speaks Anthropic itself writes these back byte for
 * byte, paced by the kernel's events (so nothing the kernel has not passed goes out early).
 */
export class AnthropicRawEvents {
  private readonly events: SseEvent[] = [];

  record(event: SseEvent): void {
    this.events.push(event);
  }

  /** Every event recorded since the last call. */
  drain(): SseEvent[] {
    return this.events.splice(0);
  }
}

class RecordingTransform implements StreamTransform<SseEvent, StreamEvent> {
  constructor(
    private readonly inner: AnthropicStreamTransform,
    private readonly raw: AnthropicRawEvents,
  ) {}

  get finished(): boolean {
    return this.inner.finished;
  }

  push(event: SseEvent, out: StreamEvent[]): void {
    if (!this.inner.finished) this.raw.record(event);
    this.inner.push(event, out);
  }

  end(out: StreamEvent[]): void {
    this.inner.end(out);
  }

  fail(error: unknown, out: StreamEvent[]): void {
    this.inner.fail(error, out);
  }
}

/** `anthropicStreamSource`, also keeping every SSE event in `raw`. */
export function recordedAnthropicStreamSource(events: PullSource<SseEvent>, context: AnthropicStreamContext, raw: AnthropicRawEvents): PullSource<StreamEvent> {
  return new TransformedSource(events, new RecordingTransform(new AnthropicStreamTransform(context), raw));
}
