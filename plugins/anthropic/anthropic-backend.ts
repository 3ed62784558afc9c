import { HttpProvider, providerSettingsFrom, type HttpProviderSettings } from '../../core/http-provider.js';
import { UnsupportedError } from '../../core/errors.js';
import { requestJson, requestSse, type HttpRequest } from '../../core/http.js';
import { ManagedInferenceStream } from '../../core/inference-stream.js';
import { LazySource, type PullSource } from '../../core/pull-source.js';
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
  StreamEvent,
  ToolSchema,
} from '../../core/types.js';
import {
  ANTHROPIC_API_KEY_ENV,
  ANTHROPIC_PROVIDER,
  anthropicStreamSource,
  convertAnthropicResponse,
  readAnthropicRateLimitHeaders,
  type AnthropicMessageResponse,
  type AnthropicWirePath,
  type AnthropicWireRequestOptions,
} from '../../protocols/anthropic-messages/index.js';
import { anthropicModelInfo, DEFAULT_RATE_LIMITS, type AnthropicModelId } from './anthropic-models.js';
import { buildAnthropicRequest, type AnthropicRequestPlan } from './anthropic-request.js';
import { retiredPresetModel } from './retired-presets.js';

export const DEFAULT_ANTHROPIC_BASE_URL = 'https://api.anthropic.com/v1';
export const DEFAULT_ANTHROPIC_VERSION = '2023-06-01';
export const DEFAULT_ANTHROPIC_MODEL: AnthropicModelId = 'claude-haiku-4-5';

/** `new AnthropicProvider(settings)`: the shared provider settings plus Anthropic's headers. */
export interface AnthropicProviderSettings extends HttpProviderSettings {
  /** @default DEFAULT_ANTHROPIC_MODEL */
  readonly model?: AnthropicModelId;
  /** The `anthropic-version` header. @default DEFAULT_ANTHROPIC_VERSION */
  readonly anthropicVersion?: string;
  /** Beta features, sent as the `anthropic-beta` header (comma-joined). */
  readonly anthropicBeta?: string | readonly string[];
}

/** The Anthropic Messages API as an `LLMBackend`. Immutable: the `with*` builders return a new provider. */
export class AnthropicProvider extends HttpProvider<AnthropicProviderSettings> implements LLMBackend {
  readonly provider = ANTHROPIC_PROVIDER;
  private readonly url: string;
  private readonly infos = new ModelInfoCache((model) => anthropicModelInfo(model, this.options.rateLimits ?? DEFAULT_RATE_LIMITS));

  /** @deprecated Claude 3.5 Sonnet was retired on 2025-10-22: calls claude-sonnet-4-6 (a one-time DeprecationWarning says so). */
  static claude35Sonnet(apiKey?: string): AnthropicProvider {
    return new AnthropicProvider({ apiKey, model: retiredPresetModel('claude35Sonnet') });
  }

  /** @deprecated Claude 3.5 Haiku was retired on 2026-02-19: calls claude-haiku-4-5 (a one-time DeprecationWarning says so). */
  static claude35Haiku(apiKey?: string): AnthropicProvider {
    return new AnthropicProvider({ apiKey, model: retiredPresetModel('claude35Haiku') });
  }

  /** @deprecated Claude 3 Opus was retired on 2026-01-05: calls claude-opus-4-6 (a one-time DeprecationWarning says so). */
  static claude3Opus(apiKey?: string): AnthropicProvider {
    return new AnthropicProvider({ apiKey, model: retiredPresetModel('claude3Opus') });
  }

  static claude3Haiku(apiKey?: string): AnthropicProvider {
    return new AnthropicProvider({ apiKey, model: 'claude-3-haiku-20240307' });
  }

  static claudeSonnet45(apiKey?: string): AnthropicProvider {
    return new AnthropicProvider({ apiKey, model: 'claude-sonnet-4-5' });
  }

  static claudeHaiku45(apiKey?: string): AnthropicProvider {
    return new AnthropicProvider({ apiKey, model: 'claude-haiku-4-5' });
  }

  /** `new AnthropicProvider(settings)` or, like the seed, `new AnthropicProvider(apiKey, model)`. */
  constructor(settingsOrApiKey: AnthropicProviderSettings | string = {}, model?: AnthropicModelId) {
    const settings = providerSettingsFrom<AnthropicProviderSettings>(settingsOrApiKey, model || undefined);
    const beta = settings.anthropicBeta;
    const betaHeader = typeof beta === 'string' ? beta : beta && beta.length > 0 ? beta.join(',') : undefined;
    super('AnthropicProvider', settings, {
      provider: ANTHROPIC_PROVIDER,
      label: 'Anthropic',
      envVar: ANTHROPIC_API_KEY_ENV,
      authHeaders: (apiKey) => ({ 'x-api-key': apiKey }),
      extraHeaders: { 'anthropic-version': settings.anthropicVersion ?? DEFAULT_ANTHROPIC_VERSION, ...(betaHeader ? { 'anthropic-beta': betaHeader } : {}) },
    });
    this.url = `${(settings.baseURL ?? DEFAULT_ANTHROPIC_BASE_URL).replace(/\/+$/, '')}/messages`;
  }

