import { UnsupportedError } from '../../core/errors.js';
import { FORWARD_HEADERS_OPTIONS_PROPERTIES } from '../../core/forward-headers.js';
import { HttpProvider, type HttpProviderSettings } from '../../core/http-provider.js';
import { ModelInfoCache } from '../../core/model-info-cache.js';
import { CONFIGURED_MODEL_OPTIONS_PROPERTIES, type ConfiguredModelOptions } from '../../core/model-catalog.js';
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
import { OpenAIChatClient, type OpenAIChatClientConfig } from './openai-chat-client.js';
import { requestOpenAIEmbeddings } from './openai-embeddings.js';

/** What a Chat Completions provider's constructor takes: the shared settings plus the embedding model. */
export interface OpenAIChatProviderSettings extends HttpProviderSettings {
  /** Model for `embed()`. @default the vendor's embedding model, else the chat model */
  readonly embeddingModel?: string;
}

/** The vendor's quirks the Chat Completions client applies (thinking fields, metadata, usage, errors). */
export type OpenAIChatVendorQuirks = Omit<OpenAIChatClientConfig, 'provider' | 'baseURL' | 'headers' | 'apiKeyEnv' | 'timeoutMs' | 'defaultMaxTokens'>;

/** One vendor that speaks Chat Completions: its name, address, key variable, catalog and quirks. */
export interface OpenAIChatVendor<S extends OpenAIChatProviderSettings = OpenAIChatProviderSettings> {
  /** The config name, e.g. `groq`. */
  readonly provider: string;
  /** How people name it, e.g. `Groq`: in messages. */
  readonly label: string;
  /** The class, for TypeErrors about its settings. @default `${label}Provider` */
  readonly className?: string;
  /** @default none: `baseURL` must be set */
  readonly baseURL?: string;
  /** e.g. `GROQ_API_KEY`. @default none: only `apiKey` */
  readonly apiKeyEnv?: string;
  /** Calls fail without a key. @default true when `apiKeyEnv` is set */
  readonly keyRequired?: boolean;
  /** @default none: `model` must be set */
  readonly defaultModel?: string;
  /** Model for `embed()` when the settings name none. @default the chat model */
  readonly defaultEmbeddingModel?: string;
  /** The vendor has no `/embeddings`: `embed()` rejects with this advice. */
  readonly noEmbeddings?: string;
  /** The catalog lookup. */
  modelInfo(model: string, settings: Readonly<Omit<S, 'apiKey' | 'env'>>): ModelInfo;
  /** The key's headers. @default `authorization: Bearer <key>` */
  readonly authHeaders?: (apiKey: string) => Record<string, string>;
  /** The vendor's own headers, from its settings. */
  readonly extraHeaders?: (settings: Readonly<Omit<S, 'apiKey' | 'env'>>) => Record<string, string> | undefined;
  /** How the client builds requests and reads answers for this vendor. */
  readonly quirks?: OpenAIChatVendorQuirks | ((settings: Readonly<Omit<S, 'apiKey' | 'env'>>) => OpenAIChatVendorQuirks);
}

/**
 * A provider that speaks Chat Completions, configured by an `OpenAIChatVendor` — the base of
 * `openai-compatible`, `openrouter` and every named OpenAI-compatible vendor (groq, deepseek…).
 * A vendor is a subclass whose constructor takes the settings and passes its vendor description.
 */
export class OpenAIChatProvider<S extends OpenAIChatProviderSettings = OpenAIChatProviderSettings> extends HttpProvider<S> implements LLMBackend {
  readonly provider: string;
  /** Where requests go. */
  readonly baseURL: string;
  protected readonly vendor: OpenAIChatVendor<S>;
  protected readonly chat: OpenAIChatClient;
  readonly #infos: ModelInfoCache;

