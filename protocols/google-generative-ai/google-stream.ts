import { InvalidResponseError, ToolArgumentsError, toHyperAgentError, type HyperAgentError } from '../../core/errors.js';
import type { SseEvent } from '../../core/http.js';
import type { PullSource } from '../../core/pull-source.js';
import type { HeaderMap } from '../../core/rate-limit-headers.js';
import { TransformedSource, transformIterable, type StreamTransform } from '../../core/stream-transform.js';
import type { StreamEvent, TokenUsage } from '../../core/types.js';
import type { GoogleFunctionCall, GoogleGenerateContentResponse, GooglePart, GoogleUsageMetadata } from './google-api.js';
import { googleStreamError, type GoogleErrorContext } from './google-errors.js';
import { PartialArgsBuilder } from './google-partial-args.js';
import { convertGoogleUsage, hasGoogleTokenCounts } from './convert-google-usage.js';
import { mapGoogleFinishReason, mapGooglePromptBlock } from './map-google-finish-reason.js';
import { googleToolCallId } from './google-tool-call-id.js';

export interface GoogleStreamContext extends GoogleErrorContext {
  /** Filled in as the stream runs: `responseId`, `modelVersion`, `rawFinishReason`, `safetyRatings`, `promptFeedback`… */
  readonly metadata: Record<string, unknown>;
  /** The HTTP response headers, for the request id of a mid-stream error. */
  readonly headers?: HeaderMap;
}

interface OpenCall {
  readonly id: string;
  readonly name: string;
  readonly args: PartialArgsBuilder;
}

/**
 * generateContent chunks (SSE `data:` lines, or one whole non-streamed answer) → our stream events.
 * Gemini has no terminal event: the stream just ends, so `end` decides between `done` (a
 * `finishReason` or a blocked prompt was seen) and an `error` (the connection closed first).
 * `usageMetadata` comes on every chunk as running totals: the last one with counts is final; each
 * change goes out as a `usage` event so a stream cut short is charged what Google counted.
 * Synchronous, one event at a time (see core/stream-transform.ts); `push` never throws.
 */
export class GoogleStreamTransform implements StreamTransform<SseEvent, StreamEvent> {
  finished = false;
  private usage: GoogleUsageMetadata | undefined;
  private finishReason: string | undefined;
  private blocked = false;
  private toolCount = 0;
  private open: OpenCall | undefined;

  constructor(private readonly context: GoogleStreamContext) {}

  push(event: SseEvent, out: StreamEvent[]): void {
    if (this.finished) return;
    try {
      let chunk: GoogleGenerateContentResponse;
      try {
        chunk = JSON.parse(event.data) as GoogleGenerateContentResponse;
        if (typeof chunk !== 'object' || chunk === null) throw new TypeError('not an object');
      } catch (error) {
        throw new InvalidResponseError(`${this.context.provider} sent a stream chunk that is not a JSON object: ${snippet(event.data)}. Retry the request.`, {
          provider: this.context.provider,
          cause: error,
        });
      }
      this.chunk(chunk, event.data, out);
    } catch (error) {
      this.fail(error, out);
    }
  }

  /** A chunk already parsed: a non-streamed answer is one (convert-google-response.ts). */
  pushChunk(chunk: GoogleGenerateContentResponse, out: StreamEvent[]): void {
    if (this.finished) return;
    try {
      this.chunk(chunk, '', out);
    } catch (error) {
      this.fail(error, out);
    }
  }

  end(out: StreamEvent[]): void {
    if (this.finished) return;
    if (this.finishReason === undefined && !this.blocked) {
      this.fail(
        new InvalidResponseError(`The ${this.context.provider} stream ended before a chunk with a finishReason: the connection closed early, so the answer is incomplete. Retry the request.`, {
          provider: this.context.provider,
          retryable: true,
        }),
        out,
      );
      return;
    }
    try {
      // A streamed call may end with the stream rather than with a closing part (google-vertex/SOURCES.md).
      this.closeCall(out);
    } catch (error) {
      this.fail(error, out);
      return;
    }
    this.finished = true;
    const finishReason = this.finishReason === undefined ? 'content-filter' : mapGoogleFinishReason(this.finishReason, this.toolCount > 0);
    out.push({ type: 'done', tokenUsage: convertGoogleUsage(this.usage), finishReason });
  }

  fail(error: unknown, out: StreamEvent[]): void {
    if (this.finished) return;
    this.finished = true;
    const typed: HyperAgentError = error instanceof ToolArgumentsError ? error : toHyperAgentError(error, this.context.provider);
    out.push({ type: 'error', error: typed, tokenUsage: this.usage === undefined ? undefined : convertGoogleUsage(this.usage) });
  }

