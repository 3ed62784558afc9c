import { InvalidResponseError, ToolArgumentsError, toHyperAgentError, type HyperAgentError } from '../../core/errors.js';
import type { PullSource } from '../../core/pull-source.js';
import type { HeaderMap } from '../../core/rate-limit-headers.js';
import { TransformedSource, transformIterable, type StreamTransform } from '../../core/stream-transform.js';
import { parseToolArguments } from '../../core/tool-call-assembler.js';
import type { StreamEvent } from '../../core/types.js';
import type { BedrockStreamPayloads, BedrockUsage, EventStreamMessage } from './bedrock-converse-api.js';
import { bedrockError, bedrockRequestId, type BedrockErrorContext } from './bedrock-converse-errors.js';
import { convertBedrockConverseUsage } from './convert-bedrock-converse-usage.js';
import { EventStreamDecoder, loadEventStreamCodec } from './event-stream-decoder.js';
import { mapBedrockConverseStopReason } from './map-bedrock-converse-stop-reason.js';

export interface BedrockConverseStreamContext extends BedrockErrorContext {
  /** Filled in as the stream runs: `rawFinishReason`, `latencyMs`, `trace`. */
  readonly metadata: Record<string, unknown>;
  /** The HTTP response headers, for the request id of a mid-stream exception. */
  readonly headers?: HeaderMap;
}

interface OpenTool {
  readonly id: string;
  readonly name: string;
  readonly chunks: string[];
}

const decoder = new TextDecoder();

/**
 * ConverseStream bytes → our stream events, in one pass: the event-stream frames are decoded as
 * the bytes arrive (any split), then each event is mapped. Usage comes in `metadata`, *after*
 * `messageStop` (SOURCES.md, Bedrock quirks), so `done` is sent at `metadata`, not at the stop.
 * Ends with exactly one `done` or one `error` (an exception frame, a bad checksum, a bad tool
 * input, or a wire that ends before the answer did). Synchronous (core/stream-transform.ts).
 */
export class BedrockConverseStreamTransform implements StreamTransform<Uint8Array, StreamEvent> {
  finished = false;
  private readonly frames: EventStreamDecoder;
  private readonly messages: EventStreamMessage[] = [];
  private readonly tools = new Map<number, OpenTool>();
  private toolCount = 0;
  private stopped = false;
  private stopReason: string | undefined;

  constructor(private readonly context: BedrockConverseStreamContext) {
    this.frames = new EventStreamDecoder(context.provider);
  }

  push(chunk: Uint8Array, out: StreamEvent[]): void {
    if (this.finished) return;
    const messages = this.messages;
    messages.length = 0;
    try {
      this.frames.push(chunk, messages);
    } catch (error) {
      // The frames before the bad one are good: their events go out first.
      this.handleAll(messages, out);
      this.fail(error, out);
      return;
    }
    this.handleAll(messages, out);
  }

  end(out: StreamEvent[]): void {
    if (this.finished) return;
    if (this.stopped && this.frames.pendingBytes === 0) {
      // The answer is whole (`messageStop` came) but its usage did not: finish without counts.
      const warnings = (this.context.metadata.warnings as string[] | undefined) ?? [];
      this.context.metadata.warnings = [...warnings, `${this.context.provider} ended the stream after messageStop without its metadata event: the usage is unknown.`];
      this.finish(undefined, out);
      return;
    }
    const cut = this.frames.pendingBytes > 0 ? ` in the middle of a frame (${this.frames.pendingBytes} bytes of it arrived)` : ' before messageStop';
    this.fail(
      new InvalidResponseError(`The ${this.context.provider} stream ended${cut}: the connection closed early, so the answer is incomplete. Retry the request.`, {
        provider: this.context.provider,
        retryable: true,
      }),
      out,
    );
  }

  fail(error: unknown, out: StreamEvent[]): void {
    if (this.finished) return;
    this.finished = true;
    const typed: HyperAgentError = error instanceof ToolArgumentsError ? error : toHyperAgentError(error, this.context.provider);
    out.push({ type: 'error', error: typed });
  }

  private handleAll(messages: readonly EventStreamMessage[], out: StreamEvent[]): void {
    for (let i = 0; i < messages.length && !this.finished; i += 1) {
      try {
        this.handle(messages[i], out);
      } catch (error) {
        this.fail(error, out);
      }
    }
  }

