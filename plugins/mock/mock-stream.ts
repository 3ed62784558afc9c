import type { StreamEvent } from '../../core/types.js';
import { mockDelay, mockLatency } from './mock-delay.js';
import type { MockTurn } from './mock-turn.js';

/** Characters per `tool-call-delta`: small enough that even short arguments arrive in several pieces. */
const ARGUMENT_FRAGMENT_LENGTH = 6;

export interface MockStreamSettings {
  readonly signal?: AbortSignal;
  /** Pause between events. @default 0 (no timer) */
  readonly streamDelayMs?: number;
  readonly timeoutMs?: number;
}

/** Split text into chunks of `words` words; the chunks join back to the text exactly, whitespace included. */
export function splitWords(text: string, words: number): string[] {
  const pieces = text.match(/\s*\S+\s*/g) ?? (text === '' ? [] : [text]);
  const chunks: string[] = [];
  for (let index = 0; index < pieces.length; index += words) chunks.push(pieces.slice(index, index + words).join(''));
  return chunks;
}

function splitFixed(text: string, length: number): string[] {
  const chunks: string[] = [];
  for (let index = 0; index < text.length; index += length) chunks.push(text.slice(index, index + length));
  return chunks.length > 0 ? chunks : [text];
}

/**
 * The events a real provider emits for this turn, in its order: reasoning, text, each tool call
 * as start / argument fragments / end, then one `done`. An error turn is one `error` event.
 */
export function mockStreamEventList(turn: MockTurn): StreamEvent[] {
  if (turn.error) return [{ type: 'error', error: turn.error }];
  const events: StreamEvent[] = [];
  for (const text of splitWords(turn.reasoning ?? '', turn.chunkSize)) events.push({ type: 'reasoning-delta', text });
  for (const text of splitWords(turn.content, turn.chunkSize)) events.push({ type: 'text-delta', text });
  turn.toolCalls.forEach((toolCall, index) => {
    events.push({ type: 'tool-call-start', id: toolCall.id, name: toolCall.name, index });
    for (const argumentsDelta of splitFixed(toolCall.rawArguments, ARGUMENT_FRAGMENT_LENGTH)) {
      events.push({ type: 'tool-call-delta', id: toolCall.id, argumentsDelta });
    }
    events.push({ type: 'tool-call-end', id: toolCall.id, toolCall });
  });
  events.push({ type: 'done', tokenUsage: turn.tokenUsage, finishReason: turn.finishReason });
  return events;
}

/**
 * Plays a turn as a stream: the latency before the first event, `streamDelayMs` between events.
 * An abort rejects at once; the managed stream turns that into its single `error` event.
 */
export async function* mockStreamEvents(turn: MockTurn, settings: MockStreamSettings = {}): AsyncGenerator<StreamEvent> {
  await mockLatency(turn.latencyMs, settings.signal, settings.timeoutMs);
  let first = true;
  for (const event of mockStreamEventList(turn)) {
    await mockDelay(first ? 0 : (settings.streamDelayMs ?? 0), settings.signal);
    first = false;
    yield event;
  }
}
