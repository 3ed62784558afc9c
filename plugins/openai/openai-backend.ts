import { checkProviderSettings, withRateLimitsChecked } from '../../core/provider-settings.js';
import { requireApiKey } from '../../core/api-key.js';
import { OpenAIChatClient, requestOpenAIEmbeddings } from '../../protocols/openai-chat/index.js';
import { OpenAIResponsesClient } from '../../protocols/openai-responses/index.js';
import { registerSecret } from '../../core/redact.js';
import { HeadersByKey } from '../../core/headers-by-key.js';
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
import { DEFAULT_OPENAI_EMBEDDING_MODEL, DEFAULT_OPENAI_MODEL, isOpenAIReasoningModel, openAIModelInfo, type OpenAIModelId } from './openai-models.js';
import type { OpenAIProviderOptions } from './openai-options.js';

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';
export const OPENAI_API_KEY_ENV = 'OPENAI_API_KEY';

/**
 * The OpenAI backend. Immutable: `withRateLimits`/`withMaxTokens`/`withModel` return new instances.
 * The API key is read when a call is made, so `modelInfo()` works without one.
 *
 * ```ts
 * const gpt = new OpenAIProvider(process.env.OPENAI_API_KEY, 'gpt-4o').withMaxTokens(1024);
 * ```
 */
export class OpenAIProvider implements LLMBackend {
  readonly provider = 'openai';
  /** The settings, less the API key and the environment, which stay private so logging a backend cannot leak them. */
  readonly options: Omit<OpenAIProviderOptions, 'apiKey' | 'env'>;
  readonly #apiKey: string | undefined;
  readonly #env: Readonly<Record<string, string | undefined>> | undefined;
  private readonly chat: OpenAIChatClient;
  private readonly responses: OpenAIResponsesClient;
  private readonly infos = new ModelInfoCache((model) => openAIModelInfo(model, this.options.rateLimits));

  constructor(apiKey?: string, model?: OpenAIModelId, options?: Omit<OpenAIProviderOptions, 'apiKey' | 'model'>);
  constructor(options?: OpenAIProviderOptions);
  constructor(apiKeyOrOptions?: string | OpenAIProviderOptions, model?: OpenAIModelId, rest: Omit<OpenAIProviderOptions, 'apiKey' | 'model'> = {}) {
    const options: OpenAIProviderOptions =
      typeof apiKeyOrOptions === 'object' && apiKeyOrOptions !== null ? { ...apiKeyOrOptions } : { ...rest, apiKey: apiKeyOrOptions, model };
    validate(options);
    const { apiKey, env, ...settings } = options;
    registerSecret(apiKey);
    this.#apiKey = apiKey;
    this.#env = env;
    this.options = Object.freeze(settings);
    const baseURL = options.baseURL ?? OPENAI_BASE_URL;
    const headers = (): Record<string, string> => this.headers();
    this.chat = new OpenAIChatClient({
      provider: 'openai',
      baseURL,
      headers,
      apiKeyEnv: OPENAI_API_KEY_ENV,
      timeoutMs: options.timeoutMs,
      defaultMaxTokens: options.maxTokens,
      isReasoningModel: isOpenAIReasoningModel,
    });
    this.responses = new OpenAIResponsesClient({
      provider: 'openai',
      baseURL,
      headers,
      apiKeyEnv: OPENAI_API_KEY_ENV,
      timeoutMs: options.timeoutMs,
      defaultMaxTokens: options.maxTokens,
      isReasoningModel: isOpenAIReasoningModel,
    });
  }

  /** The model calls use unless they set `options.model`. */
  get model(): string {
    return this.options.model ?? DEFAULT_OPENAI_MODEL;
  }

  get maxTokens(): number | undefined {
    return this.options.maxTokens;
  }

  /** The configured limits, else the catalog's for this model. */
  get rateLimits(): RateLimits | undefined {
    return this.modelInfo().rateLimits;
  }

  /** A copy with these requests-per-minute and tokens-per-minute limits. */
  withRateLimits(rpm: number, tpm: number): OpenAIProvider {
    return this.copy({ rateLimits: withRateLimitsChecked('OpenAIProvider', this.options.rateLimits, rpm, tpm) });
  }

  /** A copy whose calls default to at most `maxTokens` output tokens. */
  withMaxTokens(maxTokens: number): OpenAIProvider {
    return this.copy({ maxTokens });
  }

  /** A copy that calls `model`. */
  withModel(model: OpenAIModelId): OpenAIProvider {
    return this.copy({ model });
  }

  private copy(changes: Partial<OpenAIProviderOptions>): OpenAIProvider {
    return new OpenAIProvider({ ...this.options, apiKey: this.#apiKey, env: this.#env, ...changes });
  }

  private apiKey(): string {
    return requireApiKey({ apiKey: this.#apiKey, env: this.#env, envVar: OPENAI_API_KEY_ENV, provider: 'openai', label: 'OpenAI' });
  }

  private readonly headersByKey = new HeadersByKey((apiKey) => {
    const headers: Record<string, string> = { ...this.options.headers, authorization: `Bearer ${apiKey}` };
    if (this.options.organization) headers['openai-organization'] = this.options.organization;
    if (this.options.project) headers['openai-project'] = this.options.project;
    return headers;
  });

  private headers(): Readonly<Record<string, string>> {
    return this.headersByKey.for(this.apiKey());
  }

  infer(messages: readonly LLMMessage[], tools: readonly ToolSchema[] = [], options: InferOptions = {}): Promise<InferenceOutput> {
    const model = options.model ?? this.model;
    return this.options.api === 'responses' ? this.responses.infer(model, messages, tools, options) : this.chat.infer(model, messages, tools, options);
  }

  inferStream(messages: readonly LLMMessage[], tools: readonly ToolSchema[] = [], options: InferOptions = {}): InferenceStream {
    const model = options.model ?? this.model;
    return this.options.api === 'responses' ? this.responses.inferStream(model, messages, tools, options) : this.chat.inferStream(model, messages, tools, options);
  }

  async embed(input: string | readonly string[], options: EmbedOptions = {}): Promise<EmbeddingOutput> {
    return requestOpenAIEmbeddings({
      provider: 'openai',
      baseURL: this.options.baseURL ?? OPENAI_BASE_URL,
      headers: this.headers(),
      apiKeyEnv: OPENAI_API_KEY_ENV,
      model: options.model ?? this.options.embeddingModel ?? DEFAULT_OPENAI_EMBEDDING_MODEL,
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
    return true;
  }
}

function validate(options: OpenAIProviderOptions): void {
  checkProviderSettings('OpenAIProvider', options);
  if (options.api !== undefined && options.api !== 'chat' && options.api !== 'responses') {
    throw new TypeError(`OpenAIProvider: \`api\` must be "chat" or "responses", got ${JSON.stringify(options.api)}.`);
  }
}
