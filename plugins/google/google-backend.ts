import { estimateTextTokens } from '../../core/estimate.js';
import { HttpProvider } from '../../core/http-provider.js';
import { ModelInfoCache } from '../../core/model-info-cache.js';
import type {
  EmbedOptions,
  EmbeddingOutput,
  InferOptions,
  InferenceOutput,
  InferenceStream,
  LLMBackend,
  LLMMessage,
  ModelInfo,
  ToolSchema,
} from '../../core/types.js';
import {
  GoogleClient,
  googleBatchEmbedRequest,
  googleEmbedContentRequest,
  googleEmbeddingVectors,
  type GoogleBatchEmbedContentsResponse,
  type GoogleEmbedContentResponse,
} from '../../protocols/google-generative-ai/index.js';
import { GEMINI_API_KEY_ENV, GOOGLE_API_KEY_ENV, GOOGLE_ERROR_CONTEXT } from './google-errors.js';
import { DEFAULT_GOOGLE_EMBEDDING_MODEL, DEFAULT_GOOGLE_MODEL, GOOGLE_PROVIDER, googleModelInfo } from './google-models.js';
import type { GoogleProviderOptions } from './google-options.js';

export const GOOGLE_BASE_URL = 'https://generativelanguage.googleapis.com/v1beta';

/**
 * The Gemini API as an `LLMBackend`, on the kit's `HttpProvider` (settings, key, builders) and the
 * `google-generative-ai` protocol. The key — `apiKey`, else GEMINI_API_KEY, else GOOGLE_API_KEY —
 * goes in the `x-goog-api-key` header, never in the URL (a `?key=` would end up in proxies' and our
 * own logs). Immutable: the `with*` builders return a new provider; the key is read when a call is
 * made, so `modelInfo()` works without one.
 *
 * ```ts
 * const gemini = GoogleProvider.gemini25Flash(process.env.GEMINI_API_KEY).withMaxTokens(1024);
 * ```
 */
export class GoogleProvider extends HttpProvider<GoogleProviderOptions> implements LLMBackend {
  readonly provider = GOOGLE_PROVIDER;
  private readonly baseURL: string;
  private readonly client: GoogleClient;
  private readonly infos = new ModelInfoCache((model) => googleModelInfo(model, this.options.rateLimits));

  static gemini25Flash(apiKey?: string): GoogleProvider {
    return new GoogleProvider({ apiKey, model: 'gemini-2.5-flash' });
  }

  static gemini25FlashLite(apiKey?: string): GoogleProvider {
    return new GoogleProvider({ apiKey, model: 'gemini-2.5-flash-lite' });
  }

  static gemini25Pro(apiKey?: string): GoogleProvider {
    return new GoogleProvider({ apiKey, model: 'gemini-2.5-pro' });
  }

  static gemini3Flash(apiKey?: string): GoogleProvider {
    return new GoogleProvider({ apiKey, model: 'gemini-3-flash-preview' });
  }

  static gemini3Pro(apiKey?: string): GoogleProvider {
    return new GoogleProvider({ apiKey, model: 'gemini-3-pro-preview' });
  }

  constructor(options: GoogleProviderOptions = {}) {
    super('GoogleProvider', options, {
      provider: GOOGLE_PROVIDER,
      label: 'Gemini',
      envVar: GEMINI_API_KEY_ENV,
      fallbackEnvVars: [GOOGLE_API_KEY_ENV],
      authHeaders: (apiKey) => ({ 'x-goog-api-key': apiKey }),
    });
    this.baseURL = (options.baseURL ?? GOOGLE_BASE_URL).replace(/\/+$/, '');
    this.client = new GoogleClient({
      ...GOOGLE_ERROR_CONTEXT,
      url: (model, method) => `${this.baseURL}/${modelPath(model)}:${method}`,
      headers: (call) => this.credentials.headers(call),
      timeoutMs: options.timeoutMs,
      defaultMaxTokens: options.maxTokens,
    });
  }

  protected get defaultModel(): string {
    return DEFAULT_GOOGLE_MODEL;
  }

  modelInfo(model: string = this.model): ModelInfo {
    return this.infos.get(model);
  }

  infer(messages: readonly LLMMessage[], tools: readonly ToolSchema[] = [], options: InferOptions = {}): Promise<InferenceOutput> {
    return this.client.infer(options.model ?? this.model, messages, tools, options);
  }

  inferStream(messages: readonly LLMMessage[], tools: readonly ToolSchema[] = [], options: InferOptions = {}): InferenceStream {
    return this.client.inferStream(options.model ?? this.model, messages, tools, options);
  }

  /** One text: `embedContent`; several: one `batchEmbedContents`. The API reports no token counts: usage is our estimate (`metadata.estimatedUsage`). */
  async embed(input: string | readonly string[], options: EmbedOptions = {}): Promise<EmbeddingOutput> {
    const texts = typeof input === 'string' ? [input] : input;
    const model = options.model ?? this.options.embeddingModel ?? DEFAULT_GOOGLE_EMBEDDING_MODEL;
    const settings = { model, outputDimensionality: options.dimensions, taskType: this.options.embeddingTaskType };
    const single = texts.length === 1;
    const url = `${this.baseURL}/${modelPath(model)}:${single ? 'embedContent' : 'batchEmbedContents'}`;
    const body = single ? googleEmbedContentRequest(texts[0], settings) : googleBatchEmbedRequest(texts, settings);
    const response = await this.client.post<GoogleEmbedContentResponse & GoogleBatchEmbedContentsResponse>(url, body, options);
    const embeddings = googleEmbeddingVectors(response.body, texts.length, GOOGLE_PROVIDER);
    const promptTokens = texts.reduce((sum, text) => sum + estimateTextTokens(text), 0);
    return {
      embeddings,
      model,
      tokenUsage: { promptTokens, completionTokens: 0, totalTokens: promptTokens },
      metadata: { provider: GOOGLE_PROVIDER, model, estimatedUsage: true, ...(response.requestId ? { requestId: response.requestId } : {}) },
    };
  }
}

/** `gemini-2.5-flash` → `models/gemini-2.5-flash`; `models/…` and `tunedModels/…` stay as given. */
function modelPath(model: string): string {
  return model.includes('/') ? model : `models/${model}`;
}
