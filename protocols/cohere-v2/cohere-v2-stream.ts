import { InvalidResponseError, toHyperAgentError, type HyperAgentError } from '../../core/errors.js';
import type { SseEvent } from '../../core/http.js';
import type { PullSource } from '../../core/pull-source.js';
import { TransformedSource, transformIterable, type StreamTransform } from '../../core/stream-transform.js';
import { ToolCallAssembler } from '../../core/tool-call-assembler.js';
import type { StreamEvent, TokenUsage } from '../../core/types.js';
import type { CohereV2StreamEvent } from './cohere-v2-api.js';
import { cohereV2InvalidJson, cohereV2StreamError } from './cohere-v2-errors.js';
import { convertCohereV2Usage } from './convert-cohere-v2-usage.js';
import { mapCohereV2FinishReason } from './map-cohere-v2-finish-reason.js';

export interface CohereV2StreamContext {
  readonly provider: string;
  /** Filled in while the stream runs: `responseId`, `rawFinishReason`, `toolPlan`. */
  readonly metadata: Record<string, unknown>;
}

/**
 * v2 chat SSE events → stream events. `content-delta` carries `text` or `thinking` (reasoning);
 * `tool-plan-delta` is the plan written before tool calls, streamed as reasoning; tool calls come
 * as `tool-call-start` (id, name) / `-delta` (argument fragments) / `-end` by `index`; `message-end`
 * has the finish reason and the usage. The bare `data: [DONE]` after it is ignored. Synchronous
 * (core/stream-transform.ts); `push` never throws; exactly one `done` or `error`.
 */
export class CohereV2StreamTransform implements StreamTransform<SseEvent, StreamEvent> {
  finished = false;
  private readonly assembler: ToolCallAssembler;
  private toolPlan = '';

  constructor(private readonly context: CohereV2StreamContext) {
    this.assembler = new ToolCallAssembler(context.provider);
  }

  push(event: SseEvent, out: StreamEvent[]): void {
    if (this.finished) return;
    const data = event.data;
    if (data === '[DONE]') return;
    let parsed: CohereV2StreamEvent;
    try {
      parsed = JSON.parse(data) as CohereV2StreamEvent;
      if (typeof parsed !== 'object' || parsed === null) throw new TypeError('not an object');
    } catch (error) {
      this.fail(cohereV2InvalidJson(this.context.provider, 'a stream event', data, error), out);
      return;
    }
    try {
      this.handle(parsed, out);
    } catch (error) {
      this.fail(error, out);
    }
  }

  end(out: StreamEvent[]): void {
    if (this.finished) return;
    this.fail(
      new InvalidResponseError(`The ${this.context.provider} stream ended before message-end: the connection closed early, so the answer is incomplete. Retry the request.`, {
        provider: this.context.provider,
        retryable: true,
      }),
      out,
    );
  }

  fail(error: unknown, out: StreamEvent[]): void {
    if (this.finished) return;
    this.finished = true;
    const typed: HyperAgentError = toHyperAgentError(error, this.context.provider);
    out.push({ type: 'error', error: typed });
  }

  private handle(event: CohereV2StreamEvent, out: StreamEvent[]): void {
    const message = event.delta?.message;
    switch (event.type) {
      case 'message-start':
        if (event.id) this.context.metadata.responseId = event.id;
        return;
      case 'content-delta': {
        const content = message?.content;
        if (typeof content?.thinking === 'string' && content.thinking !== '') out.push({ type: 'reasoning-delta', text: content.thinking });
        if (typeof content?.text === 'string' && content.text !== '') out.push({ type: 'text-delta', text: content.text });
        return;
      }
      case 'tool-plan-delta': {
        const plan = message?.tool_plan;
        if (typeof plan === 'string' && plan !== '') {
          this.toolPlan += plan;
          out.push({ type: 'reasoning-delta', text: plan });
        }
        return;
      }
      case 'tool-call-start':
      case 'tool-call-delta': {
        const call = message?.tool_calls;
        const args = call?.function?.arguments;
        out.push(
          ...this.assembler.push({
            index: event.index ?? 0,
            id: call?.id || undefined,
            name: call?.function?.name || undefined,
            arguments: args == null || (event.type === 'tool-call-start' && args.trim() === 'null') ? undefined : args,
          }),
        );
        return;
      }
      case 'message-end':
        this.finish(event, out);
        return;
      default:
        // content-start/-end, tool-call-end, citation events: nothing to emit.
        return;
    }
  }

  private finish(event: CohereV2StreamEvent, out: StreamEvent[]): void {
    const delta = event.delta;
    const reason = delta?.finish_reason ?? undefined;
    const usage: TokenUsage = convertCohereV2Usage(delta?.usage);
    if (reason) this.context.metadata.rawFinishReason = reason;
    if (this.toolPlan !== '') this.context.metadata.toolPlan = this.toolPlan;
    if (reason === 'ERROR' || (typeof delta?.error === 'string' && delta.error !== '')) {
      this.finished = true;
      out.push({ type: 'error', error: cohereV2StreamError(this.context.provider, delta?.error), tokenUsage: usage });
      return;
    }
    out.push(...this.assembler.finish());
    this.finished = true;
    out.push({ type: 'done', tokenUsage: usage, finishReason: mapCohereV2FinishReason(reason) });
  }
}

/** The transform over an SSE pull source: what providers put on the stream chain. */
export function cohereV2StreamSource(events: PullSource<SseEvent>, context: CohereV2StreamContext): PullSource<StreamEvent> {
  return new TransformedSource(events, new CohereV2StreamTransform(context));
}

/** The transform as an async generator, for callers outside the pull-source chain. */
export function transformCohereV2Stream(events: AsyncIterable<SseEvent> | PullSource<SseEvent>, context: CohereV2StreamContext): AsyncGenerator<StreamEvent> {
  return transformIterable(events, new CohereV2StreamTransform(context));
}
