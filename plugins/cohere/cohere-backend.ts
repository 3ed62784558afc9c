import { HttpProvider, providerSettingsFrom } from '../../core/http-provider.js';
import { ModelInfoCache } from '../../core/model-info-cache.js';
import type { EmbedOptions, EmbeddingOutput, InferOptions, InferenceOutput, InferenceStream, LLMBackend, LLMMessage, ModelInfo, ToolSchema } from '../../core/types.js';
import { CohereV2Client } from '../../protocols/cohere-v2/index.js';
import { COHERE_PROVIDER, cohereModelInfo, DEFAULT_COHERE_EMBEDDING_MODEL, DEFAULT_COHERE_MODEL, type CohereModelId } from './cohere-models.js';
import type { CohereProviderSettings } from './cohere-options.js';

export const COHERE_BASE_URL = 'https://api.cohere.com/v2';
export const COHERE_API_KEY_ENV = 'COHERE_API_KEY';

/** Cohere's v2 chat and embed API: `new CohereProvider()` reads COHERE_API_KEY when called. */
export class CohereProvider extends HttpProvider<CohereProviderSettings> implements LLMBackend {
  readonly provider = COHERE_PROVIDER;
  /** Where requests go. */
  readonly baseURL: string;
  readonly #client: CohereV2Client;
  readonly #infos = new ModelInfoCache((model) => cohereModelInfo(model, this.options.rateLimits));

  constructor(apiKey?: string, model?: CohereModelId);
  constructor(settings?: CohereProviderSettings);
  constructor(apiKeyOrSettings?: string | CohereProviderSettings, model?: CohereModelId) {
    const settings = providerSettingsFrom<CohereProviderSettings>(apiKeyOrSettings, model);
    super('CohereProvider', settings, { provider: COHERE_PROVIDER, label: 'Cohere', envVar: COHERE_API_KEY_ENV });
    this.baseURL = settings.baseURL ?? COHERE_BASE_URL;
    this.#client = new CohereV2Client({
      provider: COHERE_PROVIDER,
      baseURL: this.baseURL,
      headers: (options) => this.credentials.headers(options),
      apiKeyEnv: COHERE_API_KEY_ENV,
      timeoutMs: settings.timeoutMs,
      defaultMaxTokens: settings.maxTokens,
    });
  }

  static commandA(apiKey?: string): CohereProvider {
    return new CohereProvider(apiKey, 'command-a-03-2025');
  }

  static commandAReasoning(apiKey?: string): CohereProvider {
    return new CohereProvider(apiKey, 'command-a-reasoning-08-2025');
  }

  static commandR7b(apiKey?: string): CohereProvider {
    return new CohereProvider(apiKey, 'command-r7b-12-2024');
  }

  protected get defaultModel(): string {
    return DEFAULT_COHERE_MODEL;
  }

  modelInfo(model: string = this.model): ModelInfo {
    return this.#infos.get(model);
  }

  infer(messages: readonly LLMMessage[], tools: readonly ToolSchema[] = [], options: InferOptions = {}): Promise<InferenceOutput> {
    return this.#client.infer(options.model ?? this.model, messages, tools, options);
  }

  inferStream(messages: readonly LLMMessage[], tools: readonly ToolSchema[] = [], options: InferOptions = {}): InferenceStream {
    return this.#client.inferStream(options.model ?? this.model, messages, tools, options);
  }

  /** `POST /v2/embed`, float vectors; `dimensions` is sent as `output_dimension` (embed-v4.0). */
  embed(input: string | readonly string[], options: EmbedOptions = {}): Promise<EmbeddingOutput> {
    const model = options.model ?? this.options.embeddingModel ?? DEFAULT_COHERE_EMBEDDING_MODEL;
    return this.#client.embed(typeof input === 'string' ? [input] : input, { ...options, model, inputType: this.options.embeddingInputType ?? 'search_document' });
  }
}
