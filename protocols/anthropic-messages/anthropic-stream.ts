import { InvalidResponseError, ToolArgumentsError, toHyperAgentError, type HyperAgentError } from '../../core/errors.js';
import type { SseEvent } from '../../core/http.js';
import type { PullSource } from '../../core/pull-source.js';
import { TransformedSource, transformIterable, type StreamTransform } from '../../core/stream-transform.js';
import type { HeaderMap } from '../../core/rate-limit-headers.js';
import { parseToolArguments } from '../../core/tool-call-assembler.js';
import type { StreamEvent, TokenUsage } from '../../core/types.js';
import type { AnthropicResponseBlock, AnthropicStreamChunk, AnthropicUsage } from './anthropic-api.js';
import { ANTHROPIC_PROVIDER, anthropicStreamError } from './anthropic-errors.js';
import { convertAnthropicUsage, mergeAnthropicUsage } from './convert-anthropic-usage.js';
import { plainTextDelta } from './anthropic-text-delta.js';
import { mapAnthropicStopReason } from './map-anthropic-stop-reason.js';

export interface AnthropicStreamContext {
  /** Filled in as the stream runs: `responseId`, `model`, `rawFinishReason`. */
  readonly metadata: Record<string, unknown>;
  /** The HTTP response headers, for the request id and rate limits of a mid-stream error. */
  readonly headers?: HeaderMap;
}

type OpenBlock =
  | { readonly kind: 'text' }
  | { readonly kind: 'thinking' }
  | { readonly kind: 'tool'; readonly id: string; readonly name: string; readonly chunks: string[]; readonly initialInput: unknown }
  | { readonly kind: 'other' };

/**
 * Anthropic Messages SSE → our stream events, in one pass. Ends with exactly one `done` (at
 * `message_stop`) or one `error` (an `event: error`, a malformed event, a bad tool input, or a
 * stream that stops before `message_stop`); errors carry the usage reported so far. Synchronous,
 * one SSE event at a time, so a stream pays no promise per event (see core/stream-transform.ts).
 */
export class AnthropicStreamTransform implements StreamTransform<SseEvent, StreamEvent> {
  finished = false;
  private readonly blocks = new Map<number, OpenBlock>();
  private usage: AnthropicUsage | undefined;
  private stopReason: string | null | undefined;
  private toolCount = 0;

  constructor(private readonly context: AnthropicStreamContext) {}

  push(event: SseEvent, out: StreamEvent[]): void {
    if (this.finished) return;
    try {
      this.step(event, out);
    } catch (error) {
      this.fail(error, out);
    }
  }

  end(out: StreamEvent[]): void {
    this.fail(
      new InvalidResponseError('The Anthropic stream ended before `message_stop`: the connection closed early, so the answer is incomplete. Retry the request.', {
        provider: ANTHROPIC_PROVIDER,
        retryable: true,
      }),
      out,
    );
  }

  fail(error: unknown, out: StreamEvent[]): void {
    if (this.finished) return;
    this.finished = true;
    const typed: HyperAgentError = error instanceof ToolArgumentsError ? error : toHyperAgentError(error, ANTHROPIC_PROVIDER);
    out.push({ type: 'error', error: typed, tokenUsage: usageSoFar(this.usage) });
  }

