import type { FinishReason, StreamEvent, TokenUsage } from '../../core/types.js';
import { buildOpenAIResponsesObject, functionCallItem, messageItem, responsesId, toolArgumentsText, type ResponsesIdentity } from './convert-to-openai-responses-object.js';
import type { ResponsesErrorObject, ResponsesFunctionCallItem, ResponsesMessageItem, ResponsesObject, ResponsesOutputItem, ResponsesReasoningItem, ResponsesStreamEvent } from './openai-responses-server-api.js';

type Open =
  | { readonly kind: 'message'; readonly item: ResponsesMessageItem; readonly index: number; text: string }
  | { readonly kind: 'reasoning'; readonly item: ResponsesReasoningItem; readonly index: number; text: string };

/**
 * Our stream events → Responses stream events, in OpenAI's order: `response.created`, then per
 * output item `output_item.added`, its deltas and `output_item.done`, then `response.completed`
 * (or `response.incomplete` / `response.failed`) carrying the whole response. Every event has the
 * next `sequence_number`. Kept items make the final response, the one `GET /v1/responses/{id}` returns.
 */
export class OpenAIResponsesEventEncoder {
  readonly output: ResponsesOutputItem[] = [];
  private sequence = 0;
  private open: Open | undefined;
  private readonly calls = new Map<string, { readonly item: ResponsesFunctionCallItem; readonly index: number }>();

  constructor(private readonly identity: ResponsesIdentity) {}

  private event(type: string, fields: Record<string, unknown>): ResponsesStreamEvent {
    return { type, sequence_number: this.sequence++, ...fields };
  }

  /** `response.created` and `response.in_progress`, before any event's. */
  start(): ResponsesStreamEvent[] {
    const response = buildOpenAIResponsesObject(this.identity, { status: 'in_progress', output: [] });
    return [this.event('response.created', { response }), this.event('response.in_progress', { response })];
  }

  encode(event: StreamEvent): ResponsesStreamEvent[] {
    const events: ResponsesStreamEvent[] = [];
    switch (event.type) {
      case 'text-delta': {
        if (event.text === '') return events;
        const open = this.open?.kind === 'message' ? this.open : this.openMessage(events);
        open.text += event.text;
        events.push(this.event('response.output_text.delta', { item_id: open.item.id, output_index: open.index, content_index: 0, delta: event.text, logprobs: [] }));
        return events;
      }
      case 'reasoning-delta': {
        if (event.text === '') return events;
        const open = this.open?.kind === 'reasoning' ? this.open : this.openReasoning(events);
        open.text += event.text;
        events.push(this.event('response.reasoning_summary_text.delta', { item_id: open.item.id, output_index: open.index, summary_index: 0, delta: event.text }));
        return events;
      }
      case 'reasoning-signature': {
        const open = this.open?.kind === 'reasoning' ? this.open : this.openReasoning(events);
        open.item.encrypted_content = event.signature;
        // A signature ends its thinking block.
        this.closeOpen(events);
        return events;
      }
      case 'reasoning-redacted': {
        this.closeOpen(events);
        const item: ResponsesReasoningItem = { type: 'reasoning', id: responsesId('rs'), summary: [], encrypted_content: event.data };
        const index = this.push(item);
        events.push(this.event('response.output_item.added', { output_index: index, item }), this.event('response.output_item.done', { output_index: index, item }));
        return events;
      }
      case 'tool-call-start': {
        this.closeOpen(events);
        const item: ResponsesFunctionCallItem = { type: 'function_call', id: responsesId('fc'), call_id: event.id, name: event.name, arguments: '', status: 'in_progress' };
        const index = this.push(item);
        this.calls.set(event.id, { item, index });
        events.push(this.event('response.output_item.added', { output_index: index, item: { ...item } }));
        return events;
      }
      case 'tool-call-delta': {
        const call = this.calls.get(event.id);
        if (!call || event.argumentsDelta === '') return events;
        call.item.arguments += event.argumentsDelta;
        events.push(this.event('response.function_call_arguments.delta', { item_id: call.item.id, output_index: call.index, delta: event.argumentsDelta }));
        return events;
      }
      case 'tool-call-end': {
        let call = this.calls.get(event.id);
        if (!call) {
          // A provider that announces a call only when it is complete.
          this.closeOpen(events);
          const item = { ...functionCallItem(event.toolCall), arguments: '', status: 'in_progress' as const };
          call = { item, index: this.push(item) };
          events.push(this.event('response.output_item.added', { output_index: call.index, item: { ...item } }));
        }
        // The assembled arguments are what the kernel checked (and a plugin may have rewritten).
        call.item.arguments = toolArgumentsText(event.toolCall);
        call.item.status = 'completed';
        this.calls.delete(event.id);
        events.push(
          this.event('response.function_call_arguments.done', { item_id: call.item.id, output_index: call.index, arguments: call.item.arguments }),
          this.event('response.output_item.done', { output_index: call.index, item: call.item }),
        );
        return events;
      }
      default:
        return events;
    }
  }

