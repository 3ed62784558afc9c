import { checkForwardHeaders, withForwardedHeaders } from '../../core/forward-headers.js';
import { MissingApiKeyError } from '../../core/errors.js';
import { estimateTextTokens } from '../../core/estimate.js';
import { HeadersByKey } from '../../core/headers-by-key.js';
import { ModelInfoCache } from '../../core/model-info-cache.js';
import { checkProviderSettings, withRateLimitsChecked } from '../../core/provider-settings.js';
import { registerSecret } from '../../core/redact.js';
import type {
  EmbedOptions,
  EmbeddingOutput,
  InferOptions,
  InferenceOutput,
  InferenceStream,
  LLMBackend,
  LLMMessage,
  ModelInfo,
  RateLimits,
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
import { DEFAULT_GOOGLE_EMBEDDING_MODEL, DEFAULT_GOOGLE_MODEL, GOOGLE_PROVIDER, googleModelInfo, type GoogleModelId } from './google-models.js';
import type { GoogleProviderOptions } from './google-options.js';

export const GOOGLE_BASE_URL = 'https://generativelanguage.googleapis.com/v1beta';

/**
 * The Gemini API as an `LLMBackend`. The key goes in the `x-goog-api-key` header, never in the URL
 * (a `?key=` would end up in proxies' and our own logs). Immutable: the `with*` builders return a
 * new provider; the key is read when a call is made, so `modelInfo()` works without one.
 *
 * ```ts
 * const gemini = GoogleProvider.gemini25Flash(process.env.GEMINI_API_KEY).withMaxTokens(1024);
 * ```
 */
export class GoogleProvider implements LLMBackend {
  readonly provider = GOOGLE_PROVIDER;
  /** The settings, less the API key and the environment, which stay private so logging a backend cannot leak them. */
  readonly options: Omit<GoogleProviderOptions, 'apiKey' | 'env'>;
  readonly #apiKey: string | undefined;
  readonly #env: Readonly<Record<string, string | undefined>> | undefined;
  readonly #forward: readonly string[] | undefined;
  private readonly baseURL: string;
  private readonly client: GoogleClient;
  private readonly infos = new ModelInfoCache((model) => googleModelInfo(model, this.options.rateLimits));
  private readonly headersByKey = new HeadersByKey((apiKey) => ({ ...this.options.headers, 'x-goog-api-key': apiKey }));

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
    checkProviderSettings('GoogleProvider', options);
    const { apiKey, env, ...settings } = options;
    registerSecret(apiKey);
    this.#apiKey = apiKey;
    this.#env = env;
    this.#forward = checkForwardHeaders('GoogleProvider', options.forwardHeaders);
    this.options = Object.freeze(settings);
    this.baseURL = (options.baseURL ?? GOOGLE_BASE_URL).replace(/\/+$/, '');
    this.client = new GoogleClient({
      ...GOOGLE_ERROR_CONTEXT,
      url: (model, method) => `${this.baseURL}/${modelPath(model)}:${method}`,
      headers: (call) => withForwardedHeaders(this.headersByKey.for(this.apiKey()), this.#forward, call.clientHeaders),
      timeoutMs: options.timeoutMs,
      defaultMaxTokens: options.maxTokens,
    });
  }

  /** The model calls use unless they set `options.model`. */
  get model(): string {
    return this.options.model ?? DEFAULT_GOOGLE_MODEL;
  }

  get maxTokens(): number | undefined {
    return this.options.maxTokens;
  }

  get rateLimits(): RateLimits | undefined {
    return this.options.rateLimits;
  }

  /** A copy with these requests-per-minute and tokens-per-minute limits. */
  withRateLimits(rpm: number, tpm: number): GoogleProvider {
    return this.copy({ rateLimits: withRateLimitsChecked('GoogleProvider', this.options.rateLimits, rpm, tpm) });
  }

  /** A copy whose calls default to at most `maxTokens` output tokens. */
  withMaxTokens(maxTokens: number): GoogleProvider {
    return this.copy({ maxTokens });
  }

  /** A copy that calls `model`. */
  withModel(model: GoogleModelId): GoogleProvider {
    return this.copy({ model });
  }

  modelInfo(model: string = this.model): ModelInfo {
    return this.infos.get(model);
  }

  supportsFunctionCalling(): boolean {
    return this.modelInfo().capabilities.functionCalling;
  }

  supportsStreaming(): boolean {
    return true;
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

  private copy(changes: Partial<GoogleProviderOptions>): GoogleProvider {
    return new GoogleProvider({ ...this.options, apiKey: this.#apiKey, env: this.#env, ...changes });
  }

  /** `apiKey`, else GEMINI_API_KEY, else GOOGLE_API_KEY. */
  private apiKey(): string {
    const env = this.#env ?? process.env;
    const key = this.#apiKey || env[GEMINI_API_KEY_ENV] || env[GOOGLE_API_KEY_ENV];
    if (!key) {
      throw new MissingApiKeyError(`No Gemini API key: set ${GEMINI_API_KEY_ENV} (or ${GOOGLE_API_KEY_ENV}) in the environment or "apiKey" on the backend in hyperagent.config.json.`, {
        provider: GOOGLE_PROVIDER,
      });
    }
    return key;
  }
}

/** `gemini-2.5-flash` → `models/gemini-2.5-flash`; `models/…` and `tunedModels/…` stay as given. */
function modelPath(model: string): string {
  return model.includes('/') ? model : `models/${model}`;
}
