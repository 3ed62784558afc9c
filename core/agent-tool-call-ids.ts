import type { LLMMessage, ToolCall } from './types.js';

/** Every tool-call id the conversation has used so far (assistant calls and the results answering them). */
export function usedToolCallIds(messages: readonly LLMMessage[]): Set<string> {
  const used = new Set<string>();
  for (const message of messages) {
    for (const call of message.toolCalls ?? []) used.add(call.id);
    if (message.toolCallId) used.add(message.toolCallId);
  }
  return used;
}

/**
 * The calls with ids that are unique in the conversation. Some local servers send the same id
 * twice in one answer, or `call_0` on every turn, or none: the next request would then fail the
 * kernel's own validation (each tool result must answer one call) after the tools had run. A
 * missing id becomes `call_<position>`, a taken one `<id>_2`, `<id>_3`… (deterministic, so a
 * replayed conversation gets the same ids). `used` is updated.
 */
export function uniqueToolCallIds(calls: readonly ToolCall[], used: Set<string>): ToolCall[] {
  return calls.map((call, position) => {
    const base = typeof call.id === 'string' && call.id !== '' ? call.id : `call_${position}`;
    let id = base;
    for (let suffix = 2; used.has(id); suffix += 1) id = `${base}_${suffix}`;
    used.add(id);
    return id === call.id ? call : { ...call, id };
  });
}
