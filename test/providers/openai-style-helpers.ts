// Shared by the OpenAI-style provider tests (openai, openrouter, openai-compatible).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { HyperAgentError } from '../../core/errors.js';
import type { InferenceStream, StreamEvent } from '../../core/types.js';
import { FIXTURES_DIR } from '../replay-server.js';

/** Distinctive fake keys: any appearance in an error or output is a leak. */
export const FAKE_OPENAI_KEY = 'sk-proj-' + 'HYPERAGENTFAKEKEY0123456789abcdef';
export const FAKE_OPENROUTER_KEY = 'sk-or-v1-hyperagentfakeopenrouterkey0123456789';
export const FAKE_COMPAT_KEY = 'local-secret-hyperagent-7c1d';

export const fixtureText = (name: string): string => readFileSync(join(FIXTURES_DIR, name), 'utf8');
export const fixtureJson = (name: string): Record<string, any> => JSON.parse(fixtureText(name));

export async function collect(stream: InferenceStream): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

export const terminalEvents = (events: readonly StreamEvent[]): StreamEvent[] => events.filter((event) => event.type === 'done' || event.type === 'error');

/** Exactly one terminal event, and it is the last. */
export function expectOneTerminal(events: readonly StreamEvent[]): StreamEvent {
  const terminals = terminalEvents(events);
  expect(terminals).toHaveLength(1);
  expect(events[events.length - 1]).toBe(terminals[0]);
  return terminals[0];
}

export function errorOf(events: readonly StreamEvent[]): HyperAgentError {
  const terminal = expectOneTerminal(events);
  if (terminal.type !== 'error') throw new Error(`expected an error event, got ${terminal.type}`);
  return terminal.error;
}

export const textOf = (events: readonly StreamEvent[]): string =>
  events.map((event) => (event.type === 'text-delta' ? event.text : '')).join('');
export const reasoningOf = (events: readonly StreamEvent[]): string =>
  events.map((event) => (event.type === 'reasoning-delta' ? event.text : '')).join('');

/**
 * An oracle independent of eventsource-parser and of our transform: the `data:` lines of a Chat
 * Completions recording, decoded one by one, with content/reasoning/arguments concatenated.
 */
export function naiveChatStream(name: string): { text: string; reasoning: string; arguments: string[] } {
  let text = '';
  let reasoning = '';
  const args: string[] = [];
  for (const line of fixtureText(name).split('\n')) {
    if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
    const chunk = JSON.parse(line.slice(6));
    for (const choice of chunk.choices ?? []) {
      const delta = choice.delta ?? {};
      text += delta.content ?? '';
      reasoning += delta.reasoning ?? delta.reasoning_content ?? '';
      for (const call of delta.tool_calls ?? []) args[call.index ?? 0] = (args[call.index ?? 0] ?? '') + (call.function?.arguments ?? '');
    }
  }
  return { text, reasoning, arguments: args };
}

/** No secret anywhere in an error: message, JSON form, body, or cause chain. */
export function expectNoKey(error: unknown, key: string): void {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && !seen.has(current)) {
    seen.add(current);
    const item = current as { message?: unknown; toJSON?: () => unknown; body?: unknown; stack?: unknown; cause?: unknown };
    for (const text of [item.message, item.stack, JSON.stringify(item.toJSON?.() ?? null), JSON.stringify(item.body ?? null), String(current)]) {
      expect(String(text)).not.toContain(key);
    }
    current = item.cause;
  }
}
