import type { ClientHeadersOptions } from '../../core/forward-headers.js';
import { requestJson, requestSse, type HttpRequest } from '../../core/http.js';
import { ManagedInferenceStream } from '../../core/inference-stream.js';
import { LazySource, type PullSource } from '../../core/pull-source.js';
import type { InferOptions, InferenceOutput, InferenceStream, LLMMessage, StreamEvent, ToolSchema } from '../../core/types.js';
import type { GoogleGenerateContentResponse } from './google-api.js';
import { refineGoogleError, type GoogleErrorContext } from './google-errors.js';
import { buildGoogleRequest, type GoogleRequestPlan } from './google-request.js';
import { convertGoogleResponse } from './convert-google-response.js';
import { googleStreamSource } from './google-stream.js';

export interface GoogleClientSettings extends GoogleErrorContext {
  /** The URL of `model`'s `method` (`generateContent`, `streamGenerateContent`), with no query. */
  readonly url: (model: string, method: string) => string;
  /** The request headers, credential included; may mint a token (Vertex). */
  readonly headers: (options: ClientHeadersOptions) => Readonly<Record<string, string>> | Promise<Readonly<Record<string, string>>>;
  readonly timeoutMs?: number;
  /** The backend's `maxTokens`. */
  readonly defaultMaxTokens?: number;
  /** Vertex AI: ask for streamed `partialArgs`. @default false */
  readonly streamFunctionCallArguments?: boolean;
}

/** Speaks generateContent to one base URL: what the google and vertex providers share. */
export class GoogleClient {
  constructor(private readonly settings: GoogleClientSettings) {}

  async infer(model: string, messages: readonly LLMMessage[], tools: readonly ToolSchema[], options: InferOptions): Promise<InferenceOutput> {
    const plan = this.plan(model, messages, tools, options);
    const request = await this.request(plan, options, 'generateContent', '');
    let response;
    try {
      response = await requestJson<GoogleGenerateContentResponse>(request);
    } catch (error) {
      throw refineGoogleError(error, this.settings);
    }
    const metadata: Record<string, unknown> = { provider: this.settings.provider, model: plan.model };
    if (response.requestId) metadata.requestId = response.requestId;
    if (plan.warnings.length > 0) metadata.warnings = plan.warnings;
    return convertGoogleResponse(response.body, { ...this.settings, metadata, headers: response.headers, model: plan.model });
  }

  inferStream(model: string, messages: readonly LLMMessage[], tools: readonly ToolSchema[], options: InferOptions): InferenceStream {
    const metadata: Record<string, unknown> = {};
    const resolved = options.model ?? model;
    return new ManagedInferenceStream(() => new LazySource(() => this.openStream(resolved, messages, tools, options, metadata)), {
      provider: this.settings.provider,
      model: resolved,
      metadata,
      signal: options.signal,
    });
  }

  /** One JSON POST to a Google URL, its error refined like generateContent's (embeddings). */
  async post<T>(url: string, body: unknown, options: { readonly signal?: AbortSignal; readonly timeoutMs?: number } & ClientHeadersOptions): Promise<{ body: T; requestId: string | undefined }> {
    const headers = await this.settings.headers(options);
    try {
      const response = await requestJson<T>({ provider: this.settings.provider, url, headers, body, signal: options.signal, timeoutMs: options.timeoutMs ?? this.settings.timeoutMs, apiKeyEnv: this.settings.apiKeyEnv });
      return { body: response.body, requestId: response.requestId };
    } catch (error) {
      throw refineGoogleError(error, this.settings);
    }
  }

  private async openStream(model: string, messages: readonly LLMMessage[], tools: readonly ToolSchema[], options: InferOptions, metadata: Record<string, unknown>): Promise<PullSource<StreamEvent>> {
    const plan = this.plan(model, messages, tools, options);
    if (plan.warnings.length > 0) metadata.warnings = plan.warnings;
    const request = await this.request(plan, options, 'streamGenerateContent', '?alt=sse');
    let response;
    try {
      response = await requestSse(request);
    } catch (error) {
      throw refineGoogleError(error, this.settings);
    }
    if (response.requestId) metadata.requestId = response.requestId;
    return googleStreamSource(response.events, { ...this.settings, metadata, headers: response.headers });
  }

  private plan(model: string, messages: readonly LLMMessage[], tools: readonly ToolSchema[], options: InferOptions): GoogleRequestPlan {
    return buildGoogleRequest(messages, tools, options, {
      provider: this.settings.provider,
      model,
      maxTokens: this.settings.defaultMaxTokens,
      streamFunctionCallArguments: this.settings.streamFunctionCallArguments,
    });
  }

  private async request(plan: GoogleRequestPlan, options: InferOptions, method: string, query: string): Promise<HttpRequest> {
    return {
      provider: this.settings.provider,
      url: `${this.settings.url(plan.model, method)}${query}`,
      headers: await this.settings.headers(options),
      body: plan.body,
      signal: options.signal,
      timeoutMs: options.timeoutMs ?? this.settings.timeoutMs,
      apiKeyEnv: this.settings.apiKeyEnv,
    };
  }
}
