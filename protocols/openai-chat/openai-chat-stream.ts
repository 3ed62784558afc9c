import { EMPTY_USAGE } from '../../core/cost.js';
import { InvalidResponseError, NetworkError, toHyperAgentError, type HyperAgentError } from '../../core/errors.js';
import type { ProviderWireHooks, SseEvent } from '../../core/http.js';
import type { PullSource } from '../../core/pull-source.js';
import { TransformedSource, transformIterable, type StreamTransform } from '../../core/stream-transform.js';
import type { HeaderMap } from '../../core/rate-limit-headers.js';
import { ToolCallAssembler } from '../../core/tool-call-assembler.js';
import type { StreamEvent, TokenUsage } from '../../core/types.js';
import type { OpenAIChatChunk, OpenAIChatWireUsage } from './openai-chat-api.js';
import { splitOpenAIChatContent } from './openai-chat-content.js';
import { LogprobTally } from './openai-chat-confidence.js';
import { errorFromErrorObject } from './openai-chat-errors.js';
import { convertOpenAIChatUsage } from './convert-openai-chat-usage.js';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';
import { OpenAIChatTextDeltaShape } from './openai-chat-text-delta.js';

export interface OpenAIChatStreamContext extends ProviderWireHooks {
  readonly provider: string;
  /** Filled in while the stream runs: `responseId`, `model`, `rawFinishReason`, provider extras. */
  readonly metadata: Record<string, unknown>;
  /** Headers of the streaming response, for errors that arrive inside it. */
  readonly headers?: HeaderMap;
  readonly apiKeyEnv?: string;
  /** Copies provider extras (OpenRouter's `native_finish_reason`, `cost_details`...) from each chunk into `metadata`. */
  readonly onChunk?: (chunk: OpenAIChatChunk, metadata: Record<string, unknown>) => void;
  /** The provider's reading of its usage object (xAI's reasoning, DeepSeek's cache fields). @default convertOpenAIChatUsage */
  readonly convertUsage?: (usage: OpenAIChatWireUsage) => TokenUsage;
}

const NO_CHOICES: readonly NonNullable<OpenAIChatChunk['choices']>[number][] = [];

/**
 * The one transform from parsed Chat Completions SSE events to our stream events. It ends with one
 * `done` or one `error`: at `data: [DONE]`, at the end of a stream that saw a `finish_reason` (some
 * OpenAI-compatible servers never send `[DONE]`), at an in-stream `error` object, or when the
 * connection drops (then with the usage seen so far). Synchronous, one SSE event at a time, so a
 * stream pays no promise per event (see core/stream-transform.ts).
 */
export class OpenAIChatStreamTransform implements StreamTransform<SseEvent, StreamEvent> {
  finished = false;
  private readonly assembler: ToolCallAssembler;
  private readonly tally = new LogprobTally();
  private usage: TokenUsage = EMPTY_USAGE;
  private finishReason: string | undefined;
  private sawDone = false;
  private chunks = 0;
  /** Plain text-delta chunks read without JSON.parse (openai-chat-text-delta.ts); none when a provider reads every chunk (`onChunk`). */
  private readonly shape: OpenAIChatTextDeltaShape | undefined;

  constructor(private readonly context: OpenAIChatStreamContext) {
    this.assembler = new ToolCallAssembler(context.provider);
    this.shape = context.onChunk === undefined ? new OpenAIChatTextDeltaShape() : undefined;
  }

  push(event: SseEvent, out: StreamEvent[]): void {
    if (this.finished) return;
    try {
      this.step(event, out);
    } catch (error) {
      this.fail(error, out);
    }
  }

  end(out: StreamEvent[]): void {
    if (this.finished) return;
    if (!this.sawDone && this.finishReason === undefined) {
      const provider = this.context.provider;
      this.fail(
        new InvalidResponseError(
          `The ${provider} stream ended after ${this.chunks} chunk(s) without a finish_reason or [DONE]: the answer is incomplete. Retry the request.`,
          { provider, retryable: true },
        ),
        out,
      );
      return;
    }
    this.complete(out);
  }

  fail(error: unknown, out: StreamEvent[]): void {
    if (this.finished) return;
    this.finished = true;
    out.push({ type: 'error', error: streamError(error, this.context.provider, this.chunks), tokenUsage: this.usage });
  }

