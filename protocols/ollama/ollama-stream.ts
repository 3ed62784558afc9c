import { InvalidResponseError, toHyperAgentError } from '../../core/errors.js';
import type { PullSource } from '../../core/pull-source.js';
import { TransformedSource, transformIterable, type StreamTransform } from '../../core/stream-transform.js';
import type { StreamEvent } from '../../core/types.js';
import type { OllamaChatChunk } from './ollama-api.js';
import { convertOllamaUsage, ollamaTimings } from './convert-ollama-usage.js';
import { mapOllamaDoneReason } from './map-ollama-done-reason.js';
import { ollamaErrorLine, ollamaInvalidJson } from './ollama-errors.js';
import { NdjsonLineSource } from './ndjson-line-source.js';
import { convertOllamaToolCall } from './ollama-tool-calls.js';

export interface OllamaStreamContext {
  readonly provider: string;
  /** Filled in while the stream runs: `model`, `rawFinishReason`, `timings`. */
  readonly metadata: Record<string, unknown>;
}

/**
 * `/api/chat` NDJSON lines → stream events: `message.content` is text, `message.thinking` reasoning,
 * `message.tool_calls` whole calls; the `done: true` line has `done_reason` and the counts. A line
 * `{"error": …}` ends the stream with that error. Synchronous (core/stream-transform.ts); `push`
 * never throws; exactly one `done` or `error`, also when the body ends before the `done` line.
 */
export class OllamaStreamTransform implements StreamTransform<string, StreamEvent> {
  finished = false;
  private calls = 0;

  constructor(private readonly context: OllamaStreamContext) {}

  push(line: string, out: StreamEvent[]): void {
    if (this.finished) return;
    let chunk: OllamaChatChunk;
    try {
      chunk = JSON.parse(line) as OllamaChatChunk;
      if (typeof chunk !== 'object' || chunk === null) throw new TypeError('not an object');
    } catch (error) {
      this.fail(ollamaInvalidJson(this.context.provider, line, error), out);
      return;
    }
    try {
      this.pushChunk(chunk, out);
    } catch (error) {
      this.fail(error, out);
    }
  }

  /** A chunk already parsed: a non-streamed answer is one. */
  pushChunk(chunk: OllamaChatChunk, out: StreamEvent[]): void {
    const { provider, metadata } = this.context;
    if (typeof chunk.error === 'string') {
      this.fail(ollamaErrorLine(provider, chunk.error), out);
      return;
    }
    if (typeof chunk.model === 'string' && chunk.model !== '') metadata.model = chunk.model;
    const message = chunk.message;
    if (typeof message?.thinking === 'string' && message.thinking !== '') out.push({ type: 'reasoning-delta', text: message.thinking });
    if (typeof message?.content === 'string' && message.content !== '') out.push({ type: 'text-delta', text: message.content });
    for (const call of message?.tool_calls ?? []) {
      const toolCall = convertOllamaToolCall(call, this.calls, provider);
      out.push({ type: 'tool-call-start', id: toolCall.id, name: toolCall.name, index: this.calls });
      if (toolCall.rawArguments !== '') out.push({ type: 'tool-call-delta', id: toolCall.id, argumentsDelta: toolCall.rawArguments });
      out.push({ type: 'tool-call-end', id: toolCall.id, toolCall });
      this.calls += 1;
    }
    if (chunk.done !== true) return;
    if (chunk.done_reason) metadata.rawFinishReason = chunk.done_reason;
    const timings = ollamaTimings(chunk);
    if (timings) metadata.timings = timings;
    this.finished = true;
    out.push({ type: 'done', tokenUsage: convertOllamaUsage(chunk), finishReason: mapOllamaDoneReason(chunk.done_reason, this.calls > 0) });
  }

  end(out: StreamEvent[]): void {
    if (this.finished) return;
    this.fail(
      new InvalidResponseError(`The ${this.context.provider} stream ended before its "done": true line: the connection closed early, so the answer is incomplete. Retry the request.`, {
        provider: this.context.provider,
        retryable: true,
      }),
      out,
    );
  }

  fail(error: unknown, out: StreamEvent[]): void {
    if (this.finished) return;
    this.finished = true;
    out.push({ type: 'error', error: toHyperAgentError(error, this.context.provider) });
  }
}

/** Body bytes → NDJSON lines → stream events, on the pull-source chain (no promise per line). */
export function ollamaStreamSource(bytes: PullSource<Uint8Array>, context: OllamaStreamContext): PullSource<StreamEvent> {
  return new TransformedSource(new NdjsonLineSource(bytes), new OllamaStreamTransform(context));
}

/** The same over any source of byte chunks, as an async generator, for callers outside the chain. */
export function transformOllamaStream(bytes: PullSource<Uint8Array>, context: OllamaStreamContext): AsyncGenerator<StreamEvent> {
  return transformIterable(new NdjsonLineSource(bytes), new OllamaStreamTransform(context));
}
