import { InvalidResponseError } from '../../core/errors.js';
import type { ClientHeadersOptions } from '../../core/forward-headers.js';
import { requestBytes, requestJson, type HttpRequest } from '../../core/http.js';
import { lazyInferenceStream } from '../../core/lazy-inference-stream.js';
import { protocolRequestDefaults, providerRequest, type ProtocolClientConfig, type CallRequestOptions, type ProviderRequestDefaults } from '../../core/provider-request.js';
import type { PullSource } from '../../core/pull-source.js';
import type { EmbedOptions, EmbeddingOutput, InferOptions, InferenceOutput, InferenceStream, LLMMessage, OutputMetadata, StreamEvent, ToolSchema } from '../../core/types.js';
import type { OllamaChatChunk, OllamaEmbedResponse, OllamaTagsResponse } from './ollama-api.js';
import { convertOllamaResponse } from './convert-ollama-response.js';
import { buildOllamaRequest } from './ollama-request.js';
import { ollamaStreamSource } from './ollama-stream.js';

/** The kit's `ProtocolClientConfig` (`baseURL` e.g. `http://127.0.0.1:11434`: `/api/chat`, `/api/embed`, `/api/tags` are appended) and Ollama's `keep_alive`. */
export interface OllamaClientConfig extends ProtocolClientConfig {
  readonly keepAlive?: string | number;
}

/** Speaks Ollama's native API to one server: chat (JSON or NDJSON), embed, the installed models. */
export class OllamaClient {
  readonly #base: string;
  readonly #defaults: ProviderRequestDefaults;

  constructor(readonly config: OllamaClientConfig) {
    this.#base = config.baseURL.replace(/\/+$/, '').replace(/\/api$/, '');
    this.#defaults = protocolRequestDefaults(config);
  }

  async infer(model: string, messages: readonly LLMMessage[], tools: readonly ToolSchema[], options: InferOptions): Promise<InferenceOutput> {
    const { body, warnings } = buildOllamaRequest(messages, tools, options, this.settings(model, false));
    const response = await requestJson<OllamaChatChunk>(this.request('/api/chat', body, options));
    return convertOllamaResponse(response.body, { provider: this.config.provider, model, requestId: response.requestId, warnings });
  }

  inferStream(model: string, messages: readonly LLMMessage[], tools: readonly ToolSchema[], options: InferOptions): InferenceStream {
    const metadata: Record<string, unknown> = { provider: this.config.provider, model };
    return lazyInferenceStream(() => this.openStream(model, messages, tools, options, metadata), { provider: this.config.provider, model, metadata, signal: options.signal });
  }

  /** `POST /api/embed` with every text in one request; usage from `prompt_eval_count`. */
  async embed(texts: readonly string[], options: EmbedOptions & { readonly model: string }): Promise<EmbeddingOutput> {
    const body = { model: options.model, input: [...texts], ...(options.dimensions === undefined ? {} : { dimensions: options.dimensions }) };
    const response = await requestJson<OllamaEmbedResponse>(this.request('/api/embed', body, options));
    const vectors = response.body?.embeddings;
    const provider = this.config.provider;
    if (!Array.isArray(vectors) || vectors.length !== texts.length) {
      throw new InvalidResponseError(`${provider} answered /api/embed with ${Array.isArray(vectors) ? `${vectors.length} vector(s)` : 'no "embeddings" array'} for ${texts.length} text(s).`, { provider, requestId: response.requestId });
    }
    const promptTokens = response.body.prompt_eval_count ?? 0;
    return {
      embeddings: vectors,
      model: options.model,
      tokenUsage: { promptTokens, completionTokens: 0, totalTokens: promptTokens },
      metadata: { provider, model: options.model, ...(response.requestId ? { requestId: response.requestId } : {}) } as OutputMetadata,
    };
  }

  /** `GET /api/tags`: the names of the models the server has pulled. */
  async listModels(options: { readonly signal?: AbortSignal; readonly timeoutMs?: number } = {}): Promise<readonly string[]> {
    const response = await requestJson<OllamaTagsResponse>(this.request('/api/tags', undefined, options));
    const models = Array.isArray(response.body?.models) ? response.body.models : [];
    return models.map((entry) => entry.name ?? entry.model).filter((name): name is string => typeof name === 'string' && name !== '');
  }

  private async openStream(model: string, messages: readonly LLMMessage[], tools: readonly ToolSchema[], options: InferOptions, metadata: Record<string, unknown>): Promise<PullSource<StreamEvent>> {
    const { body, warnings } = buildOllamaRequest(messages, tools, options, this.settings(model, true));
    if (warnings.length > 0) metadata.warnings = warnings;
    const response = await requestBytes(this.request('/api/chat', body, options));
    if (response.requestId) metadata.requestId = response.requestId;
    return ollamaStreamSource(response.bytes, { provider: this.config.provider, metadata });
  }

  private settings(model: string, stream: boolean) {
    return { provider: this.config.provider, model, stream, defaultMaxTokens: this.config.defaultMaxTokens, keepAlive: this.config.keepAlive };
  }

  private request(path: string, body: unknown, options: CallRequestOptions & ClientHeadersOptions): HttpRequest {
    return providerRequest(this.#defaults, `${this.#base}${path}`, this.config.headers(options), body, options);
  }
}
