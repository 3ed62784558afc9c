import { HttpProvider, providerSettingsFrom } from '../../core/http-provider.js';
import { ModelInfoCache } from '../../core/model-info-cache.js';
import type { EmbedOptions, EmbeddingOutput, InferOptions, InferenceOutput, InferenceStream, LLMBackend, LLMMessage, ModelInfo, ToolSchema } from '../../core/types.js';
import { OllamaClient } from '../../protocols/ollama/index.js';
import { DEFAULT_OLLAMA_MODEL, OLLAMA_PROVIDER, ollamaModelInfo } from './ollama-models.js';
import type { OllamaProviderSettings } from './ollama-options.js';

export const OLLAMA_BASE_URL = 'http://127.0.0.1:11434';

/**
 * An Ollama server's native API. No key: one given as `apiKey` (a proxy, a hosted Ollama) is sent
 * as a bearer token and registered as a secret like every other.
 */
export class OllamaProvider extends HttpProvider<OllamaProviderSettings> implements LLMBackend {
  readonly provider = OLLAMA_PROVIDER;
  /** Where requests go. */
  readonly baseURL: string;
  readonly #client: OllamaClient;
  readonly #infos = new ModelInfoCache((model) => ollamaModelInfo(model, this.baseURL, this.options));

  constructor(model?: string);
  constructor(settings?: OllamaProviderSettings);
  constructor(modelOrSettings?: string | OllamaProviderSettings) {
    const settings = typeof modelOrSettings === 'string' ? providerSettingsFrom<OllamaProviderSettings>(undefined, modelOrSettings) : providerSettingsFrom<OllamaProviderSettings>(modelOrSettings);
    super('OllamaProvider', settings, { provider: OLLAMA_PROVIDER, label: 'Ollama', required: false });
    this.baseURL = settings.baseURL ?? OLLAMA_BASE_URL;
    this.#client = new OllamaClient({
      provider: OLLAMA_PROVIDER,
      baseURL: this.baseURL,
      headers: (options) => this.credentials.headers(options),
      timeoutMs: settings.timeoutMs,
      defaultMaxTokens: settings.maxTokens,
      keepAlive: settings.keepAlive,
    });
  }

  protected get defaultModel(): string {
    return DEFAULT_OLLAMA_MODEL;
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

  embed(input: string | readonly string[], options: EmbedOptions = {}): Promise<EmbeddingOutput> {
    return this.#client.embed(typeof input === 'string' ? [input] : input, { ...options, model: options.model ?? this.options.embeddingModel ?? this.model });
  }

  /** The models the server has pulled (`GET /api/tags`). */
  listModels(options: { readonly signal?: AbortSignal } = {}): Promise<readonly string[]> {
    return this.#client.listModels(options);
  }
}