  private handle(message: EventStreamMessage, out: StreamEvent[]): void {
    const kind = message.headers[':message-type'];
    if (kind === 'exception' || kind === 'error') {
      this.fail(this.exception(message), out);
      return;
    }
    const type = message.headers[':event-type'];
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(decoder.decode(message.body)) as Record<string, unknown>;
      if (typeof payload !== 'object' || payload === null) throw new TypeError('not an object');
    } catch (error) {
      throw new InvalidResponseError(`${this.context.provider} sent a "${type ?? 'unnamed'}" event whose payload is not a JSON object. Retry the request.`, {
        provider: this.context.provider,
        cause: error,
      });
    }
    switch (type) {
      case 'contentBlockDelta':
        this.delta(payload as BedrockStreamPayloads['contentBlockDelta'], out);
        break;
      case 'contentBlockStart': {
        const { contentBlockIndex, start } = payload as BedrockStreamPayloads['contentBlockStart'];
        const use = start?.toolUse;
        if (!use) break;
        const id = typeof use.toolUseId === 'string' && use.toolUseId !== '' ? use.toolUseId : `tooluse_${this.toolCount}`;
        const tool: OpenTool = { id, name: typeof use.name === 'string' ? use.name : 'unknown', chunks: [] };
        this.tools.set(contentBlockIndex ?? 0, tool);
        out.push({ type: 'tool-call-start', id: tool.id, name: tool.name, index: this.toolCount });
        this.toolCount += 1;
        break;
      }
      case 'contentBlockStop':
        this.closeTool((payload as BedrockStreamPayloads['contentBlockStop']).contentBlockIndex ?? 0, out);
        break;
      case 'messageStop': {
        const stop = payload as BedrockStreamPayloads['messageStop'];
        for (const index of [...this.tools.keys()]) this.closeTool(index, out);
        this.stopped = true;
        if (typeof stop.stopReason === 'string') {
          this.stopReason = stop.stopReason;
          this.context.metadata.rawFinishReason = stop.stopReason;
        }
        if (stop.additionalModelResponseFields !== undefined) this.context.metadata.additionalModelResponseFields = stop.additionalModelResponseFields;
        break;
      }
      case 'metadata': {
        const meta = payload as BedrockStreamPayloads['metadata'];
        if (typeof meta.metrics?.latencyMs === 'number') this.context.metadata.latencyMs = meta.metrics.latencyMs;
        if (meta.trace !== undefined) this.context.metadata.trace = meta.trace;
        this.finish(meta.usage, out);
        break;
      }
      default:
        // `messageStart`, and event types newer than this code.
        break;
    }
  }

  private delta(event: BedrockStreamPayloads['contentBlockDelta'], out: StreamEvent[]): void {
    const delta = event.delta;
    if (!delta) return;
    if (typeof delta.text === 'string') {
      if (delta.text !== '') out.push({ type: 'text-delta', text: delta.text });
    } else if (delta.toolUse) {
      const tool = this.tools.get(event.contentBlockIndex ?? 0);
      const input = delta.toolUse.input;
      if (tool && typeof input === 'string' && input !== '') {
        tool.chunks.push(input);
        out.push({ type: 'tool-call-delta', id: tool.id, argumentsDelta: input });
      }
    } else if (delta.reasoningContent) {
      const { text, signature, redactedContent } = delta.reasoningContent;
      if (typeof text === 'string' && text !== '') out.push({ type: 'reasoning-delta', text });
      if (typeof signature === 'string' && signature !== '') out.push({ type: 'reasoning-signature', signature });
      if (typeof redactedContent === 'string' && redactedContent !== '') out.push({ type: 'reasoning-redacted', data: redactedContent });
    }
  }

  private closeTool(index: number, out: StreamEvent[]): void {
    const tool = this.tools.get(index);
    if (!tool) return;
    this.tools.delete(index);
    // A bad input throws ToolArgumentsError, which becomes the stream's error.
    out.push({ type: 'tool-call-end', id: tool.id, toolCall: parseToolArguments(tool.name, tool.id, tool.chunks.join(''), this.context.provider) });
  }

  private finish(usage: BedrockUsage | undefined, out: StreamEvent[]): void {
    this.finished = true;
    out.push({ type: 'done', tokenUsage: convertBedrockConverseUsage(usage), finishReason: mapBedrockConverseStopReason(this.stopReason) });
  }

  /** An exception frame (`:exception-type`, `{"message"}` payload) or an error frame (`:error-code`, `:error-message`). */
  private exception(message: EventStreamMessage): HyperAgentError {
    const type = message.headers[':exception-type'] ?? message.headers[':error-code'] ?? 'UnknownException';
    let text = message.headers[':error-message'];
    if (text === undefined) {
      try {
        const parsed = JSON.parse(decoder.decode(message.body)) as { message?: unknown; Message?: unknown };
        const value = parsed.message ?? parsed.Message;
        if (typeof value === 'string') text = value;
      } catch {
        // No readable message: the type alone says what failed.
      }
    }
    const requestId = this.context.headers ? bedrockRequestId(this.context.headers) : undefined;
    return bedrockError(type, text, { provider: this.context.provider, providerCode: type, requestId }, this.context, 'sent an exception mid-stream');
  }
}

/** ConverseStream response bytes → stream events, as a pull source (no promise per event). Call `loadEventStreamCodec()` first. */
export function bedrockConverseStreamSource(bytes: PullSource<Uint8Array>, context: BedrockConverseStreamContext): PullSource<StreamEvent> {
  return new TransformedSource(bytes, new BedrockConverseStreamTransform(context));
}

/** The same transform over any async iterable of byte chunks, as an async generator. */
export async function* transformBedrockConverseStream(bytes: AsyncIterable<Uint8Array>, context: BedrockConverseStreamContext): AsyncGenerator<StreamEvent> {
  await loadEventStreamCodec();
  yield* transformIterable(bytes, new BedrockConverseStreamTransform(context));
}