  protected get defaultModel(): string {
    return DEFAULT_ANTHROPIC_MODEL;
  }

  modelInfo(model: string = this.model): ModelInfo {
    return this.infos.get(model);
  }

  override supportsStreaming(): boolean {
    return true;
  }

  async infer(messages: readonly LLMMessage[], tools: readonly ToolSchema[] = [], options: InferOptions = {}): Promise<InferenceOutput> {
    const plan = this.plan(messages, tools, options, false);
    const response = await requestJson<AnthropicMessageResponse>(this.httpRequest(plan, options));
    const metadata: Record<string, unknown> = { provider: ANTHROPIC_PROVIDER, model: plan.model };
    if (response.requestId) metadata.requestId = response.requestId;
    if (response.rateLimit) metadata.rateLimit = response.rateLimit;
    if (plan.warnings.length > 0) metadata.warnings = plan.warnings;
    return convertAnthropicResponse(response.body, metadata);
  }

  inferStream(messages: readonly LLMMessage[], tools: readonly ToolSchema[] = [], options: InferOptions = {}): InferenceStream {
    const metadata: Record<string, unknown> = {};
    const model = options.model ?? this.model;
    return new ManagedInferenceStream(() => new LazySource(() => this.openStream(messages, tools, options, metadata)), {
      provider: ANTHROPIC_PROVIDER,
      model,
      metadata,
      signal: options.signal,
    });
  }

  embed(_input: string | readonly string[], _options?: EmbedOptions): Promise<EmbeddingOutput> {
    return Promise.reject(
      new UnsupportedError('Anthropic has no embeddings API; configure an OpenAI or OpenAI-compatible backend for embeddings.', { provider: ANTHROPIC_PROVIDER }),
    );
  }

  private async openStream(
    messages: readonly LLMMessage[],
    tools: readonly ToolSchema[],
    options: InferOptions,
    metadata: Record<string, unknown>,
  ): Promise<PullSource<StreamEvent>> {
    const plan = this.plan(messages, tools, options, true);
    if (plan.warnings.length > 0) metadata.warnings = plan.warnings;
    const response = await requestSse(this.httpRequest(plan, options));
    if (response.requestId) metadata.requestId = response.requestId;
    if (response.rateLimit) metadata.rateLimit = response.rateLimit;
    return anthropicStreamSource(response.events, { metadata, headers: response.headers });
  }

  private plan(messages: readonly LLMMessage[], tools: readonly ToolSchema[], options: InferOptions, stream: boolean): AnthropicRequestPlan {
    return buildAnthropicRequest(messages, tools, options, { model: this.model, maxTokens: this.maxTokens }, stream);
  }

  private httpRequest(plan: AnthropicRequestPlan, options: InferOptions): HttpRequest {
    return {
      provider: ANTHROPIC_PROVIDER,
      url: this.url,
      headers: this.credentials.headers(options),
      body: plan.body,
      signal: options.signal,
      timeoutMs: options.timeoutMs ?? this.options.timeoutMs,
      apiKeyEnv: ANTHROPIC_API_KEY_ENV,
      readRateLimit: readAnthropicRateLimitHeaders,
    };
  }

  /**
   * A request to `path` under this provider's base URL, with its headers and key, for a body the caller
   * built (the gateway's /v1/messages forwards a client's body as it came). `headers` go out after the
   * provider's own, except the key; an `anthropic-beta` list is joined to the configured one.
   */
  anthropicWireRequest(path: AnthropicWirePath, body: unknown, options: AnthropicWireRequestOptions = {}): HttpRequest {
    const own = this.credentials.headers();
    const headers: Record<string, string> = { ...own, ...options.headers, 'x-api-key': own['x-api-key'] };
    const beta = [own['anthropic-beta'], options.headers?.['anthropic-beta']].filter((value): value is string => typeof value === 'string' && value !== '');
    if (beta.length > 0) headers['anthropic-beta'] = [...new Set(beta.join(',').split(',').map((item) => item.trim()).filter(Boolean))].join(',');
    return {
      provider: ANTHROPIC_PROVIDER,
      url: `${this.url.slice(0, -'/messages'.length)}/${path}`,
      headers,
      body,
      signal: options.signal,
      timeoutMs: options.timeoutMs ?? this.options.timeoutMs,
      apiKeyEnv: ANTHROPIC_API_KEY_ENV,
      readRateLimit: readAnthropicRateLimitHeaders,
    };
  }
}
