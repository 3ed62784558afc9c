import { InvalidResponseError } from '../../core/errors.js';
import type { HttpResponseInfo, ProviderWireHooks } from '../../core/http.js';
import { parseToolArguments } from '../../core/tool-call-assembler.js';
import type { InferenceOutput, OutputMetadata, TokenUsage, ToolCall } from '../../core/types.js';
import type { OpenAIChatResponse, OpenAIChatWireUsage } from './openai-chat-api.js';
import { splitOpenAIChatContent } from './openai-chat-content.js';
import { confidenceFromLogprobs } from './openai-chat-confidence.js';
import { errorFromErrorObject } from './openai-chat-errors.js';
import { convertOpenAIChatUsage } from './convert-openai-chat-usage.js';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';

export interface OpenAIChatResponseContext extends ProviderWireHooks {
  readonly provider: string;
  /** The model we asked for; the response's own `model` (often a dated snapshot) wins when present. */
  readonly model: string;
  readonly response: HttpResponseInfo;
  readonly warnings: readonly string[];
  readonly apiKeyEnv?: string;
  /** Copies provider extras from the body into the metadata. */
  readonly onResponse?: (body: OpenAIChatResponse, metadata: Record<string, unknown>) => void;
  /** The provider's reading of its usage object. @default convertOpenAIChatUsage */
  readonly convertUsage?: (usage: OpenAIChatWireUsage) => TokenUsage;
}

/** A non-streaming Chat Completions body → `InferenceOutput`. An `error` object in a 200 body is thrown typed. */
export function convertOpenAIChatResponse(body: OpenAIChatResponse, context: OpenAIChatResponseContext): InferenceOutput {
  const { provider } = context;
  if (typeof body !== 'object' || body === null) {
    throw new InvalidResponseError(`${provider} answered with JSON that is not an object.`, { provider, requestId: context.response.requestId });
  }
  if (body.error) {
    throw errorFromErrorObject(body.error, {
      provider,
      headers: context.response.headers,
      apiKeyEnv: context.apiKeyEnv,
      readRateLimit: context.readRateLimit,
      mapError: context.mapError,
      received: 'returned an error object on HTTP 200',
    });
  }
  const choice = body.choices?.find((candidate) => (candidate.index ?? 0) === 0) ?? body.choices?.[0];
  if (!choice) {
    throw new InvalidResponseError(`${provider} answered without any choice: ${JSON.stringify(body).slice(0, 200)}`, {
      provider,
      requestId: context.response.requestId,
    });
  }
  const message = choice.message ?? {};
  const toolCalls: ToolCall[] = (message.tool_calls ?? []).map((call, position) =>
    parseToolArguments(call.function?.name ?? 'unknown', call.id ?? `call_${position}`, call.function?.arguments ?? '', provider),
  );
  const parts = splitOpenAIChatContent(message.content);
  const reasoning = message.reasoning ?? message.reasoning_content ?? (parts.reasoning === '' ? undefined : parts.reasoning);
  // Built field by field rather than from spreads of optional parts: this runs on every call.
  const metadata: Record<string, unknown> = { provider, model: typeof body.model === 'string' && body.model !== '' ? body.model : context.model, requestedModel: context.model };
  if (context.response.requestId) metadata.requestId = context.response.requestId;
  if (body.id) metadata.responseId = body.id;
  if (choice.finish_reason) metadata.rawFinishReason = choice.finish_reason;
  // The wire's per-token logprobs, kept whole: the gateway returns them to its own clients.
  if (choice.logprobs) metadata.logprobs = choice.logprobs;
  if (context.response.rateLimit) metadata.rateLimit = context.response.rateLimit;
  if (context.warnings.length > 0) metadata.warnings = [...context.warnings];
  context.onResponse?.(body, metadata);
  const output: { -readonly [K in keyof InferenceOutput]: InferenceOutput[K] } = {
    content: parts.text,
    confidence: confidenceFromLogprobs(choice.logprobs),
    tokenUsage: body.usage ? (context.convertUsage ?? convertOpenAIChatUsage)(body.usage) : convertOpenAIChatUsage(body.usage),
    finishReason: mapOpenAIFinishReason(choice.finish_reason),
    metadata: metadata as OutputMetadata,
  };
  if (toolCalls.length > 0) output.toolCalls = toolCalls;
  if (typeof reasoning === 'string' && reasoning !== '') {
    output.reasoning = reasoning;
    output.reasoningParts = [{ text: reasoning }];
  }
  return output;
}
