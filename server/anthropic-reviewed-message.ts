import type { InferenceOutput } from '../core/types.js';
import type { AnthropicMessageResponse } from '../protocols/anthropic-messages/index.js';

/**
 * The upstream's own message, as the kernel's review left it: `tool_use` blocks the review denied
 * are removed, rewritten ones carry their new input, and a `tool_use` stop with no call left is
 * `end_turn`. Every other block (server tools and their results, citations...) is the upstream's.
 */
export function reviewedMessage(raw: AnthropicMessageResponse, output: InferenceOutput): AnthropicMessageResponse {
  const calls = new Map((output.toolCalls ?? []).map((call) => [call.id, call]));
  let changed = false;
  const content = (raw.content ?? []).flatMap((block) => {
    if (block.type !== 'tool_use') return [block];
    const call = calls.get(String((block as { id?: unknown }).id));
    changed = true;
    if (!call) return [];
    return [{ ...block, name: call.name, input: call.arguments }];
  });
  if (!changed) return raw;
  const stopReason = raw.stop_reason === 'tool_use' && calls.size === 0 ? 'end_turn' : raw.stop_reason;
  return { ...raw, content, stop_reason: stopReason };
}