  constructor(settings: S, vendor: OpenAIChatVendor<S>) {
    const owner = vendor.className ?? `${vendor.label}Provider`;
    const baseURL = settings.baseURL ?? vendor.baseURL;
    if (typeof baseURL !== 'string' || baseURL === '') {
      throw new TypeError(`${owner}: \`baseURL\` is required, e.g. "http://127.0.0.1:8000/v1".`);
    }
    if (vendor.defaultModel === undefined && (typeof settings.model !== 'string' || settings.model === '')) {
      throw new TypeError(`${owner}: \`model\` is required: the model name the server knows, e.g. "llama3.2".`);
    }
    super(owner, settings, {
      provider: vendor.provider,
      label: vendor.label,
      envVar: vendor.apiKeyEnv,
      required: vendor.keyRequired,
      authHeaders: vendor.authHeaders,
      extraHeaders: vendor.extraHeaders?.(settings),
    });
    this.provider = vendor.provider;
    this.vendor = vendor;
    this.baseURL = baseURL;
    const quirks = typeof vendor.quirks === 'function' ? vendor.quirks(this.options) : vendor.quirks;
    this.chat = new OpenAIChatClient({
      ...quirks,
      provider: vendor.provider,
      baseURL,
      headers: (options) => this.credentials.headers(options),
      apiKeyEnv: vendor.apiKeyEnv,
      timeoutMs: settings.timeoutMs,
      defaultMaxTokens: settings.maxTokens,
    });
    this.#infos = new ModelInfoCache((model) => vendor.modelInfo(model, this.options));
  }

  protected get defaultModel(): string {
    return this.vendor.defaultModel as string;
  }

  // A vendor subclass's constructor takes the settings alone (and may read a second argument as the model).
  protected override construct(settings: S): this {
    if ((this.constructor as unknown) !== OpenAIChatProvider) return super.construct(settings);
    return new OpenAIChatProvider<S>(settings, this.vendor) as this;
  }

  modelInfo(model: string = this.model): ModelInfo {
    return this.#infos.get(model);
  }

  infer(messages: readonly LLMMessage[], tools: readonly ToolSchema[] = [], options: InferOptions = {}): Promise<InferenceOutput> {
    return this.chat.infer(options.model ?? this.model, messages, tools, options);
  }

  inferStream(messages: readonly LLMMessage[], tools: readonly ToolSchema[] = [], options: InferOptions = {}): InferenceStream {
    return this.chat.inferStream(options.model ?? this.model, messages, tools, options);
  }

  async embed(input: string | readonly string[], options: EmbedOptions = {}): Promise<EmbeddingOutput> {
    if (this.vendor.noEmbeddings !== undefined) throw new UnsupportedError(this.vendor.noEmbeddings, { provider: this.provider });
    return requestOpenAIEmbeddings({
      provider: this.provider,
      baseURL: this.baseURL,
      headers: this.credentials.headers(),
      apiKeyEnv: this.vendor.apiKeyEnv,
      readRateLimit: this.chat.defaults.readRateLimit,
      mapError: this.chat.defaults.mapError,
      model: options.model ?? this.options.embeddingModel ?? this.vendor.defaultEmbeddingModel ?? this.model,
      input: typeof input === 'string' ? [input] : input,
      dimensions: options.dimensions,
      signal: options.signal,
      timeoutMs: options.timeoutMs ?? this.options.timeoutMs,
    });
  }
}

/** The `options` of a Chat Completions vendor backend that has none of its own: the embedding model. */
export interface OpenAIChatVendorOptions {
  /** Model for `embed()`. @default the vendor's embedding model, else the chat model */
  readonly embeddingModel?: string;
}

export const openAIChatVendorOptionsSchema = Object.freeze({
  type: 'object',
  additionalProperties: false,
  properties: { ...FORWARD_HEADERS_OPTIONS_PROPERTIES, embeddingModel: { type: 'string', minLength: 1, description: 'Model used by embed().' } },
});

/**
 * The `options` of a backend on a server we know nothing about — `openai-compatible` and the local
 * `vllm`, `llamacpp`, `lmstudio`: what the server cannot tell us about its model, and whether to ask
 * for usage in streams.
 */
export interface OpenAIChatServerOptions extends ConfiguredModelOptions {
  /** Send `stream_options.include_usage` (turn off for servers that reject it). @default true */
  readonly includeUsage?: boolean;
  /** Model for `embed()`. @default the chat model */
  readonly embeddingModel?: string;
}

export const openAIChatServerOptionsSchema = Object.freeze({
  type: 'object',
  additionalProperties: false,
  properties: {
    ...FORWARD_HEADERS_OPTIONS_PROPERTIES,
    ...CONFIGURED_MODEL_OPTIONS_PROPERTIES,
    includeUsage: { type: 'boolean', description: 'Send stream_options.include_usage (default true).' },
    embeddingModel: { type: 'string', minLength: 1 },
  },
});
