import { checkProviderSettings, withRateLimitsChecked } from '../../core/provider-settings.js';
import { OpenAIChatClient, requestOpenAIEmbeddings } from '../../protocols/openai-chat/index.js';
import { registerSecret } from '../../core/redact.js';
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
  RateLimits,
  ToolSchema,
} from '../../core/types.js';
import { openAICompatibleModelInfo } from './openai-compatible-models.js';
import type { OpenAICompatibleProviderOptions } from './openai-compatible-options.js';

/**
 * Any server that speaks Chat Completions: Ollama, vLLM, llama.cpp, LM Studio. It copes with their
 * habits: `reasoning`/`reasoning_content` deltas, a whole tool call in one chunk, usage on the finish
 * chunk, no `data: [DONE]`. No key, no `Authorization` header.
 */
export class OpenAICompatibleProvider implements LLMBackend {
  readonly provider = 'openai-compatible';
  /** The settings, less the API key, which stays private so logging a backend cannot leak it. */
  readonly options: Omit<OpenAICompatibleProviderOptions, 'apiKey'>;
  readonly #apiKey: string | undefined;
  private readonly chat: OpenAIChatClient;
  private readonly infos = new ModelInfoCache((model) => openAICompatibleModelInfo(model, this.options));

  constructor(options: OpenAICompatibleProviderOptions) {
    if (!options || typeof options.baseURL !== 'string' || options.baseURL === '') {
      throw new TypeError('OpenAICompatibleProvider: `baseURL` is required, e.g. "http://127.0.0.1:11434/v1" for Ollama.');
    }
    if (typeof options.model !== 'string' || options.model === '') {
      throw new TypeError('OpenAICompatibleProvider: `model` is required: the model name the server knows, e.g. "llama3.2".');
    }
    checkProviderSettings('OpenAICompatibleProvider', options);
    const { apiKey, ...settings } = options;
    registerSecret(apiKey);
    this.#apiKey = apiKey;
    this.options = Object.freeze(settings);
    this.chat = new OpenAIChatClient({
      provider: 'openai-compatible',
      baseURL: options.baseURL,
      headers: () => this.headers(),
      timeoutMs: options.timeoutMs,
      defaultMaxTokens: options.maxTokens,
      includeStreamUsage: options.includeUsage,
    });
  }

  get model(): string {
    return this.options.model;
  }

  get rateLimits(): RateLimits | undefined {
    return this.options.rateLimits;
  }

  /** The `maxTokens` sent when a call sets none; budgets and rate limits reserve it. */
  get maxTokens(): number | undefined {
    return this.options.maxTokens;
  }

  withRateLimits(rpm: number, tpm: number): OpenAICompatibleProvider {
    const rateLimits = withRateLimitsChecked('OpenAICompatibleProvider', this.options.rateLimits, rpm, tpm);
    return new OpenAICompatibleProvider({ ...this.options, apiKey: this.#apiKey, rateLimits });
  }

  withMaxTokens(maxTokens: number): OpenAICompatibleProvider {
    return new OpenAICompatibleProvider({ ...this.options, apiKey: this.#apiKey, maxTokens });
  }

  // The key is fixed when the backend is made, so the headers are too: made on first use, then shared.
  #headers: Readonly<Record<string, string>> | undefined;

  private headers(): Readonly<Record<string, string>> {
    return (this.#headers ??= Object.freeze({ ...this.options.headers, ...(this.#apiKey ? { authorization: `Bearer ${this.#apiKey}` } : {}) }));
  }

  infer(messages: readonly LLMMessage[], tools: readonly ToolSchema[] = [], options: InferOptions = {}): Promise<InferenceOutput> {
    return this.chat.infer(options.model ?? this.model, messages, tools, options);
  }

  inferStream(messages: readonly LLMMessage[], tools: readonly ToolSchema[] = [], options: InferOptions = {}): InferenceStream {
    return this.chat.inferStream(options.model ?? this.model, messages, tools, options);
  }

  embed(input: string | readonly string[], options: EmbedOptions = {}): Promise<EmbeddingOutput> {
    return requestOpenAIEmbeddings({
      provider: 'openai-compatible',
      baseURL: this.options.baseURL,
      headers: this.headers(),
      model: options.model ?? this.options.embeddingModel ?? this.model,
      input: typeof input === 'string' ? [input] : input,
      dimensions: options.dimensions,
      signal: options.signal,
      timeoutMs: options.timeoutMs ?? this.options.timeoutMs,
    });
  }

  modelInfo(model: string = this.model): ModelInfo {
    return this.infos.get(model);
  }

  supportsFunctionCalling(): boolean {
    return this.modelInfo().capabilities.functionCalling;
  }

  supportsStreaming(): boolean {
    return this.modelInfo().capabilities.streaming;
  }
}
