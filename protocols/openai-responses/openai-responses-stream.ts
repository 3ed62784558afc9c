import { EMPTY_USAGE } from '../../core/cost.js';
import { InvalidResponseError, toHyperAgentError } from '../../core/errors.js';
import type { ProviderWireHooks, SseEvent } from '../../core/http.js';
import type { PullSource } from '../../core/pull-source.js';
import type { HeaderMap } from '../../core/rate-limit-headers.js';
import { TransformedSource, transformIterable, type StreamTransform } from '../../core/stream-transform.js';
import { ToolCallAssembler } from '../../core/tool-call-assembler.js';
import type { StreamEvent, TokenUsage } from '../../core/types.js';
import type { OpenAIResponsesErrorObject, OpenAIResponsesResponse, OpenAIResponsesStreamEvent } from './openai-responses-api.js';
import { convertOpenAIResponsesUsage } from './convert-openai-responses-usage.js';
import { mapOpenAIResponsesStatus } from './map-openai-responses-status.js';
import { errorFromResponsesError } from './openai-responses-errors.js';
import { undecodedItemWarning } from './openai-responses-output-items.js';

export interface OpenAIResponsesStreamContext extends ProviderWireHooks {
  readonly provider: string;
  /** Filled in while the stream runs: `responseId`, `model`, `rawFinishReason`. */
  readonly metadata: Record<string, unknown>;
  /** Headers of the streaming response, for errors that arrive inside it. */
  readonly headers?: HeaderMap;
  readonly apiKeyEnv?: string;
  /** Copies provider extras from the `response.completed` object into `metadata`. */
  readonly onResponse?: (response: OpenAIResponsesResponse, metadata: Record<string, unknown>) => void;
}

/**
 * Responses API SSE events → our stream events. Ends with one `done` (at `response.completed` or
 * `response.incomplete`) or one `error` (an `error` event, `response.failed`, a malformed event, or
 * a stream that stops before it completed); errors carry the usage seen so far. Synchronous, one
 * SSE event at a time, so a stream pays no promise per event (see core/stream-transform.ts).
 */
export class OpenAIResponsesStreamTransform implements StreamTransform<SseEvent, StreamEvent> {
  finished = false;
  private readonly assembler: ToolCallAssembler;
  private usage: TokenUsage = EMPTY_USAGE;
  private toolCalls = 0;
  /** Output indexes of calls whose arguments arrived; a server that sends none as deltas sends them whole at `.done`. */
  private readonly withArguments = new Set<number | string>();
  /** Output indexes of the function calls seen. */
  private readonly calls = new Set<number | string>();
  private decoded = false;
  private undecoded = false;

  constructor(private readonly context: OpenAIResponsesStreamContext) {
    this.assembler = new ToolCallAssembler(context.provider);
  }

  push(event: SseEvent, out: StreamEvent[]): void {
    if (this.finished) return;
    try {
      this.step(event, out);
    } catch (error) {
      this.fail(error, out);
    }
  }

  end(out: StreamEvent[]): void {
    const provider = this.context.provider;
    this.fail(
      new InvalidResponseError(`The ${provider} Responses stream ended without response.completed: the answer is incomplete. Retry the request.`, { provider, retryable: true }),
      out,
    );
  }

  fail(error: unknown, out: StreamEvent[]): void {
    if (this.finished) return;
    this.finished = true;
    out.push({ type: 'error', error: toHyperAgentError(error, this.context.provider), tokenUsage: this.usage });
  }

