import type { InferenceOutput, StreamEvent } from './types.js';

/** The stream events a finished output amounts to, for callers that show non-streamed answers the same way. */
export function outputEvents(output: InferenceOutput): StreamEvent[] {
  const events: StreamEvent[] = [];
  for (const part of output.reasoningParts ?? []) {
    if (part.redactedData !== undefined) events.push({ type: 'reasoning-redacted', data: part.redactedData });
    else if (part.text !== '') events.push({ type: 'reasoning-delta', text: part.text });
    if (part.signature !== undefined) events.push({ type: 'reasoning-signature', signature: part.signature });
  }
  if (output.reasoningParts === undefined && output.reasoning) events.push({ type: 'reasoning-delta', text: output.reasoning });
  if (output.content) events.push({ type: 'text-delta', text: output.content });
  for (const [index, toolCall] of (output.toolCalls ?? []).entries()) {
    events.push({ type: 'tool-call-start', id: toolCall.id, name: toolCall.name, index });
    if (toolCall.rawArguments !== '') events.push({ type: 'tool-call-delta', id: toolCall.id, argumentsDelta: toolCall.rawArguments });
    events.push({ type: 'tool-call-end', id: toolCall.id, toolCall });
  }
  events.push({ type: 'done', tokenUsage: output.tokenUsage, finishReason: output.finishReason, confidence: output.confidence });
  return events;
}
