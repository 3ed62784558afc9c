import type { ClientHeadersOptions } from '../../core/forward-headers.js';
import { HttpProvider, providerSettingsFrom } from '../../core/http-provider.js';
import { OpenAIChatClient, requestOpenAIEmbeddings } from '../../protocols/openai-chat/index.js';
import { OpenAIResponsesClient } from '../../protocols/openai-responses/index.js';
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
export class OpenAIProvider extends HttpProvider<OpenAIProviderOptions> implements LLMBackend {
  readonly provider = 'openai';
  private readonly chat: OpenAIChatClient;
  private readonly responses: OpenAIResponsesClient;
  private readonly infos = new ModelInfoCache((model) => openAIModelInfo(model, this.options.rateLimits));

  constructor(apiKey?: string, model?: OpenAIModelId, options?: Omit<OpenAIProviderOptions, 'apiKey' | 'model'>);
  constructor(options?: OpenAIProviderOptions);
  constructor(apiKeyOrOptions?: string | OpenAIProviderOptions, model?: OpenAIModelId, rest?: Omit<OpenAIProviderOptions, 'apiKey' | 'model'>) {
    const settings = providerSettingsFrom(apiKeyOrOptions, model, rest);
    if (settings.api !== undefined && settings.api !== 'chat' && settings.api !== 'responses') {
      throw new TypeError(`OpenAIProvider: \`api\` must be "chat" or "responses", got ${JSON.stringify(settings.api)}.`);
    }
    super('OpenAIProvider', settings, {
      provider: 'openai',
      label: 'OpenAI',
      envVar: OPENAI_API_KEY_ENV,
      extraHeaders: {
        ...(settings.organization ? { 'openai-organization': settings.organization } : {}),
        ...(settings.project ? { 'openai-project': settings.project } : {}),
      },
    });
    const client = {
      provider: 'openai',
      baseURL: settings.baseURL ?? OPENAI_BASE_URL,
      headers: (options: ClientHeadersOptions) => this.credentials.headers(options),
      apiKeyEnv: OPENAI_API_KEY_ENV,
      timeoutMs: settings.timeoutMs,
      defaultMaxTokens: settings.maxTokens,
      isReasoningModel: isOpenAIReasoningModel,
    };
    this.chat = new OpenAIChatClient(client);
    this.responses = new OpenAIResponsesClient(client);
  }

  protected get defaultModel(): string {
    return DEFAULT_OPENAI_MODEL;
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
      headers: this.credentials.headers(),
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

  override supportsStreaming(): boolean {
    return true;
  }
}
