import type { SseEvent } from '../core/http.js';
import type { FinishReason, StreamEvent } from '../core/types.js';
import type { AnthropicEventEncoder } from '../protocols/anthropic-messages/index.js';

/** An SSE event ready to write: its name and its data (JSON text). */
export interface OutgoingEvent {
  readonly name: string;
  readonly data: string;
}

type ToolEvent = Extract<StreamEvent, { type: 'tool-call-start' | 'tool-call-delta' | 'tool-call-end' }>;

function nameOf(event: SseEvent): string {
  if (event.event) return event.event;
  try {
    const type = (JSON.parse(event.data) as { type?: unknown }).type;
    return typeof type === 'string' ? type : 'message';
  } catch {
    return 'message';
  }
}

/**
 * The upstream's own SSE events, relayed to an Anthropic client as they came, paced by the kernel's
 * events: written only once the kernel handed out an event at or after them, so nothing the kernel
 * stopped (a veto, an error) goes out. `message_delta` and `message_stop` wait for the kernel's
 * `done`, so the call is charged and reviewed first.
 *
 * With `substituteTools` (a plugin reviews tool calls) the upstream's `tool_use` blocks are not
 * relayed: the kernel's reviewed calls are written in their place by the encoder — allowed calls as
 * they came, rewritten ones with their new input, denied ones not at all — and the blocks after
 * them renumbered so the indices stay 0, 1, 2... Without it, every byte is the upstream's.
 */
export class AnthropicRawRelay {
  private readonly indices = new Map<number, number>();
  private readonly skipped = new Set<number>();
  private next = 0;
  private readonly closing: SseEvent[] = [];

  constructor(
    private readonly substituteTools: boolean,
    private readonly encoder: AnthropicEventEncoder,
  ) {}

  /** The events to write now for these upstream events. */
  relay(events: readonly SseEvent[]): OutgoingEvent[] {
    const out: OutgoingEvent[] = [];
    for (const event of events) {
      const name = nameOf(event);
      if (name === 'message_delta' || name === 'message_stop') this.closing.push(event);
      // The kernel ends the stream with its own error, in the client's shape: the upstream's is not relayed.
      else if (name === 'error') continue;
      else if (!this.substituteTools) out.push({ name, data: event.data });
      else this.renumbered(name, event, out);
    }
    return out;
  }

  /** A reviewed tool call's event from the kernel (with `substituteTools`). */
  tool(event: ToolEvent): OutgoingEvent[] {
    this.encoder.nextIndex = this.next;
    const encoded = this.encoder.encode(event);
    this.next = this.encoder.nextIndex;
    return encoded.map((item) => ({ name: item.event, data: JSON.stringify(item.data) }));
  }

  /** `message_delta` and `message_stop` after the kernel's `done`; a `tool_use` stop with every call denied becomes `end_turn`. */
  finish(finishReason: FinishReason): OutgoingEvent[] {
    return this.closing.splice(0).map((event) => {
      const name = nameOf(event);
      if (name !== 'message_delta' || !this.substituteTools || finishReason === 'tool-calls') return { name, data: event.data };
      const chunk = JSON.parse(event.data) as { delta?: { stop_reason?: unknown } };
      if (chunk.delta?.stop_reason !== 'tool_use') return { name, data: event.data };
      return { name, data: JSON.stringify({ ...chunk, delta: { ...chunk.delta, stop_reason: 'end_turn' } }) };
    });
  }

  private renumbered(name: string, event: SseEvent, out: OutgoingEvent[]): void {
    if (name !== 'content_block_start' && name !== 'content_block_delta' && name !== 'content_block_stop') {
      out.push({ name, data: event.data });
      return;
    }
    const chunk = JSON.parse(event.data) as { index?: number; content_block?: { type?: unknown } };
    const index = chunk.index ?? 0;
    if (name === 'content_block_start') {
      if (chunk.content_block?.type === 'tool_use') {
        this.skipped.add(index);
        return;
      }
      this.indices.set(index, this.next);
      this.next += 1;
    }
    if (this.skipped.has(index)) return;
    const mapped = this.indices.get(index) ?? index;
    out.push({ name, data: mapped === index ? event.data : JSON.stringify({ ...chunk, index: mapped }) });
  }
}
