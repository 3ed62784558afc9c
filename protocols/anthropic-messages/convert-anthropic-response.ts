import { InvalidResponseError, ToolArgumentsError } from '../../core/errors.js';
import type { InferenceOutput, OutputMetadata, ReasoningPart, ToolCall } from '../../core/types.js';
import type { AnthropicMessageResponse } from './anthropic-api.js';
import { ANTHROPIC_PROVIDER } from './anthropic-errors.js';
import { convertAnthropicUsage } from './convert-anthropic-usage.js';
import { mapAnthropicStopReason } from './map-anthropic-stop-reason.js';

/** A non-streamed Messages API response → `InferenceOutput`, the same shape a stream's `output()` has. */
export function convertAnthropicResponse(body: AnthropicMessageResponse, metadata: Record<string, unknown>): InferenceOutput {
  if (typeof body !== 'object' || body === null || !Array.isArray(body.content)) {
    throw new InvalidResponseError(`Anthropic answered with a body that is not a message (no "content" array): ${JSON.stringify(body)?.slice(0, 200)}.`, {
      provider: ANTHROPIC_PROVIDER,
      requestId: metadata.requestId as string | undefined,
    });
  }
  const text: string[] = [];
  const reasoningParts: ReasoningPart[] = [];
  const toolCalls: ToolCall[] = [];
  for (const block of body.content) {
    const fields = block as Record<string, unknown>;
    switch (block.type) {
      case 'text':
        if (typeof fields.text === 'string') text.push(fields.text);
        break;
      case 'thinking':
        reasoningParts.push({
          text: typeof fields.thinking === 'string' ? fields.thinking : '',
          ...(typeof fields.signature === 'string' ? { signature: fields.signature } : {}),
        });
        break;
      case 'redacted_thinking':
        if (typeof fields.data === 'string') reasoningParts.push({ text: '', redactedData: fields.data });
        break;
      case 'tool_use':
        toolCalls.push(toolCall(fields));
        break;
      default:
        break;
    }
  }
  const stopReason = body.stop_reason ?? undefined;
  // Built field by field rather than from spreads of optional parts: this runs on every call.
  const outputMetadata: Record<string, unknown> = { ...metadata };
  if (body.model) outputMetadata.model = body.model;
  if (body.id) outputMetadata.responseId = body.id;
  if (stopReason) outputMetadata.rawFinishReason = stopReason;
  const output: { -readonly [K in keyof InferenceOutput]: InferenceOutput[K] } = {
    content: text.length === 1 ? text[0] : text.join(''),
    // Anthropic returns no log-probabilities.
    confidence: 1,
    tokenUsage: convertAnthropicUsage(body.usage),
    finishReason: mapAnthropicStopReason(stopReason),
    metadata: outputMetadata as OutputMetadata,
  };
  if (toolCalls.length > 0) output.toolCalls = toolCalls;
  if (reasoningParts.length > 0) {
    output.reasoning = reasoningParts.map((part) => part.text).join('');
    output.reasoningParts = reasoningParts;
  }
  return output;
}

function toolCall(fields: Record<string, unknown>): ToolCall {
  const id = typeof fields.id === 'string' ? fields.id : '';
  const name = typeof fields.name === 'string' ? fields.name : 'unknown';
  const input = fields.input ?? {};
  const rawArguments = JSON.stringify(input);
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ToolArgumentsError(name, id, rawArguments, { provider: ANTHROPIC_PROVIDER });
  }
  return { id, name, arguments: input as Record<string, unknown>, rawArguments };
}
