import type { ClientHeadersOptions } from '../../core/forward-headers.js';
import { ConfigError } from '../../core/errors.js';
import { estimateTextTokens } from '../../core/estimate.js';
import { HttpProvider } from '../../core/http-provider.js';
import { requestJson, requestSse } from '../../core/http.js';
import { ManagedInferenceStream } from '../../core/inference-stream.js';
import { ModelInfoCache } from '../../core/model-info-cache.js';
import { LazySource, type PullSource } from '../../core/pull-source.js';
import { registerSecret } from '../../core/redact.js';
import type { EmbedOptions, EmbeddingOutput, InferOptions, InferenceOutput, InferenceStream, LLMBackend, LLMMessage, ModelInfo, StreamEvent, ToolSchema } from '../../core/types.js';
import { anthropicStreamSource, convertAnthropicResponse, type AnthropicMessageResponse } from '../../protocols/anthropic-messages/index.js';
import { GoogleClient, refineGoogleError } from '../../protocols/google-generative-ai/index.js';
import { buildVertexAnthropicRequest } from './vertex-anthropic.js';
import { AccessTokenSource } from './vertex-auth.js';
import { loadServiceAccount } from './vertex-credentials.js';
import { vertexEmbeddingsRequest, vertexEmbeddingsOutput, type VertexPredictResponse } from './vertex-embeddings.js';
import { VERTEX_ERROR_CONTEXT, VERTEX_PROVIDER } from './vertex-errors.js';
import { DEFAULT_VERTEX_EMBEDDING_MODEL, DEFAULT_VERTEX_MODEL, isVertexAnthropicModel, vertexModelInfo } from './vertex-models.js';
import type { ServiceAccountCredentials, VertexProviderOptions } from './vertex-options.js';

export const DEFAULT_VERTEX_LOCATION = 'us-central1';

/**
 * Vertex AI as an `LLMBackend`: Gemini models over generateContent, Claude models over Anthropic's
 * Messages wire (`rawPredict` / `streamRawPredict`), one OAuth bearer token for both — minted from
 * a service account and cached (vertex-auth.ts), or `accessToken` as given. Credentials are read
 * when the backend is first called, so `modelInfo()` works without them.
 */
export class VertexProvider extends HttpProvider<VertexProviderOptions> implements LLMBackend {
  readonly provider = VERTEX_PROVIDER;
  readonly #credentials: ServiceAccountCredentials | string | undefined;
  readonly #accessToken: string | undefined;
  readonly #env: Readonly<Record<string, string | undefined>>;
  private account: ServiceAccountCredentials | undefined;
  private readonly tokens: AccessTokenSource;
  private readonly gemini: GoogleClient;
  private readonly infos = new ModelInfoCache((model) => vertexModelInfo(model, this.options.rateLimits));

  static gemini25Flash(options: Omit<VertexProviderOptions, 'model'> = {}): VertexProvider {
    return new VertexProvider({ ...options, model: 'gemini-2.5-flash' });
  }

  static gemini25Pro(options: Omit<VertexProviderOptions, 'model'> = {}): VertexProvider {
    return new VertexProvider({ ...options, model: 'gemini-2.5-pro' });
  }

  static claudeSonnet45(options: Omit<VertexProviderOptions, 'model'> = {}): VertexProvider {
    return new VertexProvider({ ...options, model: 'claude-sonnet-4-5@20250929' });
  }

  constructor(options: VertexProviderOptions = {}) {
    // No key: the bearer token is minted from the credentials (or given), so `apiKey` makes no header.
    super('VertexProvider', options, { provider: VERTEX_PROVIDER, label: 'Vertex AI', required: false, authHeaders: () => ({}) }, ['credentials', 'accessToken']);
    const { credentials, accessToken, env } = options;
    registerSecret(accessToken);
    if (typeof credentials === 'object' && credentials !== null) registerSecret(credentials.private_key);
    this.#credentials = credentials;
    this.#accessToken = accessToken;
    this.#env = env ?? process.env;
    this.tokens = new AccessTokenSource({ credentials: () => this.serviceAccount(), now: options.now });
    this.gemini = new GoogleClient({
      ...VERTEX_ERROR_CONTEXT,
      url: (model, method) => `${this.modelUrl('google', model)}:${method}`,
      headers: (call) => this.headers(call),
      timeoutMs: options.timeoutMs,
      defaultMaxTokens: options.maxTokens,
      streamFunctionCallArguments: options.streamFunctionCallArguments,
    });
  }

  protected get defaultModel(): string {
    return DEFAULT_VERTEX_MODEL;
  }

  modelInfo(model: string = this.model): ModelInfo {
    return this.infos.get(model);
  }

  infer(messages: readonly LLMMessage[], tools: readonly ToolSchema[] = [], options: InferOptions = {}): Promise<InferenceOutput> {
    const model = options.model ?? this.model;
    return isVertexAnthropicModel(model) ? this.inferAnthropic(model, messages, tools, options) : this.gemini.infer(model, messages, tools, options);
  }

