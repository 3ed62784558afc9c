import { requestJson, requestSse } from '../../core/http.js';
import { lazyInferenceStream } from '../../core/lazy-inference-stream.js';
import { protocolRequestDefaults, providerRequest, type ProtocolClientConfig, type ProviderRequestDefaults } from '../../core/provider-request.js';
import type { PullSource } from '../../core/pull-source.js';
import { readOpenAIChatRateLimitHeaders } from '../openai-chat/index.js';
import type { InferOptions, InferenceOutput, InferenceStream, LLMMessage, StreamEvent, ToolSchema } from '../../core/types.js';
import type { OpenAIResponsesResponse } from './openai-responses-api.js';
import { buildOpenAIResponsesRequest, type OpenAIResponsesRequest } from './convert-to-openai-responses-input.js';
import { convertOpenAIResponsesResponse } from './convert-openai-responses-response.js';
import { openAIResponsesStreamSource } from './openai-responses-stream.js';

/**
 * The kit's `ProtocolClientConfig` (`baseURL`: `/responses` is appended) and the Responses API's own
 * settings. `readRateLimit` defaults to OpenAI's headers (`readOpenAIChatRateLimitHeaders`).
 */
export interface OpenAIResponsesClientConfig extends ProtocolClientConfig {
  /** Where requests go, when not `${baseURL}/responses` (Azure's `/openai/responses?api-version=`). */
  readonly url?: string;
  /** Copies provider extras from the final response object (non-streamed, or `response.completed`) into the metadata. */
  readonly onResponse?: (response: OpenAIResponsesResponse, metadata: Record<string, unknown>) => void;
  /** Models that reject sampling settings. @default none */
  readonly isReasoningModel?: (model: string) => boolean;
}

/** Speaks the Responses API (`POST /responses`) to one base URL: text, reasoning summaries, function calls, usage. Providers wrap it. */
export class OpenAIResponsesClient {
  /** Where requests go; worked out once, as every call sends to it. */
  readonly url: string;

  /** What every request shares: the provider's hooks, with OpenAI's rate-limit reader when it has none. */
  readonly defaults: ProviderRequestDefaults;

  constructor(readonly config: OpenAIResponsesClientConfig) {
    this.defaults = protocolRequestDefaults(config, { readRateLimit: readOpenAIChatRateLimitHeaders });
    this.url = config.url ?? `${config.baseURL.replace(/\/+$/, '')}/responses`;
  }

  /** The request `infer`/`inferStream` would send, without sending it. */
  buildRequest(model: string, messages: readonly LLMMessage[], tools: readonly ToolSchema[], options: InferOptions, stream: boolean): OpenAIResponsesRequest {
    return buildOpenAIResponsesRequest(messages, tools, options, {
      provider: this.config.provider,
      model,
      stream,
      defaultMaxTokens: this.config.defaultMaxTokens,
      reasoningModel: this.config.isReasoningModel?.(model) ?? false,
    });
  }

  async infer(model: string, messages: readonly LLMMessage[], tools: readonly ToolSchema[] = [], options: InferOptions = {}): Promise<InferenceOutput> {
    const config = this.config;
    const headers = config.headers(options);
    const { body, warnings } = this.buildRequest(model, messages, tools, options, false);
    const response = await requestJson<OpenAIResponsesResponse>(providerRequest(this.defaults, this.url, headers, body, options));
    return convertOpenAIResponsesResponse(response.body, {
      // Fields, not a spread of the hooks: one object shape per request.
      readRateLimit: this.defaults.readRateLimit,
      mapError: this.defaults.mapError,
      onResponse: config.onResponse,
      provider: config.provider,
      model,
      response,
      warnings,
      apiKeyEnv: config.apiKeyEnv,
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
    const response = await requestSse(providerRequest(this.defaults, this.url, headers, body, options));
    if (response.requestId) metadata.requestId = response.requestId;
    if (response.rateLimit) metadata.rateLimit = response.rateLimit;
    return openAIResponsesStreamSource(response.events, {
      readRateLimit: this.defaults.readRateLimit,
      mapError: this.defaults.mapError,
      onResponse: config.onResponse,
      provider: config.provider,
      metadata,
      headers: response.headers,
      apiKeyEnv: config.apiKeyEnv,
    });
  }
}
