import { InvalidResponseError } from '../../core/errors.js';
import type { HttpResponseInfo, ProviderWireHooks } from '../../core/http.js';
import { parseToolArguments } from '../../core/tool-call-assembler.js';
import type { InferenceOutput, OutputMetadata, ToolCall } from '../../core/types.js';
import type { OpenAIResponsesResponse } from './openai-responses-api.js';
import { convertOpenAIResponsesUsage } from './convert-openai-responses-usage.js';
import { mapOpenAIResponsesStatus } from './map-openai-responses-status.js';
import { errorFromResponsesError } from './openai-responses-errors.js';
import { undecodedItemWarning } from './openai-responses-output-items.js';

export interface OpenAIResponsesResponseContext extends ProviderWireHooks {
  readonly provider: string;
  /** The model we asked for; the response's own `model` (often a dated snapshot) wins when present. */
  readonly model: string;
  readonly response: HttpResponseInfo;
  readonly warnings: readonly string[];
  readonly apiKeyEnv?: string;
  /** Copies provider extras from the body into the metadata. */
  readonly onResponse?: (response: OpenAIResponsesResponse, metadata: Record<string, unknown>) => void;
}

/** A non-streaming Responses API body → `InferenceOutput`. An `error` object in a 200 body is thrown typed. */
export function convertOpenAIResponsesResponse(result: OpenAIResponsesResponse, context: OpenAIResponsesResponseContext): InferenceOutput {
  const { provider, response, model } = context;
  if (result?.error) {
    throw errorFromResponsesError(result.error, {
      provider,
      headers: response.headers,
      apiKeyEnv: context.apiKeyEnv,
      readRateLimit: context.readRateLimit,
      mapError: context.mapError,
      received: 'returned an error object on HTTP 200',
    });
  }
  if (!Array.isArray(result?.output)) {
    throw new InvalidResponseError(`${provider} answered /responses without an "output" array.`, { provider, requestId: response.requestId });
  }
  let content = '';
  let reasoning = '';
  const toolCalls: ToolCall[] = [];
  const warnings = [...context.warnings];
  let decoded = false;
  for (const item of result.output) {
    if (item.type === 'message') for (const part of item.content ?? []) if (part.type === 'output_text') content += part.text ?? '';
    if (item.type === 'reasoning') {
      for (const part of item.summary ?? []) reasoning += part.text ?? '';
      // Servers that return the reasoning itself (LM Studio, gpt-oss) put it in `content` as reasoning_text.
      if (!item.summary?.length) for (const part of item.content ?? []) if (part.type === 'reasoning_text') reasoning += part.text ?? '';
    }
    if (item.type === 'function_call') toolCalls.push(parseToolArguments(item.name ?? 'unknown', item.call_id ?? item.id ?? `call_${toolCalls.length}`, item.arguments, provider));
    const warning = undecodedItemWarning(provider, item.type);
    if (warning === undefined) decoded = true;
    else warnings.push(warning);
  }
  const onlyUndecoded = !decoded && result.output.length > 0;
  const metadata = {
    provider,
    model: result.model ?? model,
    requestedModel: model,
    ...(response.requestId ? { requestId: response.requestId } : {}),
    ...(result.id ? { responseId: result.id } : {}),
    ...(result.status ? { rawFinishReason: result.status } : {}),
    ...(response.rateLimit ? { rateLimit: response.rateLimit } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
  } as OutputMetadata;
  context.onResponse?.(result, metadata as Record<string, unknown>);
  return {
    content,
    ...(toolCalls.length > 0 ? { toolCalls } : {}),
    ...(reasoning !== '' ? { reasoning, reasoningParts: [{ text: reasoning }] } : {}),
    confidence: 1,
    tokenUsage: convertOpenAIResponsesUsage(result.usage),
    finishReason: onlyUndecoded ? 'other' : mapOpenAIResponsesStatus(result, toolCalls.length > 0),
    metadata,
  };
}
