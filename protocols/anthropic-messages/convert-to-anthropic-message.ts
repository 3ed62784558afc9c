import type { InferenceOutput } from '../../core/types.js';
import { toAnthropicStopReason, toAnthropicUsage, type AnthropicWireUsage } from './to-anthropic-usage.js';

export interface AnthropicMessageIdentity {
  /** `msg_...` */
  readonly id: string;
  /** The model the client asked for (the gateway's backend name). */
  readonly model: string;
}

export type AnthropicOutputBlock =
  | { readonly type: 'thinking'; readonly thinking: string; readonly signature: string }
  | { readonly type: 'redacted_thinking'; readonly data: string }
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'tool_use'; readonly id: string; readonly name: string; readonly input: Record<string, unknown> };

export interface AnthropicMessageBody {
  readonly id: string;
  readonly type: 'message';
  readonly role: 'assistant';
  readonly model: string;
  readonly content: readonly AnthropicOutputBlock[];
  readonly stop_reason: string;
  readonly stop_sequence: string | null;
  readonly usage: AnthropicWireUsage;
}

/**
 * An answer in our terms → a Messages API `message`, in the API's block order: thinking (signed, or
 * redacted), text, tool calls. Reasoning from a provider that does not sign it is a thinking block
 * with an empty signature; Anthropic would refuse it back, but nothing sends it there.
 */
export function convertToAnthropicMessage(output: InferenceOutput, identity: AnthropicMessageIdentity): AnthropicMessageBody {
  const content: AnthropicOutputBlock[] = [];
  if (output.reasoningParts && output.reasoningParts.length > 0) {
    for (const part of output.reasoningParts) {
      if (part.redactedData !== undefined) content.push({ type: 'redacted_thinking', data: part.redactedData });
      else content.push({ type: 'thinking', thinking: part.text, signature: part.signature ?? '' });
    }
  } else if (output.reasoning) {
    content.push({ type: 'thinking', thinking: output.reasoning, signature: '' });
  }
  if (output.content !== '') content.push({ type: 'text', text: output.content });
  for (const call of output.toolCalls ?? []) content.push({ type: 'tool_use', id: call.id, name: call.name, input: call.arguments });
  return {
    id: identity.id,
    type: 'message',
    role: 'assistant',
    model: identity.model,
    content,
    stop_reason: toAnthropicStopReason(output.finishReason, output.metadata.rawFinishReason),
    stop_sequence: null,
    usage: toAnthropicUsage(output.tokenUsage),
  };
}
