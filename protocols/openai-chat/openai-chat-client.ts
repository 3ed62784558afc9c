import { requestJson, requestSse } from '../../core/http.js';
import { lazyInferenceStream } from '../../core/lazy-inference-stream.js';
import { protocolRequestDefaults, providerRequest, type ProtocolClientConfig, type ProviderRequestDefaults } from '../../core/provider-request.js';
import type { PullSource } from '../../core/pull-source.js';
import { readOpenAIChatRateLimitHeaders } from './openai-chat-rate-limits.js';
import type { InferOptions, InferenceOutput, InferenceStream, LLMMessage, StreamEvent, TokenUsage, ToolSchema } from '../../core/types.js';
import type { OpenAIChatChunk, OpenAIChatResponse, OpenAIChatWireUsage } from './openai-chat-api.js';
import { buildOpenAIChatRequest, type OpenAIChatRequest, type ThinkingMapper } from './openai-chat-request.js';
import { convertOpenAIChatResponse } from './openai-chat-response.js';
import { openAIChatStreamSource } from './openai-chat-stream.js';

/**
 * The kit's `ProtocolClientConfig` (`baseURL`: `/chat/completions` is appended) and Chat Completions'
 * own settings. `readRateLimit` defaults to OpenAI's headers, then the single-budget form
 * (`readOpenAIChatRateLimitHeaders`).
 */
export interface OpenAIChatClientConfig extends ProtocolClientConfig {
  /** Models that take `max_completion_tokens` and reject sampling settings. @default none */
  readonly isReasoningModel?: (model: string) => boolean;
  /** Send `cache_control` on text parts that ask for it. @default false */
  readonly cacheControl?: boolean;
  /** Where a call to `model` goes, for servers that put the model in the path (Azure's deployments). @default `${baseURL}/chat/completions` */
  readonly urlFor?: (model: string) => string;
  /** Ask for usage at the end of streams. @default true */
  readonly includeStreamUsage?: boolean;
  /** How `thinking` becomes body fields. @default effort → `reasoning_effort` */
  readonly mapThinking?: ThinkingMapper;
  /** Copies provider extras from a non-streaming body into the output metadata. */
  readonly onResponse?: (body: OpenAIChatResponse, metadata: Record<string, unknown>) => void;
  /** Copies provider extras from each stream chunk into the output metadata. */
  readonly onChunk?: (chunk: OpenAIChatChunk, metadata: Record<string, unknown>) => void;
  /** The provider's reading of its usage object (xAI's reasoning, DeepSeek's cache fields). @default convertOpenAIChatUsage */
  readonly convertUsage?: (usage: OpenAIChatWireUsage) => TokenUsage;
}

/** Speaks Chat Completions to one base URL: `infer` over JSON, `inferStream` over SSE. Providers wrap it. */
export class OpenAIChatClient {
  /** Where requests go; worked out once, as every call sends to it. */
  readonly url: string;

  /** What every request shares: the provider's hooks, with the protocol's rate-limit reader when it has none. */
  readonly defaults: ProviderRequestDefaults;

  constructor(readonly config: OpenAIChatClientConfig) {
    this.defaults = protocolRequestDefaults(config, { readRateLimit: readOpenAIChatRateLimitHeaders });
    this.url = `${config.baseURL.replace(/\/+$/, '')}/chat/completions`;
  }

  /** The request `infer`/`inferStream` would send, without sending it. */
  buildRequest(model: string, messages: readonly LLMMessage[], tools: readonly ToolSchema[], options: InferOptions, stream: boolean): OpenAIChatRequest {
    const config = this.config;
    return buildOpenAIChatRequest(messages, tools, options, {
      provider: config.provider,
      model,
      stream,
      defaultMaxTokens: config.defaultMaxTokens,
      reasoningModel: config.isReasoningModel?.(model) ?? false,
      cacheControl: config.cacheControl,
      includeStreamUsage: config.includeStreamUsage,
      mapThinking: config.mapThinking,
    });
  }

  async infer(model: string, messages: readonly LLMMessage[], tools: readonly ToolSchema[] = [], options: InferOptions = {}): Promise<InferenceOutput> {
    const config = this.config;
    const headers = config.headers(options);
    const { body, warnings } = this.buildRequest(model, messages, tools, options, false);
    const response = await requestJson<OpenAIChatResponse>(providerRequest(this.defaults, config.urlFor?.(model) ?? this.url, headers, body, options));
    return convertOpenAIChatResponse(response.body, {
      // Fields, not a spread of the hooks: one object shape per request on the hot path.
      readRateLimit: this.defaults.readRateLimit,
      mapError: this.defaults.mapError,
      provider: config.provider,
      model,
      response,
      warnings,
      apiKeyEnv: config.apiKeyEnv,
      onResponse: config.onResponse,
      convertUsage: config.convertUsage,
    });
  }

  inferStream(model: string, messages: readonly LLMMessage[], tools: readonly ToolSchema[] = [], options: InferOptions = {}): InferenceStream {
    const metadata: Record<string, unknown> = { provider: this.config.provider, model, requestedModel: model };
    return lazyInferenceStream(() => this.openStream(model, messages, tools, options, metadata), { provider: this.config.provider, model, metadata, signal: options.signal });
  }

  private async openStream(
    model: string,
    messages: readonly LLMMessage[],
    tools: readonly ToolSchema[],
    options: InferOptions,
    metadata: Record<string, unknown>,
  ): Promise<PullSource<StreamEvent>> {
    const config = this.config;
    const headers = config.headers(options);
    const { body, warnings } = this.buildRequest(model, messages, tools, options, true);
    if (warnings.length > 0) metadata.warnings = warnings;
    const response = await requestSse(providerRequest(this.defaults, config.urlFor?.(model) ?? this.url, headers, body, options));
    if (response.requestId) metadata.requestId = response.requestId;
    if (response.rateLimit) metadata.rateLimit = response.rateLimit;
    return openAIChatStreamSource(response.events, {
      readRateLimit: this.defaults.readRateLimit,
      mapError: this.defaults.mapError,
      provider: config.provider,
      metadata,
      headers: response.headers,
      apiKeyEnv: config.apiKeyEnv,
      onChunk: config.onChunk,
      convertUsage: config.convertUsage,
    });
  }
}
