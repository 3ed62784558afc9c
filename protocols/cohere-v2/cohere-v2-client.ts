import type { ClientHeadersOptions } from '../../core/forward-headers.js';
import { requestJson, requestSse, type HttpRequest } from '../../core/http.js';
import { lazyInferenceStream } from '../../core/lazy-inference-stream.js';
import { protocolRequestDefaults, providerRequest, type ProtocolClientConfig, type CallRequestOptions, type ProviderRequestDefaults } from '../../core/provider-request.js';
import type { PullSource } from '../../core/pull-source.js';
import { TransformedSource } from '../../core/stream-transform.js';
import type { EmbedOptions, EmbeddingOutput, InferOptions, InferenceOutput, InferenceStream, LLMMessage, StreamEvent, ToolSchema } from '../../core/types.js';
import type { CohereV2EmbedResponse, CohereV2Response } from './cohere-v2-api.js';
import { cohereV2EmbedRequest, convertCohereV2Embeddings } from './cohere-v2-embed.js';
import { mapCohereV2Error } from './cohere-v2-errors.js';
import { buildCohereV2Request } from './cohere-v2-request.js';
import { CohereV2StreamTransform } from './cohere-v2-stream.js';
import { convertCohereV2Response } from './convert-cohere-v2-response.js';

/** The kit's `ProtocolClientConfig`; `baseURL` is e.g. `https://api.cohere.com/v2` (`/chat` and `/embed` are appended). */
export type CohereV2ClientConfig = ProtocolClientConfig;

/** Speaks Cohere v2 to one base URL: `infer` (JSON), `inferStream` (SSE), `embed`. */
export class CohereV2Client {
  readonly #base: string;
  readonly #defaults: ProviderRequestDefaults;

  constructor(readonly config: CohereV2ClientConfig) {
    this.#base = config.baseURL.replace(/\/+$/, '');
    this.#defaults = protocolRequestDefaults(config, { mapError: mapCohereV2Error });
  }

  async infer(model: string, messages: readonly LLMMessage[], tools: readonly ToolSchema[], options: InferOptions): Promise<InferenceOutput> {
    const { body, warnings } = buildCohereV2Request(messages, tools, options, { provider: this.config.provider, model, stream: false, defaultMaxTokens: this.config.defaultMaxTokens });
    const response = await requestJson<CohereV2Response>(this.request('/chat', body, options));
    return convertCohereV2Response(response.body, { provider: this.config.provider, model, requestId: response.requestId, warnings });
  }

  inferStream(model: string, messages: readonly LLMMessage[], tools: readonly ToolSchema[], options: InferOptions): InferenceStream {
    const metadata: Record<string, unknown> = { provider: this.config.provider, model };
    return lazyInferenceStream(() => this.openStream(model, messages, tools, options, metadata), { provider: this.config.provider, model, metadata, signal: options.signal });
  }

  async embed(texts: readonly string[], options: EmbedOptions & { readonly model: string; readonly inputType: string }): Promise<EmbeddingOutput> {
    const body = cohereV2EmbedRequest(texts, { model: options.model, inputType: options.inputType, dimensions: options.dimensions });
    const response = await requestJson<CohereV2EmbedResponse>(this.request('/embed', body, options));
    return convertCohereV2Embeddings(response.body, texts.length, { provider: this.config.provider, model: options.model, requestId: response.requestId });
  }

  private async openStream(model: string, messages: readonly LLMMessage[], tools: readonly ToolSchema[], options: InferOptions, metadata: Record<string, unknown>): Promise<PullSource<StreamEvent>> {
    const { body, warnings } = buildCohereV2Request(messages, tools, options, { provider: this.config.provider, model, stream: true, defaultMaxTokens: this.config.defaultMaxTokens });
    if (warnings.length > 0) metadata.warnings = warnings;
    const response = await requestSse(this.request('/chat', body, options));
    if (response.requestId) metadata.requestId = response.requestId;
    if (response.rateLimit) metadata.rateLimit = response.rateLimit;
    return new TransformedSource(response.events, new CohereV2StreamTransform({ provider: this.config.provider, metadata }));
  }

  private request(path: string, body: unknown, options: CallRequestOptions & ClientHeadersOptions): HttpRequest {
    return providerRequest(this.#defaults, `${this.#base}${path}`, this.config.headers(options), body, options);
  }
}
