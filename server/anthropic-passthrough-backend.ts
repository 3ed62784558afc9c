import { requestJson, requestSse } from '../core/http.js';
import { ManagedInferenceStream } from '../core/inference-stream.js';
import { LazySource, type PullSource } from '../core/pull-source.js';
import type {
  EmbedOptions,
  EmbeddingOutput,
  InferOptions,
  InferenceOutput,
  InferenceStream,
  LLMBackend,
  LLMMessage,
  ModelInfo,
  StreamEvent,
  ToolSchema,
} from '../core/types.js';
import {
  AnthropicRawEvents,
  convertAnthropicResponse,
  recordedAnthropicStreamSource,
  type AnthropicMessageResponse,
  type AnthropicWireEndpoint,
} from '../protocols/anthropic-messages/index.js';
import type { AnthropicCall } from './anthropic-request.js';

export type AnthropicWireBackend = LLMBackend & AnthropicWireEndpoint;

/**
 * One Messages request to a backend that speaks Anthropic, sent as the client wrote it: the body
 * with only `model` replaced (and `max_tokens`, if a plugin lowered it), the client's
 * `anthropic-beta` / `anthropic-version`. The kernel wraps it like any backend, so every hook sees
 * the call in our terms (the converted messages and tools), and the answer is parsed into our
 * events; the upstream's own events and body are kept (`raw`, `rawBody`) for the route to relay.
 *
 * If a `beforeInfer` tap replaced the messages or tools, its request is what goes out, built by the
 * backend itself: a plugin's rewrite wins over fidelity.
 */
export class AnthropicPassthroughBackend implements LLMBackend {
  /** The SSE events of the latest stream attempt. */
  raw: AnthropicRawEvents | undefined;
  /** The JSON body of the latest non-streamed answer. */
  rawBody: AnthropicMessageResponse | undefined;
  /** True when a plugin's rewrite made the backend build the request itself. */
  rebuilt = false;
  /** The upstream's request id of the latest stream attempt. */
  requestId: string | undefined;

  constructor(
    private readonly inner: AnthropicWireBackend,
    private readonly call: AnthropicCall,
    private readonly headers: Readonly<Record<string, string>>,
  ) {}

  get provider(): string {
    return this.inner.provider;
  }

  get maxTokens(): number | undefined {
    return this.inner.maxTokens;
  }

  modelInfo(model?: string): ModelInfo {
    return this.inner.modelInfo(model);
  }

  supportsFunctionCalling(): boolean {
    return this.inner.supportsFunctionCalling();
  }

  supportsStreaming(): boolean {
    return this.inner.supportsStreaming();
  }

  embed(input: string | readonly string[], options?: EmbedOptions): Promise<EmbeddingOutput> {
    return this.inner.embed(input, options);
  }

  async infer(messages: readonly LLMMessage[], tools: readonly ToolSchema[] = [], options: InferOptions = {}): Promise<InferenceOutput> {
    if (this.rewritten(messages, tools)) return this.inner.infer(messages, tools, options);
    const request = this.inner.anthropicWireRequest('messages', this.body(options, false), { signal: options.signal, headers: this.headers, timeoutMs: options.timeoutMs });
    const response = await requestJson<AnthropicMessageResponse>(request);
    const metadata: Record<string, unknown> = { provider: this.inner.provider, model: this.model(options) };
    if (response.requestId) metadata.requestId = response.requestId;
    if (response.rateLimit) metadata.rateLimit = response.rateLimit;
    const output = convertAnthropicResponse(response.body, metadata);
    this.rawBody = response.body;
    return output;
  }

  inferStream(messages: readonly LLMMessage[], tools: readonly ToolSchema[] = [], options: InferOptions = {}): InferenceStream {
    if (this.rewritten(messages, tools)) return this.inner.inferStream(messages, tools, options);
    const metadata: Record<string, unknown> = {};
    const raw = new AnthropicRawEvents();
    // Each attempt records its own events: a retried attempt's must not reach the client.
    this.raw = raw;
    return new ManagedInferenceStream(() => new LazySource(() => this.openStream(options, metadata, raw)), {
      provider: this.inner.provider,
      model: this.model(options),
      metadata,
      signal: options.signal,
    });
  }

  private async openStream(options: InferOptions, metadata: Record<string, unknown>, raw: AnthropicRawEvents): Promise<PullSource<StreamEvent>> {
    const request = this.inner.anthropicWireRequest('messages', this.body(options, true), { signal: options.signal, headers: this.headers, timeoutMs: options.timeoutMs });
    const response = await requestSse(request);
    this.requestId = response.requestId;
    if (response.requestId) metadata.requestId = response.requestId;
    if (response.rateLimit) metadata.rateLimit = response.rateLimit;
    return recordedAnthropicStreamSource(response.events, { metadata, headers: response.headers }, raw);
  }

  private rewritten(messages: readonly LLMMessage[], tools: readonly ToolSchema[]): boolean {
    this.rebuilt = messages !== this.call.messages || tools !== this.call.tools;
    return this.rebuilt;
  }

  private model(options: InferOptions): string {
    return options.model ?? this.inner.model;
  }

  private body(options: InferOptions, stream: boolean): Record<string, unknown> {
    // A spread keeps the client's field order and own "__proto__" keys as plain fields.
    const body: Record<string, unknown> = { ...this.call.body, model: this.model(options) };
    if (options.maxTokens !== undefined && options.maxTokens !== body.max_tokens) body.max_tokens = options.maxTokens;
    if (stream) body.stream = true;
    else if (body.stream !== undefined) body.stream = false;
    return body;
  }
}
