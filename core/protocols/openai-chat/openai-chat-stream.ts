import { EMPTY_USAGE } from '../../cost.js';
import { InvalidResponseError, NetworkError, toHyperAgentError, type HyperAgentError } from '../../errors.js';
import type { SseEvent } from '../../http.js';
import type { HeaderMap } from '../../rate-limit-headers.js';
import { ToolCallAssembler } from '../../tool-call-assembler.js';
import type { StreamEvent, TokenUsage } from '../../types.js';
import type { OpenAIChatChunk } from './openai-chat-api.js';
import { LogprobTally } from './openai-chat-confidence.js';
import { errorFromErrorObject } from './openai-chat-errors.js';
import { convertOpenAIChatUsage } from './convert-openai-chat-usage.js';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';

export interface OpenAIChatStreamContext {
  readonly provider: string;
  /** Filled in while the stream runs: `responseId`, `model`, `rawFinishReason`, provider extras. */
  readonly metadata: Record<string, unknown>;
  /** Headers of the streaming response, for errors that arrive inside it. */
  readonly headers?: HeaderMap;
  readonly apiKeyEnv?: string;
  /** Copies provider extras (OpenRouter's `native_finish_reason`, `cost_details`...) from each chunk into `metadata`. */
  readonly onChunk?: (chunk: OpenAIChatChunk, metadata: Record<string, unknown>) => void;
}

/**
 * The one transform from parsed Chat Completions SSE events to our stream events. It ends with one
 * `done` or one `error`: at `data: [DONE]`, at the end of a stream that saw a `finish_reason` (some
 * OpenAI-compatible servers never send `[DONE]`), at an in-stream `error` object, or when the
 * connection drops (then with the usage seen so far).
 */
export async function* transformOpenAIChatStream(events: AsyncIterable<SseEvent>, context: OpenAIChatStreamContext): AsyncGenerator<StreamEvent> {
  const { provider, metadata } = context;
  const assembler = new ToolCallAssembler(provider);
  const tally = new LogprobTally();
  let usage: TokenUsage = EMPTY_USAGE;
  let finishReason: string | undefined;
  let sawDone = false;
  let chunks = 0;
  try {
    for await (const event of events) {
      const data = event.data.trim();
      if (data === '') continue;
      if (data === '[DONE]') {
        sawDone = true;
        break;
      }
      const chunk = parseChunk(data, provider);
      chunks += 1;
      if (chunk.usage) usage = convertOpenAIChatUsage(chunk.usage);
      if (chunk.error) {
        const error = errorFromErrorObject(chunk.error, {
          provider,
          headers: context.headers,
          apiKeyEnv: context.apiKeyEnv,
          received: 'sent an error object mid-stream on HTTP 200',
        });
        yield { type: 'error', error, tokenUsage: usage };
        return;
      }
      if (!Array.isArray(chunk.choices) && !chunk.usage) {
        const kind = typeof chunk.type === 'string' ? `an event of type "${chunk.type}"` : 'an object without "choices"';
        throw new InvalidResponseError(
          `${provider} sent ${kind} where a Chat Completions chunk was expected. ` +
            (typeof chunk.type === 'string' && chunk.type.startsWith('response.') ? 'This is an OpenAI Responses API stream: use api: "responses". ' : '') +
            "Check the backend's \"baseURL\".",
          { provider },
        );
      }
      if (chunk.id !== undefined) metadata.responseId ??= chunk.id;
      if (typeof chunk.model === 'string' && chunk.model !== '') metadata.model = chunk.model;
      context.onChunk?.(chunk, metadata);
      for (const choice of chunk.choices ?? []) {
        // We ask for one choice; servers that send more get the first.
        if ((choice.index ?? 0) !== 0) continue;
        const delta = choice.delta;
        if (delta) {
          const reasoning = delta.reasoning ?? delta.reasoning_content;
          if (typeof reasoning === 'string' && reasoning !== '') yield { type: 'reasoning-delta', text: reasoning };
          if (typeof delta.content === 'string' && delta.content !== '') yield { type: 'text-delta', text: delta.content };
          for (const fragment of delta.tool_calls ?? []) {
            yield* assembler.push({
              index: fragment.index,
              id: fragment.id ?? undefined,
              name: fragment.function?.name ?? undefined,
              arguments: fragment.function?.arguments ?? undefined,
            });
          }
        }
        tally.add(choice.logprobs);
        if (typeof choice.finish_reason === 'string' && choice.finish_reason !== '') {
          finishReason = choice.finish_reason;
          yield* assembler.finish();
        }
      }
    }
    if (!sawDone && finishReason === undefined) {
      throw new InvalidResponseError(
        `The ${provider} stream ended after ${chunks} chunk(s) without a finish_reason or [DONE]: the answer is incomplete. Retry the request.`,
        { provider, retryable: true },
      );
    }
    yield* assembler.finish();
  } catch (error) {
    yield { type: 'error', error: streamError(error, provider, chunks), tokenUsage: usage };
    return;
  }
  if (finishReason !== undefined) metadata.rawFinishReason = finishReason;
  yield { type: 'done', tokenUsage: usage, finishReason: mapOpenAIFinishReason(finishReason), ...(tally.seen ? { confidence: tally.confidence } : {}) };
}

function parseChunk(data: string, provider: string): OpenAIChatChunk {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch (error) {
    throw new InvalidResponseError(`${provider} sent a stream event whose data is not JSON: ${data.slice(0, 200)}`, { provider, cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidResponseError(`${provider} sent a stream event whose data is not a JSON object: ${data.slice(0, 200)}`, { provider });
  }
  return parsed as OpenAIChatChunk;
}

/** A connection that breaks mid-stream is not a failure to reach the provider: say what happened. */
function streamError(error: unknown, provider: string, chunks: number): HyperAgentError {
  const typed = toHyperAgentError(error, provider);
  if (typed instanceof NetworkError) {
    const cause = typed.cause instanceof Error ? typed.cause.message : typed.message;
    return new NetworkError(`The ${provider} stream was cut off after ${chunks} chunk(s), before it finished (${cause}). Retry the request.`, {
      provider,
      retryable: true,
      cause: typed.cause ?? error,
    });
  }
  return typed;
}

