import { EMPTY_USAGE } from '../../core/cost.js';
import { InvalidResponseError, toHyperAgentError, type HyperAgentError } from '../../core/errors.js';
import type { SseEvent } from '../../core/http.js';
import { errorFromErrorObject } from '../../protocols/openai-chat/index.js';
import type { HeaderMap } from '../../core/rate-limit-headers.js';
import { ToolCallAssembler } from '../../core/tool-call-assembler.js';
import type { FinishReason, StreamEvent, TokenUsage } from '../../core/types.js';
import type { OpenAIResponsesErrorObject, OpenAIResponsesResponse, OpenAIResponsesStreamEvent, OpenAIResponsesUsage } from './openai-responses-api.js';

const PROVIDER = 'openai';

export function convertOpenAIResponsesUsage(usage: OpenAIResponsesUsage | null | undefined): TokenUsage {
  if (!usage) return EMPTY_USAGE;
  const promptTokens = usage.input_tokens ?? 0;
  const completionTokens = usage.output_tokens ?? 0;
  const cachedTokens = usage.input_tokens_details?.cached_tokens;
  const reasoningTokens = usage.output_tokens_details?.reasoning_tokens;
  return {
    promptTokens,
    completionTokens,
    totalTokens: usage.total_tokens ?? promptTokens + completionTokens,
    ...(typeof cachedTokens === 'number' ? { cachedTokens } : {}),
    ...(typeof reasoningTokens === 'number' ? { reasoningTokens } : {}),
  };
}

/** `completed` → stop (or tool-calls); `incomplete` → why it stopped. */
export function mapOpenAIResponsesStatus(response: OpenAIResponsesResponse, hasToolCalls: boolean): FinishReason {
  if (response.status === 'incomplete') {
    const reason = response.incomplete_details?.reason;
    return reason === 'max_output_tokens' ? 'length' : reason === 'content_filter' ? 'content-filter' : 'other';
  }
  if (response.status === 'failed') return 'error';
  return hasToolCalls ? 'tool-calls' : 'stop';
}

export function errorFromResponsesError(error: OpenAIResponsesErrorObject, received: string, headers?: HeaderMap): HyperAgentError {
  return errorFromErrorObject(
    { code: error.code ?? undefined, type: error.type ?? undefined, message: error.message },
    { provider: PROVIDER, headers, apiKeyEnv: 'OPENAI_API_KEY', received },
  );
}

/** Responses API SSE events → our stream events, ending with one `done` or one `error`. */
export async function* transformOpenAIResponsesStream(
  events: AsyncIterable<SseEvent>,
  metadata: Record<string, unknown>,
  headers?: HeaderMap,
): AsyncGenerator<StreamEvent> {
  const assembler = new ToolCallAssembler(PROVIDER);
  let usage: TokenUsage = EMPTY_USAGE;
  let toolCalls = 0;
  try {
    for await (const sse of events) {
      if (sse.data.trim() === '' || sse.data.trim() === '[DONE]') continue;
      let event: OpenAIResponsesStreamEvent;
      try {
        event = JSON.parse(sse.data) as OpenAIResponsesStreamEvent;
      } catch (error) {
        throw new InvalidResponseError(`openai sent a Responses stream event whose data is not JSON: ${sse.data.slice(0, 200)}`, { provider: PROVIDER, cause: error });
      }
      const type = event.type ?? sse.event;
      switch (type) {
        case 'response.created':
        case 'response.in_progress':
          if (event.response?.id) metadata.responseId = event.response.id;
          if (event.response?.model) metadata.model = event.response.model;
          break;
        case 'response.output_text.delta':
          if (event.delta) yield { type: 'text-delta', text: event.delta };
          break;
        case 'response.reasoning_summary_text.delta':
        case 'response.reasoning_text.delta':
          if (event.delta) yield { type: 'reasoning-delta', text: event.delta };
          break;
        case 'response.output_item.added':
          if (event.item?.type === 'function_call') {
            toolCalls += 1;
            yield* assembler.push({ index: event.output_index, id: event.item.call_id, name: event.item.name, arguments: event.item.arguments || undefined });
          }
          break;
        case 'response.function_call_arguments.delta':
          yield* assembler.push({ index: event.output_index, arguments: event.delta });
          break;
        case 'response.output_item.done':
          if (event.item?.type === 'function_call') yield* assembler.finish();
          break;
        case 'response.completed':
        case 'response.incomplete': {
          const response = event.response ?? {};
          usage = convertOpenAIResponsesUsage(response.usage);
          yield* assembler.finish();
          if (response.status) metadata.rawFinishReason = response.status;
          yield { type: 'done', tokenUsage: usage, finishReason: mapOpenAIResponsesStatus(response, toolCalls > 0) };
          return;
        }
        case 'error': {
          const error = event.error ?? { code: event.code, message: event.message };
          yield { type: 'error', error: errorFromResponsesError(error, 'sent an error event mid-stream', headers), tokenUsage: usage };
          return;
        }
        case 'response.failed': {
          usage = convertOpenAIResponsesUsage(event.response?.usage);
          const error = event.response?.error ?? { message: 'the response failed without an error object' };
          yield { type: 'error', error: errorFromResponsesError(error, 'reported response.failed', headers), tokenUsage: usage };
          return;
        }
        default:
          break;
      }
    }
    throw new InvalidResponseError('The openai Responses stream ended without response.completed: the answer is incomplete. Retry the request.', {
      provider: PROVIDER,
      retryable: true,
    });
  } catch (error) {
    yield { type: 'error', error: toHyperAgentError(error, PROVIDER), tokenUsage: usage };
  }
}
