import { providerSettingsFrom } from '../../core/http-provider.js';
import { UnsupportedError } from '../../core/errors.js';
import { OpenAIChatProvider, type OpenAIChatVendor, type ThinkingMapper } from '../../protocols/openai-chat/index.js';
import type { EmbedOptions, EmbeddingOutput } from '../../core/types.js';
import { copyOpenRouterMetadata } from './openrouter-metadata.js';
import { DEFAULT_OPENROUTER_MODEL, hasOpenRouterModelCache, loadOpenRouterModels, openRouterModelInfo } from './openrouter-models.js';
import type { OpenRouterProviderOptions } from './openrouter-options.js';
import { readOpenRouterRateLimitHeaders } from './openrouter-rate-limits.js';

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

const OPENROUTER: OpenAIChatVendor<OpenRouterProviderOptions> = {
  provider: 'openrouter',
  label: 'OpenRouter',
  baseURL: OPENROUTER_BASE_URL,
  apiKeyEnv: OPENROUTER_API_KEY_ENV,
  defaultModel: DEFAULT_OPENROUTER_MODEL,
  modelInfo: (model, settings) => openRouterModelInfo(model, settings.baseURL ?? OPENROUTER_BASE_URL, settings.rateLimits),
  extraHeaders: (settings) => ({
    ...(settings.appUrl ? { 'http-referer': settings.appUrl } : {}),
    ...(settings.appName ? { 'x-title': settings.appName } : {}),
  }),
  quirks: {
    cacheControl: true,
    mapThinking,
    onResponse: copyOpenRouterMetadata,
    onChunk: copyOpenRouterMetadata,
    readRateLimit: readOpenRouterRateLimitHeaders,
  },
};

/**
 * The OpenRouter backend: Chat Completions at openrouter.ai with its quirks (SSE keep-alive comments,
 * mid-stream error objects, reported cost). `modelInfo()` is sync: call `loadModels()` once to fill it
 * from the live `/models` list.
 */
export class OpenRouterProvider extends OpenAIChatProvider<OpenRouterProviderOptions> {
  constructor(apiKey?: string, model?: string, options?: Omit<OpenRouterProviderOptions, 'apiKey' | 'model'>);
  constructor(options?: OpenRouterProviderOptions);
  constructor(apiKeyOrOptions?: string | OpenRouterProviderOptions, model?: string, rest?: Omit<OpenRouterProviderOptions, 'apiKey' | 'model'>) {
    super(providerSettingsFrom(apiKeyOrOptions, model, rest), OPENROUTER);
  }

  /** Fill this process's model catalog for this base URL from `GET /models` (prices, context lengths, capabilities). */
  async loadModels(options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<number> {
    return loadOpenRouterModels({ baseURL: this.baseURL, headers: this.credentials.headers(), signal: options.signal, timeoutMs: options.timeoutMs ?? this.options.timeoutMs });
  }

  override async embed(input: string | readonly string[], options: EmbedOptions = {}): Promise<EmbeddingOutput> {
    const model = options.model ?? this.options.embeddingModel;
    if (!model) {
      throw new UnsupportedError('OpenRouter embeddings need a model: set "embeddingModel" in the backend options or pass options.model (e.g. openai/text-embedding-3-small).', {
        provider: 'openrouter',
      });
    }
    if (hasOpenRouterModelCache(this.baseURL) && !this.modelInfo(model).capabilities.embeddings) {
      throw new UnsupportedError(`OpenRouter model ${model} does not produce embeddings (per ${this.baseURL}/models). Pick an embedding model.`, { provider: 'openrouter' });
    }
    return super.embed(input, { ...options, model });
  }

  /** OpenRouter serves every model through one API: streaming is always there. */
  override supportsStreaming(): boolean {
    return true;
  }
}