  private chunk(chunk: GoogleGenerateContentResponse, raw: string, out: StreamEvent[]): void {
    const { metadata } = this.context;
    if (chunk.error) {
      this.fail(googleStreamError(chunk.error, raw || JSON.stringify(chunk), this.context.headers ?? {}, this.context), out);
      return;
    }
    if (chunk.responseId && metadata.responseId === undefined) metadata.responseId = chunk.responseId;
    if (chunk.modelVersion && metadata.modelVersion === undefined) metadata.modelVersion = chunk.modelVersion;
    const feedback = chunk.promptFeedback;
    if (mapGooglePromptBlock(feedback?.blockReason) !== undefined) {
      this.blocked = true;
      metadata.promptFeedback = feedback;
      metadata.rawFinishReason = feedback!.blockReason;
      if (feedback!.safetyRatings) metadata.safetyRatings = feedback!.safetyRatings;
    }
    // Only the first candidate: we never ask for more (candidateCount), and Vertex may omit `index`.
    const candidate = chunk.candidates?.find((item) => item.index === undefined || item.index === 0);
    for (const part of candidate?.content?.parts ?? []) this.part(part, out);
    if (candidate?.finishReason) {
      this.finishReason = candidate.finishReason;
      metadata.rawFinishReason = candidate.finishReason;
      if (candidate.finishMessage) metadata.finishMessage = candidate.finishMessage;
    }
    if (candidate?.safetyRatings && candidate.safetyRatings.length > 0) metadata.safetyRatings = candidate.safetyRatings;
    if (typeof candidate?.avgLogprobs === 'number') metadata.avgLogprobs = candidate.avgLogprobs;
    const usage = chunk.usageMetadata;
    if (usage?.trafficType) metadata.trafficType = usage.trafficType;
    if (hasGoogleTokenCounts(usage) && !sameCounts(this.usage, usage)) {
      this.usage = usage;
      out.push({ type: 'usage', tokenUsage: convertGoogleUsage(usage) });
    }
  }

  private part(part: GooglePart, out: StreamEvent[]): void {
    if (part.functionCall) this.functionCall(part.functionCall, out);
    else if (typeof part.text === 'string') {
      if (part.text !== '') out.push(part.thought === true ? { type: 'reasoning-delta', text: part.text } : { type: 'text-delta', text: part.text });
    }
    // Gemini 3 may put the signature on a final part with empty text (google/stream-text-gemini3-signature-on-empty-part.sse): kept all the same.
    if (typeof part.thoughtSignature === 'string' && part.thoughtSignature !== '') out.push({ type: 'reasoning-signature', signature: part.thoughtSignature });
  }

  private functionCall(call: GoogleFunctionCall, out: StreamEvent[]): void {
    const named = typeof call.name === 'string' && call.name !== '';
    if (!named && this.open) {
      // A continuation of a streamed call: `{partialArgs, willContinue}`, or `{}` to close it.
      this.open.args.add(call.partialArgs);
      if (call.willContinue !== true) this.closeCall(out);
      return;
    }
    this.closeCall(out);
    if (!named) return;
    const id = googleToolCallId(call.id, this.context.metadata.responseId, this.toolCount);
    out.push({ type: 'tool-call-start', id, name: call.name!, index: this.toolCount });
    this.toolCount += 1;
    const args = new PartialArgsBuilder();
    this.open = { id, name: call.name!, args };
    if (call.args && typeof call.args === 'object') Object.assign(args.value, call.args);
    args.add(call.partialArgs);
    if (call.willContinue !== true) this.closeCall(out);
  }

  private closeCall(out: StreamEvent[]): void {
    const open = this.open;
    if (!open) return;
    this.open = undefined;
    const rawArguments = JSON.stringify(open.args.value);
    if (rawArguments !== '{}') out.push({ type: 'tool-call-delta', id: open.id, argumentsDelta: rawArguments });
    out.push({ type: 'tool-call-end', id: open.id, toolCall: { id: open.id, name: open.name, arguments: open.args.value, rawArguments } });
  }
}

function sameCounts(a: GoogleUsageMetadata | undefined, b: GoogleUsageMetadata): boolean {
  return (
    a !== undefined &&
    a.promptTokenCount === b.promptTokenCount &&
    a.candidatesTokenCount === b.candidatesTokenCount &&
    a.thoughtsTokenCount === b.thoughtsTokenCount &&
    a.cachedContentTokenCount === b.cachedContentTokenCount &&
    a.toolUsePromptTokenCount === b.toolUsePromptTokenCount
  );
}

/** Google SSE events → stream events, as a pull source (no promise per event). */
export function googleStreamSource(events: PullSource<SseEvent>, context: GoogleStreamContext): PullSource<StreamEvent> {
  return new TransformedSource(events, new GoogleStreamTransform(context));
}

/** The same transform over any async iterable of SSE events, as an async generator. */
export function transformGoogleStream(events: AsyncIterable<SseEvent>, context: GoogleStreamContext): AsyncGenerator<StreamEvent> {
  return transformIterable(events, new GoogleStreamTransform(context));
}

function snippet(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > 200 ? `${trimmed.slice(0, 200)}…` : trimmed || '(empty)';
}