  private step(event: SseEvent, out: StreamEvent[]): void {
    const { context } = this;
    const { provider, metadata } = context;
    const data = event.data.trim();
    if (data === '') return;
    if (data === '[DONE]') {
      this.sawDone = true;
      this.complete(out);
      return;
    }
    const { shape } = this;
    if (shape !== undefined) {
      const text = shape.text(data);
      if (text !== undefined) {
        this.chunks += 1;
        if (text !== '') out.push({ type: 'text-delta', text });
        return;
      }
    }
    const chunk = parseChunk(data, provider);
    this.chunks += 1;
    if (chunk.usage) this.usage = (context.convertUsage ?? convertOpenAIChatUsage)(chunk.usage);
    if (chunk.error) {
      const error = errorFromErrorObject(chunk.error, {
        provider,
        headers: context.headers,
        apiKeyEnv: context.apiKeyEnv,
        readRateLimit: context.readRateLimit,
        mapError: context.mapError,
        received: 'sent an error object mid-stream on HTTP 200',
      });
      this.finished = true;
      out.push({ type: 'error', error, tokenUsage: this.usage });
      return;
    }
    const choices = chunk.choices ?? NO_CHOICES;
    if (!Array.isArray(chunk.choices) && !chunk.usage) {
      const kind = typeof chunk.type === 'string' ? `an event of type "${chunk.type}"` : 'an object without "choices"';
      throw new InvalidResponseError(
        `${provider} sent ${kind} where a Chat Completions chunk was expected. ` +
          (typeof chunk.type === 'string' && chunk.type.startsWith('response.') ? 'This is an OpenAI Responses API stream: use api: "responses". ' : '') +
          "Check the backend's \"baseURL\".",
        { provider },
      );
    }
    // Azure's first chunk is filter results only, with `id: ""`: the real id comes later.
    if (chunk.id) metadata.responseId ??= chunk.id;
    if (typeof chunk.model === 'string' && chunk.model !== '') metadata.model = chunk.model;
    context.onChunk?.(chunk, metadata);
    for (let i = 0; i < choices.length; i += 1) {
      const choice = choices[i];
      // We ask for one choice; servers that send more get the first.
      if ((choice.index ?? 0) !== 0) continue;
      const delta = choice.delta;
      if (delta) {
        const reasoning = delta.reasoning ?? delta.reasoning_content;
        if (typeof reasoning === 'string' && reasoning !== '') out.push({ type: 'reasoning-delta', text: reasoning });
        const content = delta.content;
        if (typeof content === 'string') {
          if (content !== '') out.push({ type: 'text-delta', text: content });
        } else if (Array.isArray(content)) {
          const parts = splitOpenAIChatContent(content);
          if (parts.reasoning !== '') out.push({ type: 'reasoning-delta', text: parts.reasoning });
          if (parts.text !== '') out.push({ type: 'text-delta', text: parts.text });
        }
        const toolCalls = delta.tool_calls;
        if (toolCalls) {
          for (const fragment of toolCalls) {
            out.push(
              ...this.assembler.push({
                index: fragment.index,
                // Qwen (DashScope) sends `id: ""` on continuation chunks, Mistral `name: ""`: not a new call.
                id: fragment.id || undefined,
                name: fragment.function?.name || undefined,
                arguments: fragment.function?.arguments ?? undefined,
              }),
            );
          }
        }
      }
      if (choice.logprobs) {
        this.tally.add(choice.logprobs);
        // Kept for the gateway, which returns them (all on its last chunk) to clients that asked.
        const kept = (this.context.metadata.logprobs ??= { content: [] }) as { content: unknown[] };
        for (const token of choice.logprobs.content ?? []) kept.content.push(token);
      }
      if (typeof choice.finish_reason === 'string' && choice.finish_reason !== '') {
        this.finishReason = choice.finish_reason;
        out.push(...this.assembler.finish());
      }
    }
    shape?.learn(data, chunk);
  }

  private complete(out: StreamEvent[]): void {
    let toolEvents: StreamEvent[];
    try {
      toolEvents = this.assembler.finish();
    } catch (error) {
      this.fail(error, out);
      return;
    }
    out.push(...toolEvents);
    this.finished = true;
    const { finishReason, tally } = this;
    if (finishReason !== undefined) this.context.metadata.rawFinishReason = finishReason;
    out.push({ type: 'done', tokenUsage: this.usage, finishReason: mapOpenAIFinishReason(finishReason), ...(tally.seen ? { confidence: tally.confidence } : {}) });
  }
}

/** Chat Completions SSE events → stream events, as a pull source (no promise per event). */
export function openAIChatStreamSource(events: PullSource<SseEvent>, context: OpenAIChatStreamContext): PullSource<StreamEvent> {
  return new TransformedSource(events, new OpenAIChatStreamTransform(context));
}

/** The same transform over any async iterable of SSE events, as an async generator. */
export function transformOpenAIChatStream(events: AsyncIterable<SseEvent>, context: OpenAIChatStreamContext): AsyncGenerator<StreamEvent> {
  return transformIterable(events, new OpenAIChatStreamTransform(context));
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

