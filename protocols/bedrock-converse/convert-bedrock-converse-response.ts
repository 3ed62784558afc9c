import { InvalidResponseError, ToolArgumentsError } from '../../core/errors.js';
import type { InferenceOutput, OutputMetadata, ReasoningPart, ToolCall } from '../../core/types.js';
import type { BedrockContentBlock, BedrockConverseResponse } from './bedrock-converse-api.js';
import { convertBedrockConverseUsage } from './convert-bedrock-converse-usage.js';
import { mapBedrockConverseStopReason } from './map-bedrock-converse-stop-reason.js';

/** A Converse response → `InferenceOutput`, the same shape a ConverseStream's `output()` has. */
export function convertBedrockConverseResponse(body: BedrockConverseResponse, metadata: Record<string, unknown> & { provider: string }): InferenceOutput {
  const content = body?.output?.message?.content;
  if (typeof body !== 'object' || body === null || !Array.isArray(content)) {
    throw new InvalidResponseError(`${metadata.provider} answered with a body that is not a Converse response (no "output.message.content" array): ${JSON.stringify(body)?.slice(0, 200)}.`, {
      provider: metadata.provider,
      requestId: metadata.requestId as string | undefined,
    });
  }
  const text: string[] = [];
  const reasoningParts: ReasoningPart[] = [];
  const toolCalls: ToolCall[] = [];
  for (const block of content as readonly BedrockContentBlock[]) {
    if (typeof block.text === 'string') text.push(block.text);
    else if (block.toolUse) toolCalls.push(toolCall(block.toolUse, metadata.provider));
    else if (block.reasoningContent?.reasoningText) {
      const { text: reasoning, signature } = block.reasoningContent.reasoningText;
      reasoningParts.push({ text: typeof reasoning === 'string' ? reasoning : '', ...(typeof signature === 'string' ? { signature } : {}) });
    } else if (typeof block.reasoningContent?.redactedContent === 'string') {
      reasoningParts.push({ text: '', redactedData: block.reasoningContent.redactedContent });
    }
  }
  const stopReason = body.stopReason;
  const outputMetadata: Record<string, unknown> = { ...metadata };
  if (stopReason) outputMetadata.rawFinishReason = stopReason;
  if (typeof body.metrics?.latencyMs === 'number') outputMetadata.latencyMs = body.metrics.latencyMs;
  // A guardrail's assessment says why it intervened: kept for the caller, as Azure's filter results are.
  if (body.trace !== undefined) outputMetadata.trace = body.trace;
  if (body.additionalModelResponseFields !== undefined) outputMetadata.additionalModelResponseFields = body.additionalModelResponseFields;
  const output: { -readonly [K in keyof InferenceOutput]: InferenceOutput[K] } = {
    content: text.join(''),
    // Converse returns no log-probabilities.
    confidence: 1,
    tokenUsage: convertBedrockConverseUsage(body.usage),
    finishReason: mapBedrockConverseStopReason(stopReason),
    metadata: outputMetadata as OutputMetadata,
  };
  if (toolCalls.length > 0) output.toolCalls = toolCalls;
  if (reasoningParts.length > 0) {
    output.reasoning = reasoningParts.map((part) => part.text).join('');
    output.reasoningParts = reasoningParts;
  }
  return output;
}

function toolCall(use: NonNullable<BedrockContentBlock['toolUse']>, provider: string): ToolCall {
  const id = typeof use.toolUseId === 'string' ? use.toolUseId : '';
  const name = typeof use.name === 'string' ? use.name : 'unknown';
  const input = use.input ?? {};
  const rawArguments = JSON.stringify(input);
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new ToolArgumentsError(name, id, rawArguments, { provider });
  return { id, name, arguments: input as Record<string, unknown>, rawArguments };
}