  inferStream(messages: readonly LLMMessage[], tools: readonly ToolSchema[] = [], options: InferOptions = {}): InferenceStream {
    const model = options.model ?? this.model;
    if (!isVertexAnthropicModel(model)) return this.gemini.inferStream(model, messages, tools, options);
    const metadata: Record<string, unknown> = {};
    return new ManagedInferenceStream(() => new LazySource(() => this.openAnthropicStream(model, messages, tools, options, metadata)), {
      provider: VERTEX_PROVIDER,
      model,
      metadata,
      signal: options.signal,
    });
  }

  /** Gemini embedding models through `:predict`, token counts from the answer's statistics. */
  async embed(input: string | readonly string[], options: EmbedOptions = {}): Promise<EmbeddingOutput> {
    const texts = typeof input === 'string' ? [input] : input;
    const model = options.model ?? this.options.embeddingModel ?? DEFAULT_VERTEX_EMBEDDING_MODEL;
    const response = await this.gemini.post<VertexPredictResponse>(`${this.modelUrl('google', model)}:predict`, vertexEmbeddingsRequest(texts, options.dimensions), options);
    return vertexEmbeddingsOutput(response.body, texts, model, response.requestId, (text) => estimateTextTokens(text));
  }

  private async inferAnthropic(model: string, messages: readonly LLMMessage[], tools: readonly ToolSchema[], options: InferOptions): Promise<InferenceOutput> {
    const plan = buildVertexAnthropicRequest(messages, tools, options, this.options.maxTokens, false);
    const headers = await this.headers(options);
    let response;
    try {
      response = await requestJson<AnthropicMessageResponse>({ provider: VERTEX_PROVIDER, url: `${this.modelUrl('anthropic', model)}:rawPredict`, headers, body: plan.body, signal: options.signal, timeoutMs: options.timeoutMs ?? this.options.timeoutMs });
    } catch (error) {
      throw refineGoogleError(error, VERTEX_ERROR_CONTEXT);
    }
    const metadata: Record<string, unknown> = { provider: VERTEX_PROVIDER, model };
    if (response.requestId) metadata.requestId = response.requestId;
    if (plan.warnings.length > 0) metadata.warnings = plan.warnings;
    return convertAnthropicResponse(response.body, metadata);
  }

  private async openAnthropicStream(model: string, messages: readonly LLMMessage[], tools: readonly ToolSchema[], options: InferOptions, metadata: Record<string, unknown>): Promise<PullSource<StreamEvent>> {
    const plan = buildVertexAnthropicRequest(messages, tools, options, this.options.maxTokens, true);
    if (plan.warnings.length > 0) metadata.warnings = plan.warnings;
    const headers = await this.headers(options);
    let response;
    try {
      response = await requestSse({ provider: VERTEX_PROVIDER, url: `${this.modelUrl('anthropic', model)}:streamRawPredict`, headers, body: plan.body, signal: options.signal, timeoutMs: options.timeoutMs ?? this.options.timeoutMs });
    } catch (error) {
      throw refineGoogleError(error, VERTEX_ERROR_CONTEXT);
    }
    if (response.requestId) metadata.requestId = response.requestId;
    return anthropicStreamSource(response.events, { metadata, headers: response.headers });
  }

  /** The configured headers and the forwarded client ones (the kit's credentials), and the bearer token. */
  private async headers(call: ClientHeadersOptions): Promise<Readonly<Record<string, string>>> {
    const token = this.#accessToken ?? (await this.tokens.token());
    return { ...this.credentials.headers(call), authorization: `Bearer ${token}` };
  }

  private serviceAccount(): ServiceAccountCredentials {
    this.account ??= loadServiceAccount(this.#credentials, this.#env);
    return this.account;
  }

  private location(): string {
    return this.options.location ?? this.#env.GOOGLE_CLOUD_LOCATION ?? DEFAULT_VERTEX_LOCATION;
  }

  private project(): string {
    const project = this.options.project ?? (this.#accessToken === undefined ? this.serviceAccount().project_id : undefined) ?? this.#env.GOOGLE_CLOUD_PROJECT;
    if (!project) {
      throw new ConfigError('No Google Cloud project for the vertex backend: set options.project (or GOOGLE_CLOUD_PROJECT).', [{ path: '/options/project', message: 'required' }]);
    }
    return project;
  }

  /** `…/projects/<p>/locations/<l>/publishers/<publisher>/models/<model>`; a full resource name (`projects/…`) is used as is. */
  private modelUrl(publisher: 'google' | 'anthropic', model: string): string {
    const location = this.location();
    const base = (this.options.baseURL ?? (location === 'global' ? 'https://aiplatform.googleapis.com/v1' : `https://${location}-aiplatform.googleapis.com/v1`)).replace(/\/+$/, '');
    if (model.startsWith('projects/')) return `${base}/${model}`;
    const id = model.replace(/^publishers\/[^/]+\/models\//, '');
    return `${base}/projects/${encodeURIComponent(this.project())}/locations/${encodeURIComponent(location)}/publishers/${publisher}/models/${id}`;
  }
}