  private step(event: SseEvent, out: StreamEvent[]): void {
    // Most events are plain text deltas: read without JSON.parse (anthropic-text-delta.ts).
    const text = plainTextDelta(event.data);
    if (text !== undefined) {
      if (text !== '') out.push({ type: 'text-delta', text });
      return;
    }
    const { metadata } = this.context;
    let chunk: AnthropicStreamChunk;
    try {
      // Anthropic pads data lines with spaces and writes `{"type": "ping"}`: only a JSON decode reads them right.
      chunk = JSON.parse(event.data) as AnthropicStreamChunk;
      if (typeof chunk !== 'object' || chunk === null) throw new TypeError('not an object');
    } catch (error) {
      this.fail(
        new InvalidResponseError(`Anthropic sent a stream event that is not a JSON object (event "${event.event ?? 'message'}"): ${snippet(event.data)}. Retry the request.`, {
          provider: ANTHROPIC_PROVIDER,
          cause: error,
        }),
        out,
      );
      return;
    }
    const type = typeof chunk.type === 'string' ? chunk.type : event.event;
    switch (type) {
      case 'content_block_delta': {
        const { index, delta } = chunk as Extract<AnthropicStreamChunk, { type: 'content_block_delta' }>;
        if (!delta) break;
        if (delta.type === 'text_delta' && typeof delta.text === 'string' && delta.text !== '') {
          out.push({ type: 'text-delta', text: delta.text });
        } else if (delta.type === 'thinking_delta' && typeof delta.thinking === 'string' && delta.thinking !== '') {
          out.push({ type: 'reasoning-delta', text: delta.thinking });
        } else if (delta.type === 'signature_delta' && typeof delta.signature === 'string' && delta.signature !== '') {
          out.push({ type: 'reasoning-signature', signature: delta.signature });
        } else if (delta.type === 'input_json_delta' && typeof delta.partial_json === 'string') {
          const block = this.blocks.get(index ?? 0);
          // The first fragment is often "" and a tool without arguments sends only that one.
          if (block?.kind === 'tool' && delta.partial_json !== '') {
            block.chunks.push(delta.partial_json);
            out.push({ type: 'tool-call-delta', id: block.id, argumentsDelta: delta.partial_json });
          }
        }
        break;
      }
      case 'message_start': {
        const message = (chunk as Extract<AnthropicStreamChunk, { type: 'message_start' }>).message;
        if (message?.id) metadata.responseId = message.id;
        if (message?.model) metadata.model = message.model;
        this.usage = mergeAnthropicUsage(this.usage, message?.usage);
        // The input tokens are known (and billed) from here on: a stream cut short is charged them.
        if (message?.usage) out.push({ type: 'usage', tokenUsage: convertAnthropicUsage(this.usage) });
        break;
      }
      case 'content_block_start': {
        const start = chunk as Extract<AnthropicStreamChunk, { type: 'content_block_start' }>;
        const block = (start.content_block ?? { type: 'unknown' }) as AnthropicResponseBlock & Record<string, unknown>;
        const opened = openBlock(block, this.toolCount);
        this.blocks.set(start.index ?? 0, opened);
        if (opened.kind === 'tool') {
          out.push({ type: 'tool-call-start', id: opened.id, name: opened.name, index: this.toolCount });
          this.toolCount += 1;
        } else if (opened.kind === 'text' && typeof block.text === 'string' && block.text !== '') {
          out.push({ type: 'text-delta', text: block.text });
        } else if (opened.kind === 'thinking' && typeof block.thinking === 'string' && block.thinking !== '') {
          out.push({ type: 'reasoning-delta', text: block.thinking });
        } else if (block.type === 'redacted_thinking' && typeof block.data === 'string') {
          out.push({ type: 'reasoning-redacted', data: block.data });
        }
        break;
      }
      case 'content_block_stop': {
        const index = (chunk as Extract<AnthropicStreamChunk, { type: 'content_block_stop' }>).index ?? 0;
        const block = this.blocks.get(index);
        this.blocks.delete(index);
        if (block?.kind !== 'tool') break;
        const raw = block.chunks.length > 0 ? block.chunks.join('') : initialArguments(block.initialInput);
        // A bad input throws ToolArgumentsError, which `push` turns into the stream's error.
        out.push({ type: 'tool-call-end', id: block.id, toolCall: parseToolArguments(block.name, block.id, raw, ANTHROPIC_PROVIDER) });
        break;
      }
      case 'message_delta': {
        const delta = chunk as Extract<AnthropicStreamChunk, { type: 'message_delta' }>;
        if (delta.delta?.stop_reason !== undefined) {
          this.stopReason = delta.delta.stop_reason;
          if (this.stopReason) metadata.rawFinishReason = this.stopReason;
        }
        this.usage = mergeAnthropicUsage(this.usage, delta.usage);
        break;
      }
      case 'message_stop':
        this.finished = true;
        out.push({ type: 'done', tokenUsage: convertAnthropicUsage(this.usage), finishReason: mapAnthropicStopReason(this.stopReason) });
        break;
      case 'error':
        this.fail(anthropicStreamError(chunk, event.data, this.context.headers), out);
        break;
      default:
        // `ping` and event types newer than this code.
        break;
    }
  }
}

/** Anthropic SSE events → stream events, as a pull source (no promise per event). */
export function anthropicStreamSource(events: PullSource<SseEvent>, context: AnthropicStreamContext): PullSource<StreamEvent> {
  return new TransformedSource(events, new AnthropicStreamTransform(context));
}

/** The same transform over any async iterable of SSE events, as an async generator. */
export function transformAnthropicStream(events: AsyncIterable<SseEvent>, context: AnthropicStreamContext): AsyncGenerator<StreamEvent> {
  return transformIterable(events, new AnthropicStreamTransform(context));
}

function openBlock(block: AnthropicResponseBlock, position: number): OpenBlock {
  switch (block.type) {
    case 'text':
      return { kind: 'text' };
    case 'thinking':
      return { kind: 'thinking' };
    case 'tool_use': {
      const id = typeof block.id === 'string' && block.id !== '' ? block.id : `toolu_${position}`;
      const name = typeof block.name === 'string' ? block.name : 'unknown';
      return { kind: 'tool', id, name, chunks: [], initialInput: block.input };
    }
    default:
      return { kind: 'other' };
  }
}

/** `content_block_start` carries `input: {}` for streamed tools; a non-empty input with no deltas is used as is. */
function initialArguments(input: unknown): string {
  if (typeof input === 'object' && input !== null && Object.keys(input).length > 0) return JSON.stringify(input);
  return '';
}

function usageSoFar(usage: AnthropicUsage | undefined): TokenUsage | undefined {
  return usage === undefined ? undefined : convertAnthropicUsage(usage);
}

function snippet(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > 200 ? `${trimmed.slice(0, 200)}…` : trimmed || '(empty)';
}
