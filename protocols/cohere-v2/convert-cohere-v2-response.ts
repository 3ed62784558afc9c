import { parseToolArguments } from '../../core/tool-call-assembler.js';
import type { InferenceOutput, OutputMetadata, ToolCall } from '../../core/types.js';
import type { CohereV2Response } from './cohere-v2-api.js';
import { cohereV2InvalidJson } from './cohere-v2-errors.js';
import { convertCohereV2Usage } from './convert-cohere-v2-usage.js';
import { mapCohereV2FinishReason } from './map-cohere-v2-finish-reason.js';

export interface CohereV2ResponseContext {
  readonly provider: string;
  readonly model: string;
  readonly requestId?: string;
  readonly warnings: readonly string[];
}

/** A `/v2/chat` answer → `InferenceOutput`: text parts are the answer; `thinking` parts and the `tool_plan` are the reasoning. */
export function convertCohereV2Response(body: CohereV2Response, context: CohereV2ResponseContext): InferenceOutput {
  const { provider } = context;
  if (typeof body !== 'object' || body === null) throw cohereV2InvalidJson(provider, 'an answer', JSON.stringify(body));
  const message = body.message ?? {};
  let content = '';
  let thinking = '';
  for (const part of message.content ?? []) {
    if (part?.type === 'text' && typeof part.text === 'string') content += part.text;
    else if (part?.type === 'thinking' && typeof part.thinking === 'string') thinking += part.thinking;
  }
  const plan = typeof message.tool_plan === 'string' ? message.tool_plan : '';
  const reasoning = thinking + plan;
  // A no-parameter tool can get `arguments: "null"` (SOURCES.md, Cohere quirks): that is `{}`.
  const toolCalls: ToolCall[] = (message.tool_calls ?? []).map((call, position) => {
    const args = call.function?.arguments;
    return parseToolArguments(call.function?.name ?? 'unknown', call.id ?? `call_${position}`, args == null || args.trim() === 'null' ? '' : args, provider);
  });
  const metadata: Record<string, unknown> = { provider, model: context.model };
  if (context.requestId) metadata.requestId = context.requestId;
  if (body.id) metadata.responseId = body.id;
  if (body.finish_reason) metadata.rawFinishReason = body.finish_reason;
  if (plan !== '') metadata.toolPlan = plan;
  if (message.citations && message.citations.length > 0) metadata.citations = message.citations;
  if (context.warnings.length > 0) metadata.warnings = [...context.warnings];
  return {
    content,
    ...(toolCalls.length > 0 ? { toolCalls } : {}),
    ...(reasoning !== '' ? { reasoning } : {}),
    confidence: 1,
    tokenUsage: convertCohereV2Usage(body.usage),
    finishReason: mapCohereV2FinishReason(body.finish_reason),
    metadata: metadata as OutputMetadata,
  };
}