  private step(sse: SseEvent, out: StreamEvent[]): void {
    const data = sse.data.trim();
    if (data === '' || data === '[DONE]') return;
    const { context, assembler } = this;
    let event: OpenAIResponsesStreamEvent;
    try {
      event = JSON.parse(data) as OpenAIResponsesStreamEvent;
    } catch (error) {
      throw new InvalidResponseError(`${context.provider} sent a Responses stream event whose data is not JSON: ${sse.data.slice(0, 200)}`, { provider: context.provider, cause: error });
    }
    switch (event.type ?? sse.event) {
      case 'response.created':
      case 'response.in_progress':
        if (event.response?.id) context.metadata.responseId = event.response.id;
        if (event.response?.model) context.metadata.model = event.response.model;
        break;
      case 'response.output_text.delta':
        if (event.delta) {
          this.decoded = true;
          out.push({ type: 'text-delta', text: event.delta });
        }
        break;
      case 'response.reasoning_summary_text.delta':
      case 'response.reasoning_text.delta':
        if (event.delta) out.push({ type: 'reasoning-delta', text: event.delta });
        break;
      case 'response.output_item.added':
        if (event.item?.type === 'function_call') {
          this.toolCalls += 1;
          this.calls.add(this.key(event.output_index));
          this.pushArguments(event.output_index, { id: event.item.call_id, name: event.item.name, arguments: event.item.arguments || undefined }, out);
        } else this.noteItem(event.item?.type);
        break;
      case 'response.function_call_arguments.delta':
        this.pushArguments(event.output_index, { arguments: event.delta }, out);
        break;
      case 'response.function_call_arguments.done':
        // LM Studio sends the arguments only here (and in output_item.done), never as deltas.
        if (!this.withArguments.has(this.key(event.output_index))) this.pushArguments(event.output_index, { arguments: event.arguments || undefined }, out);
        break;
      case 'response.output_item.done':
        if (event.item?.type === 'function_call') {
          const key = this.key(event.output_index);
          if (!this.calls.has(key)) {
            // A call seen only whole, at its end.
            this.calls.add(key);
            this.toolCalls += 1;
            this.pushArguments(event.output_index, { id: event.item.call_id, name: event.item.name, arguments: event.item.arguments || undefined }, out);
          } else if (!this.withArguments.has(key)) this.pushArguments(event.output_index, { arguments: event.item.arguments || undefined }, out);
          out.push(...assembler.finish());
        }
        break;
      case 'response.completed':
      case 'response.incomplete': {
        const response = event.response ?? {};
        this.usage = convertOpenAIResponsesUsage(response.usage);
        out.push(...assembler.finish());
        if (response.status) context.metadata.rawFinishReason = response.status;
        context.onResponse?.(response, context.metadata);
        this.finished = true;
        const onlyUndecoded = this.undecoded && !this.decoded && this.toolCalls === 0;
        out.push({ type: 'done', tokenUsage: this.usage, finishReason: onlyUndecoded ? 'other' : mapOpenAIResponsesStatus(response, this.toolCalls > 0) });
        break;
      }
      case 'error':
        this.failWith(event.error ?? { code: event.code, message: event.message }, 'sent an error event mid-stream', out);
        break;
      case 'response.failed':
        this.usage = convertOpenAIResponsesUsage(event.response?.usage);
        this.failWith(event.response?.error ?? { message: 'the response failed without an error object' }, 'reported response.failed', out);
        break;
      default:
        break;
    }
  }

  private key(index: number | undefined): number | string {
    return index ?? 'last';
  }

  private pushArguments(index: number | undefined, fragment: { id?: string; name?: string; arguments?: string }, out: StreamEvent[]): void {
    if (fragment.arguments) this.withArguments.add(this.key(index));
    this.decoded = true;
    out.push(...this.assembler.push({ index, ...fragment }));
  }

  /** An output item that is not a message, reasoning or a function call: dropped, with a warning. */
  private noteItem(type: string | undefined): void {
    if (type === 'message' || type === 'reasoning') return;
    const warning = undecodedItemWarning(this.context.provider, type);
    if (warning === undefined) return;
    this.undecoded = true;
    const metadata = this.context.metadata as { warnings?: string[] };
    (metadata.warnings ??= []).push(warning);
  }

  private failWith(error: OpenAIResponsesErrorObject, received: string, out: StreamEvent[]): void {
    const { provider, headers, apiKeyEnv, readRateLimit, mapError } = this.context;
    this.fail(errorFromResponsesError(error, { provider, headers, apiKeyEnv, readRateLimit, mapError, received }), out);
  }
}

/** Responses API SSE events → stream events, as a pull source (no promise per event). */
export function openAIResponsesStreamSource(events: PullSource<SseEvent>, context: OpenAIResponsesStreamContext): PullSource<StreamEvent> {
  return new TransformedSource(events, new OpenAIResponsesStreamTransform(context));
}

/** The same transform over any async iterable of SSE events, as an async generator. */
export function transformOpenAIResponsesStream(events: AsyncIterable<SseEvent>, context: OpenAIResponsesStreamContext): AsyncGenerator<StreamEvent> {
  return transformIterable(events, new OpenAIResponsesStreamTransform(context));
}
