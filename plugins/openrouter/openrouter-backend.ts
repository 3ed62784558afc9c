import { checkProviderSettings, withRateLimitsChecked } from '../../core/provider-settings.js';
import { HeadersByKey } from '../../core/headers-by-key.js';
import { requireApiKey } from '../../core/api-key.js';
import { UnsupportedError } from '../../core/errors.js';
import { OpenAIChatClient, requestOpenAIEmbeddings, type ThinkingMapper } from '../../protocols/openai-chat/index.js';
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
import { copyOpenRouterMetadata } from './openrouter-metadata.js';
import { DEFAULT_OPENROUTER_MODEL, hasOpenRouterModelCache, loadOpenRouterModels, openRouterModelInfo } from './openrouter-models.js';
import type { OpenRouterProviderOptions } from './openrouter-options.js';

export const OPENROUTER_BASE_URL = 'https://openrouter.ai/api/v1';
export const OPENROUTER_API_KEY_ENV = 'OPENROUTER_API_KEY';

// OpenRouter's unified reasoning setting: an effort, or a token budget for models that take one.
const mapThinking: ThinkingMapper = (thinking) => {
  const reasoning = {
    ...(thinking.effort === undefined ? {} : { effort: thinking.effort }),
    ...(thinking.budgetTokens === undefined ? {} : { max_tokens: thinking.budgetTokens }),
  };
  return Object.keys(reasoning).length > 0 ? { reasoning } : {};
};

/**
 * The OpenRouter backend: Chat Completions at openrouter.ai with its quirks (SSE keep-alive comments,
 * mid-stream error objects, reported cost). `modelInfo()` is sync: call `loadModels()` once to fill it
 * from the live `/models` list.
 */
export class OpenRouterProvider implements LLMBackend {
  readonly provider = 'openrouter';
  /** The settings, less the API key and the environment, which stay private so logging a backend cannot leak them. */
  readonly options: Omit<OpenRouterProviderOptions, 'apiKey' | 'env'>;
  readonly #apiKey: string | undefined;
  readonly #env: Readonly<Record<string, string | undefined>> | undefined;
  private readonly chat: OpenAIChatClient;

  constructor(apiKey?: string, model?: string, options?: Omit<OpenRouterProviderOptions, 'apiKey' | 'model'>);
  constructor(options?: OpenRouterProviderOptions);
  constructor(apiKeyOrOptions?: string | OpenRouterProviderOptions, model?: string, rest: Omit<OpenRouterProviderOptions, 'apiKey' | 'model'> = {}) {
    const options: OpenRouterProviderOptions =
      typeof apiKeyOrOptions === 'object' && apiKeyOrOptions !== null ? { ...apiKeyOrOptions } : { ...rest, apiKey: apiKeyOrOptions, model };
    checkProviderSettings('OpenRouterProvider', options);
    const { apiKey, env, ...settings } = options;
    registerSecret(apiKey);
    this.#apiKey = apiKey;
    this.#env = env;
    this.options = Object.freeze(settings);
    this.chat = new OpenAIChatClient({
      provider: 'openrouter',
      baseURL: this.baseURL,
      headers: () => this.headers(),
      apiKeyEnv: OPENROUTER_API_KEY_ENV,
      timeoutMs: options.timeoutMs,
      defaultMaxTokens: options.maxTokens,
      cacheControl: true,
      mapThinking,
      onResponse: copyOpenRouterMetadata,
      onChunk: copyOpenRouterMetadata,
    });
  }

  get baseURL(): string {
    return this.options.baseURL ?? OPENROUTER_BASE_URL;
  }

  get model(): string {
    return this.options.model ?? DEFAULT_OPENROUTER_MODEL;
  }

  get rateLimits(): RateLimits | undefined {
    return this.options.rateLimits;
  }

  /** The `maxTokens` sent when a call sets none; budgets and rate limits reserve it. */
  get maxTokens(): number | undefined {
    return this.options.maxTokens;
  }

  withRateLimits(rpm: number, tpm: number): OpenRouterProvider {
    return this.copy({ rateLimits: withRateLimitsChecked('OpenRouterProvider', this.options.rateLimits, rpm, tpm) });
  }

  withMaxTokens(maxTokens: number): OpenRouterProvider {
    return this.copy({ maxTokens });
  }

  withModel(model: string): OpenRouterProvider {
    return this.copy({ model });
  }

  private copy(changes: Partial<OpenRouterProviderOptions>): OpenRouterProvider {
    return new OpenRouterProvider({ ...this.options, apiKey: this.#apiKey, env: this.#env, ...changes });
  }

  private apiKey(): string {
    return requireApiKey({ apiKey: this.#apiKey, env: this.#env, envVar: OPENROUTER_API_KEY_ENV, provider: 'openrouter', label: 'OpenRouter' });
  }

  private readonly headersByKey = new HeadersByKey((apiKey) => {
    const headers: Record<string, string> = { ...this.options.headers, authorization: `Bearer ${apiKey}` };
    if (this.options.appUrl) headers['http-referer'] = this.options.appUrl;
    if (this.options.appName) headers['x-title'] = this.options.appName;
    return headers;
  });

  private headers(): Readonly<Record<string, string>> {
    return this.headersByKey.for(this.apiKey());
  }

  /** Fill this process's model catalog for this base URL from `GET /models` (prices, context lengths, capabilities). */
  async loadModels(options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<number> {
    return loadOpenRouterModels({ baseURL: this.baseURL, headers: this.headers(), signal: options.signal, timeoutMs: options.timeoutMs ?? this.options.timeoutMs });
  }

  infer(messages: readonly LLMMessage[], tools: readonly ToolSchema[] = [], options: InferOptions = {}): Promise<InferenceOutput> {
    return this.chat.infer(options.model ?? this.model, messages, tools, options);
  }

  inferStream(messages: readonly LLMMessage[], tools: readonly ToolSchema[] = [], options: InferOptions = {}): InferenceStream {
    return this.chat.inferStream(options.model ?? this.model, messages, tools, options);
  }

  async embed(input: string | readonly string[], options: EmbedOptions = {}): Promise<EmbeddingOutput> {
    const model = options.model ?? this.options.embeddingModel;
    if (!model) {
      throw new UnsupportedError('OpenRouter embeddings need a model: set "embeddingModel" in the backend options or pass options.model (e.g. openai/text-embedding-3-small).', {
        provider: 'openrouter',
      });
    }
    if (hasOpenRouterModelCache(this.baseURL) && !this.modelInfo(model).capabilities.embeddings) {
      throw new UnsupportedError(`OpenRouter model ${model} does not produce embeddings (per ${this.baseURL}/models). Pick an embedding model.`, { provider: 'openrouter' });
    }
    return requestOpenAIEmbeddings({
      provider: 'openrouter',
      baseURL: this.baseURL,
      headers: this.headers(),
      apiKeyEnv: OPENROUTER_API_KEY_ENV,
      model,
      input: typeof input === 'string' ? [input] : input,
      dimensions: options.dimensions,
      signal: options.signal,
      timeoutMs: options.timeoutMs ?? this.options.timeoutMs,
    });
  }

  modelInfo(model: string = this.model): ModelInfo {
    return openRouterModelInfo(model, this.baseURL, this.options.rateLimits);
  }

  supportsFunctionCalling(): boolean {
    return this.modelInfo().capabilities.functionCalling;
  }

  supportsStreaming(): boolean {
    return true;
  }
}
