import type { FinishReason, StreamEvent, TokenUsage } from '../../core/types.js';
import type { AnthropicMessageIdentity } from './convert-to-anthropic-message.js';
import { toAnthropicStopReason, toAnthropicUsage } from './to-anthropic-usage.js';

/** One server-sent event of the Messages API: its `event:` name and its `data:` object. */
export interface AnthropicSseEvent {
  readonly event: string;
  readonly data: { readonly type: string; readonly [key: string]: unknown };
}

type OpenBlock = { readonly index: number; readonly kind: 'text' | 'thinking' | 'tool'; signed?: boolean; sentInput?: boolean };

/**
 * Our stream events → the Messages API's SSE events, in Anthropic's order: `message_start`, then per
 * content block `content_block_start`, its deltas (`text_delta`, `thinking_delta`, `signature_delta`,
 * `input_json_delta`) and `content_block_stop`, then `message_delta` (stop reason, usage) and
 * `message_stop`. Blocks are numbered 0, 1, ... in the order they open, as the SDKs index them.
 * `firstIndex` continues the numbering of blocks written by someone else (the gateway's raw relay).
 */
export class AnthropicEventEncoder {
  private next: number;
  private current: OpenBlock | undefined;
  private readonly tools = new Map<string, OpenBlock>();

  constructor(
    private readonly identity: AnthropicMessageIdentity,
    firstIndex = 0,
  ) {
    this.next = firstIndex;
  }

  /** The index the next block opened here gets. */
  get nextIndex(): number {
    return this.next;
  }

  set nextIndex(index: number) {
    this.next = index;
  }

  start(usage?: TokenUsage): AnthropicSseEvent {
    const message = {
      id: this.identity.id,
      type: 'message',
      role: 'assistant',
      model: this.identity.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: toAnthropicUsage(usage),
    };
    return { event: 'message_start', data: { type: 'message_start', message } };
  }

  /** The SSE events one non-terminal stream event becomes. */
  encode(event: StreamEvent): AnthropicSseEvent[] {
    const out: AnthropicSseEvent[] = [];
    switch (event.type) {
      case 'text-delta':
        if (event.text === '') break;
        if (this.current?.kind !== 'text') this.open(out, 'text', { type: 'text', text: '' });
        out.push(delta(this.current!.index, { type: 'text_delta', text: event.text }));
        break;
      case 'reasoning-delta':
        if (event.text === '') break;
        if (this.current?.kind !== 'thinking' || this.current.signed) this.open(out, 'thinking', { type: 'thinking', thinking: '', signature: '' });
        out.push(delta(this.current!.index, { type: 'thinking_delta', thinking: event.text }));
        break;
      case 'reasoning-signature':
        if (this.current?.kind !== 'thinking' || this.current.signed) this.open(out, 'thinking', { type: 'thinking', thinking: '', signature: '' });
        out.push(delta(this.current!.index, { type: 'signature_delta', signature: event.signature }));
        this.current!.signed = true;
        break;
      case 'reasoning-redacted':
        this.open(out, 'thinking', { type: 'redacted_thinking', data: event.data });
        this.close(out);
        break;
      case 'tool-call-start':
        this.tools.set(event.id, this.open(out, 'tool', { type: 'tool_use', id: event.id, name: event.name, input: {} }));
        break;
      case 'tool-call-delta': {
        const block = this.tools.get(event.id);
        if (!block || event.argumentsDelta === '') break;
        block.sentInput = true;
        out.push(delta(block.index, { type: 'input_json_delta', partial_json: event.argumentsDelta }));
        break;
      }
      case 'tool-call-end': {
        let block = this.tools.get(event.id);
        // A provider that announces a call only when it is complete: the whole call at once.
        block ??= this.open(out, 'tool', { type: 'tool_use', id: event.id, name: event.toolCall.name, input: {} });
        if (!block.sentInput) out.push(delta(block.index, { type: 'input_json_delta', partial_json: JSON.stringify(event.toolCall.arguments) }));
        this.tools.delete(event.id);
        if (this.current === block) this.current = undefined;
        out.push({ event: 'content_block_stop', data: { type: 'content_block_stop', index: block.index } });
        break;
      }
      default:
        break;
    }
    return out;
  }

  /** Closes the open block, if any (before someone else writes a block of their own). */
  closeOpen(): AnthropicSseEvent[] {
    const out: AnthropicSseEvent[] = [];
    this.close(out);
    // Calls that never ended (the stream stopped inside one) are closed as they are.
    for (const block of this.tools.values()) out.push({ event: 'content_block_stop', data: { type: 'content_block_stop', index: block.index } });
    this.tools.clear();
    return out;
  }

  /** The closing events after `done`; `raw` is the provider's own stop reason. */
  finish(finishReason: FinishReason, usage: TokenUsage, raw?: unknown): AnthropicSseEvent[] {
    const out = this.closeOpen();
    out.push({
      event: 'message_delta',
      data: { type: 'message_delta', delta: { stop_reason: toAnthropicStopReason(finishReason, raw), stop_sequence: null }, usage: toAnthropicUsage(usage) },
    });
    out.push({ event: 'message_stop', data: { type: 'message_stop' } });
    return out;
  }

  private open(out: AnthropicSseEvent[], kind: OpenBlock['kind'], block: Record<string, unknown>): OpenBlock {
    this.close(out);
    const opened: OpenBlock = { index: this.next, kind };
    this.next += 1;
    this.current = opened;
    out.push({ event: 'content_block_start', data: { type: 'content_block_start', index: opened.index, content_block: block } });
    return opened;
  }

  private close(out: AnthropicSseEvent[]): void {
    const block = this.current;
    if (!block) return;
    this.current = undefined;
    // A tool block still taking arguments stays open (its deltas address it by index) until its `tool-call-end`.
    if (block.kind === 'tool' && [...this.tools.values()].includes(block)) return;
    out.push({ event: 'content_block_stop', data: { type: 'content_block_stop', index: block.index } });
  }
}

function delta(index: number, body: Record<string, unknown>): AnthropicSseEvent {
  return { event: 'content_block_delta', data: { type: 'content_block_delta', index, delta: body } };
}
