import { ToolArgumentsError } from './errors.js';
import type { StreamEvent, ToolCall } from './types.js';

/** One wire fragment of a tool call, as OpenAI-style streams send them. */
export interface ToolCallFragment {
  readonly index?: number;
  readonly id?: string;
  readonly name?: string;
  readonly arguments?: string;
}

interface OpenCall {
  id: string | undefined;
  name: string | undefined;
  readonly position: number;
  readonly argumentChunks: string[];
  started: boolean;
  ended: boolean;
}

/** Parse tool-call arguments: `""` means `{}`; anything that is not a JSON object is a typed error naming the tool. */
export function parseToolArguments(name: string, id: string, raw: string | undefined, provider?: string): ToolCall {
  const text = raw ?? '';
  if (text.trim() === '') return { id, name, arguments: {}, rawArguments: text };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ToolArgumentsError(name, id, text, { provider, cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ToolArgumentsError(name, id, text, { provider });
  return { id, name, arguments: parsed as Record<string, unknown>, rawArguments: text };
}

/**
 * Assembles streamed tool calls for every OpenAI-style provider. Calls are keyed by `index`,
 * falling back to `id`; a whole call in one chunk, repeated indexes, empty argument fragments and
 * an index reused for a new id (some local servers do this) are all handled.
 */
export class ToolCallAssembler {
  private readonly calls: OpenCall[] = [];
  private readonly byIndex = new Map<number, OpenCall>();
  private readonly byId = new Map<string, OpenCall>();

  constructor(private readonly provider?: string) {}

  get size(): number {
    return this.calls.length;
  }

  /** Feed one fragment; returns the events it produces (start once the name is known, then deltas). */
  push(fragment: ToolCallFragment): StreamEvent[] {
    const call = this.locate(fragment);
    if (fragment.id && !call.id) {
      call.id = fragment.id;
      this.byId.set(fragment.id, call);
    }
    if (fragment.name && !call.name) call.name = fragment.name;
    const events: StreamEvent[] = [];
    if (!call.started && call.name) {
      call.id ??= `call_${call.position}`;
      this.byId.set(call.id, call);
      call.started = true;
      events.push({ type: 'tool-call-start', id: call.id, name: call.name, index: call.position });
      const buffered = call.argumentChunks.join('');
      if (buffered !== '') events.push({ type: 'tool-call-delta', id: call.id, argumentsDelta: buffered });
    }
    const delta = fragment.arguments;
    if (delta !== undefined && delta !== '') {
      call.argumentChunks.push(delta);
      if (call.started) events.push({ type: 'tool-call-delta', id: call.id as string, argumentsDelta: delta });
    }
    return events;
  }

  private locate(fragment: ToolCallFragment): OpenCall {
    if (fragment.index !== undefined) {
      const existing = this.byIndex.get(fragment.index);
      const sameCall = existing && !existing.ended && (fragment.id === undefined || existing.id === undefined || existing.id === fragment.id);
      if (existing && sameCall) return existing;
      if (existing && fragment.id !== undefined) {
        const known = this.byId.get(fragment.id);
        if (known) return known;
      }
      const call = this.open();
      this.byIndex.set(fragment.index, call);
      return call;
    }
    if (fragment.id !== undefined) {
      const known = this.byId.get(fragment.id);
      if (known) return known;
      return this.open();
    }
    const last = this.calls[this.calls.length - 1];
    return last && !last.ended ? last : this.open();
  }

  private open(): OpenCall {
    const call: OpenCall = { id: undefined, name: undefined, position: this.calls.length, argumentChunks: [], started: false, ended: false };
    this.calls.push(call);
    return call;
  }

  /** End every open call: `tool-call-end` events with parsed arguments. Throws ToolArgumentsError for arguments that never parse. */
  finish(): StreamEvent[] {
    const events: StreamEvent[] = [];
    for (const call of this.calls) {
      if (call.ended) continue;
      call.ended = true;
      const name = call.name ?? 'unknown';
      const id = call.id ?? `call_${call.position}`;
      if (!call.started) {
        events.push({ type: 'tool-call-start', id, name, index: call.position });
        const raw = call.argumentChunks.join('');
        if (raw !== '') events.push({ type: 'tool-call-delta', id, argumentsDelta: raw });
      }
      events.push({ type: 'tool-call-end', id, toolCall: parseToolArguments(name, id, call.argumentChunks.join(''), this.provider) });
    }
    return events;
  }
}