  /** Closes what is open and ends with `response.completed` (or `response.incomplete` when cut off). */
  finish(finishReason: FinishReason, usage: TokenUsage, costUsd: number | undefined): { events: ResponsesStreamEvent[]; response: ResponsesObject } {
    const events: ResponsesStreamEvent[] = [];
    this.closeOpen(events);
    if (this.output.length === 0) {
      const item = messageItem('');
      const index = this.push(item);
      events.push(this.event('response.output_item.added', { output_index: index, item }), this.event('response.output_item.done', { output_index: index, item }));
    }
    const response = buildOpenAIResponsesObject(this.identity, { status: 'completed', output: this.output, usage, finishReason, costUsd });
    events.push(this.event(response.status === 'incomplete' ? 'response.incomplete' : 'response.completed', { response }));
    return { events, response };
  }

  /** The terminal event of a stream that failed after it started. */
  fail(error: ResponsesErrorObject, usage: TokenUsage | undefined): ResponsesStreamEvent {
    const response = buildOpenAIResponsesObject(this.identity, { status: 'failed', output: this.output, ...(usage ? { usage } : {}), error });
    return this.event('response.failed', { response });
  }

  private push(item: ResponsesOutputItem): number {
    this.output.push(item);
    return this.output.length - 1;
  }

  private openMessage(events: ResponsesStreamEvent[]): Extract<Open, { kind: 'message' }> {
    this.closeOpen(events);
    const item: ResponsesMessageItem = { type: 'message', id: responsesId('msg'), status: 'in_progress', role: 'assistant', content: [] };
    const index = this.push(item);
    const open = { kind: 'message' as const, item, index, text: '' };
    this.open = open;
    events.push(
      this.event('response.output_item.added', { output_index: index, item }),
      this.event('response.content_part.added', { item_id: item.id, output_index: index, content_index: 0, part: { type: 'output_text', text: '', annotations: [], logprobs: [] } }),
    );
    return open;
  }

  private openReasoning(events: ResponsesStreamEvent[]): Extract<Open, { kind: 'reasoning' }> {
    this.closeOpen(events);
    const item: ResponsesReasoningItem = { type: 'reasoning', id: responsesId('rs'), summary: [] };
    const index = this.push(item);
    const open = { kind: 'reasoning' as const, item, index, text: '' };
    this.open = open;
    events.push(
      this.event('response.output_item.added', { output_index: index, item: { ...item } }),
      this.event('response.reasoning_summary_part.added', { item_id: item.id, output_index: index, summary_index: 0, part: { type: 'summary_text', text: '' } }),
    );
    return open;
  }

  private closeOpen(events: ResponsesStreamEvent[]): void {
    const open = this.open;
    if (!open) return;
    this.open = undefined;
    const index = open.index;
    if (open.kind === 'message') {
      const item = open.item;
      const part = { type: 'output_text' as const, text: open.text, annotations: [], logprobs: [] };
      const done: ResponsesMessageItem = { ...item, status: 'completed', content: [part] };
      this.output[index] = done;
      events.push(
        this.event('response.output_text.done', { item_id: item.id, output_index: index, content_index: 0, text: open.text, logprobs: [] }),
        this.event('response.content_part.done', { item_id: item.id, output_index: index, content_index: 0, part }),
        this.event('response.output_item.done', { output_index: index, item: done }),
      );
      return;
    }
    const item = open.item;
    const part = { type: 'summary_text' as const, text: open.text };
    item.summary.push(part);
    events.push(
      this.event('response.reasoning_summary_text.done', { item_id: item.id, output_index: index, summary_index: 0, text: open.text }),
      this.event('response.reasoning_summary_part.done', { item_id: item.id, output_index: index, summary_index: 0, part }),
      this.event('response.output_item.done', { output_index: index, item }),
    );
  }
}
