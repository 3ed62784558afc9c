import type { InferenceOutput, LLMMessage, ToolCall } from '../../core/types.js';
import type { DeniedToolCall } from './approval-types.js';

export const DENIED_RESULT_PREFIX = 'Tool call denied by approval policy: ';

/** The tool calls the approval plugin took out of `output`, with their reasons. */
export function deniedToolCalls(output: InferenceOutput): readonly DeniedToolCall[] {
  const denied = output.metadata.deniedToolCalls;
  return Array.isArray(denied) ? (denied as DeniedToolCall[]) : [];
}

/**
 * One tool-result message per denied call (`isError: true`), so the model learns the call was
 * refused instead of it being run. Send them after the assistant turn built with
 * `proposedToolCalls(output)`: providers reject a tool result whose call is not in that turn.
 */
export function deniedToolResults(output: InferenceOutput): LLMMessage[] {
  return deniedToolCalls(output).map(({ toolCall, reason }) => ({
    role: 'tool',
    toolCallId: toolCall.id,
    name: toolCall.name,
    content: `${DENIED_RESULT_PREFIX}${reason}`,
    isError: true,
  }));
}

/** Every call the model proposed (approved ones as approved or modified, then the denied ones), for the assistant turn in the history. */
export function proposedToolCalls(output: InferenceOutput): ToolCall[] {
  return [...(output.toolCalls ?? []), ...deniedToolCalls(output).map((denied) => denied.toolCall)];
}
