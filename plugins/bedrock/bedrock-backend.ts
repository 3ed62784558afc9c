import type { ClientHeadersOptions } from '../../core/forward-headers.js';
import { HttpProvider } from '../../core/http-provider.js';
import { ManagedInferenceStream } from '../../core/inference-stream.js';
import { LazySource, type PullSource } from '../../core/pull-source.js';
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
  StreamEvent,
  ToolSchema,
} from '../../core/types.js';
import { bedrockConverseStreamSource, convertBedrockConverseResponse, loadEventStreamCodec, type BedrockConverseResponse } from '../../protocols/bedrock-converse/index.js';
import { resolveAws, type ResolvedAws } from './bedrock-credentials.js';
import { embeddingRequests, readEmbeddingResponse } from './bedrock-embeddings.js';
import { BEDROCK_PROVIDER, mapBedrockError } from './bedrock-errors.js';
import { requestBedrockBytes, requestBedrockJson, type BedrockHttpRequest } from './bedrock-http.js';
import { bedrockModelInfo, DEFAULT_RATE_LIMITS, type BedrockModelId } from './bedrock-models.js';
import type { BedrockProviderSettings } from './bedrock-options.js';
import { buildBedrockRequest, type BedrockRequestPlan } from './bedrock-request.js';
import { signRequest } from './bedrock-signer.js';

export const DEFAULT_BEDROCK_MODEL: BedrockModelId = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';
export const DEFAULT_BEDROCK_EMBEDDING_MODEL = 'amazon.titan-embed-text-v2:0';
/** A Bedrock API key, sent as a bearer token instead of a SigV4 signature. */
export const BEDROCK_API_KEY_ENV = 'AWS_BEARER_TOKEN_BEDROCK';
/** Titan takes one text per call: this many calls at once. */
const EMBED_CONCURRENCY = 8;

/**
 * Amazon Bedrock's Converse API as an `LLMBackend`, for every model family Converse serves, with
 * requests signed by SigV4 (or a Bedrock API key, `apiKey` / AWS_BEARER_TOKEN_BEDROCK, as a bearer
 * token through the kit's credentials). On the kit's `HttpProvider`: the AWS keys are secret
 * settings, kept out of `options` and out of anything that logs the backend. Immutable: `with*`
 * builders return a new one.
 */
export class BedrockProvider extends HttpProvider<BedrockProviderSettings> implements LLMBackend {
  readonly provider = BEDROCK_PROVIDER;
  /** The AWS credential sources (keys, profile, environment): private, read when a call is signed. */
  readonly #aws: Pick<BedrockProviderSettings, 'accessKeyId' | 'secretAccessKey' | 'sessionToken' | 'profile' | 'region' | 'env'>;
  private aws: Promise<ResolvedAws> | undefined;
  private readonly infos = new ModelInfoCache((model) => bedrockModelInfo(model, BEDROCK_PROVIDER, this.options.rateLimits ?? DEFAULT_RATE_LIMITS));

  static claudeSonnet45(settings: BedrockProviderSettings = {}): BedrockProvider {
    return new BedrockProvider({ ...settings, model: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0' });
  }

  static claudeHaiku45(settings: BedrockProviderSettings = {}): BedrockProvider {
    return new BedrockProvider({ ...settings, model: 'us.anthropic.claude-haiku-4-5-20251001-v1:0' });
  }

  static novaLite2(settings: BedrockProviderSettings = {}): BedrockProvider {
    return new BedrockProvider({ ...settings, model: 'us.amazon.nova-2-lite-v1:0' });
  }

  static novaPro(settings: BedrockProviderSettings = {}): BedrockProvider {
    return new BedrockProvider({ ...settings, model: 'us.amazon.nova-pro-v1:0' });
  }

  constructor(settings: BedrockProviderSettings = {}) {
    // The key is optional: without one, requests are signed with the AWS credentials.
    super('BedrockProvider', settings, { provider: BEDROCK_PROVIDER, label: 'Bedrock', envVar: BEDROCK_API_KEY_ENV, required: false }, ['accessKeyId', 'secretAccessKey', 'sessionToken']);
    // A backend made in code registers its credentials as one made from a config does.
    registerSecret(settings.accessKeyId);
    registerSecret(settings.secretAccessKey);
    registerSecret(settings.sessionToken);
    const { accessKeyId, secretAccessKey, sessionToken, profile, region, env } = settings;
    this.#aws = Object.freeze({ accessKeyId, secretAccessKey, sessionToken, profile, region, env });
  }

  protected get defaultModel(): string {
    return DEFAULT_BEDROCK_MODEL;
  }

  modelInfo(model: string = this.model): ModelInfo {
    return this.infos.get(model);
  }

  async infer(messages: readonly LLMMessage[], tools: readonly ToolSchema[] = [], options: InferOptions = {}): Promise<InferenceOutput> {
    const plan = this.plan(messages, tools, options);
    const response = await this.expiring(async () => requestBedrockJson<BedrockConverseResponse>(await this.httpRequest(plan.model, 'converse', plan.body, options, 'application/json')));
    const metadata: Record<string, unknown> & { provider: string } = { provider: BEDROCK_PROVIDER, model: plan.model };
    if (response.requestId) metadata.requestId = response.requestId;
    if (plan.warnings.length > 0) metadata.warnings = plan.warnings;
    return convertBedrockConverseResponse(response.body, metadata);
  }

  inferStream(messages: readonly LLMMessage[], tools: readonly ToolSchema[] = [], options: InferOptions = {}): InferenceStream {
    const metadata: Record<string, unknown> = {};
    return new ManagedInferenceStream(() => new LazySource(() => this.openStream(messages, tools, options, metadata)), {
      provider: BEDROCK_PROVIDER,
      model: options.model ?? this.model,
      metadata,
      signal: options.signal,
    });
  }

  async embed(input: string | readonly string[], options: EmbedOptions = {}): Promise<EmbeddingOutput> {
    const inputs = typeof input === 'string' ? [input] : [...input];
    const model = options.model ?? this.options.embeddingModel ?? DEFAULT_BEDROCK_EMBEDDING_MODEL;
    const requests = embeddingRequests(model, inputs, options);
    const results: { embeddings: number[][]; promptTokens: number; requestId?: string }[] = new Array(requests.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < requests.length) {
        const index = next++;
        const request = requests[index];
        const response = await this.expiring(async () => requestBedrockJson<unknown>(await this.httpRequest(model, 'invoke', request.body, options, 'application/json')));
        results[index] = { ...readEmbeddingResponse(model, response.body, response.headers, request.count), requestId: response.requestId };
      }
    };
    await Promise.all(Array.from({ length: Math.min(EMBED_CONCURRENCY, requests.length) }, worker));
    const promptTokens = results.reduce((sum, result) => sum + result.promptTokens, 0);
    const requestId = results[results.length - 1]?.requestId;
    return {
      embeddings: results.flatMap((result) => result.embeddings),
      model,
      tokenUsage: { promptTokens, completionTokens: 0, totalTokens: promptTokens },
      metadata: { provider: BEDROCK_PROVIDER, model, ...(requestId ? { requestId } : {}) },
    };
  }

  private async openStream(messages: readonly LLMMessage[], tools: readonly ToolSchema[], options: InferOptions, metadata: Record<string, unknown>): Promise<PullSource<StreamEvent>> {
    const plan = this.plan(messages, tools, options);
    if (plan.warnings.length > 0) metadata.warnings = plan.warnings;
    // The codec loads (once per process) while the request is out.
    const codec = loadEventStreamCodec();
    const response = await this.expiring(async () => requestBedrockBytes(await this.httpRequest(plan.model, 'converse-stream', plan.body, options, 'application/vnd.amazon.eventstream')));
    if (response.requestId) metadata.requestId = response.requestId;
    await codec;
    return bedrockConverseStreamSource(response.bytes, { provider: BEDROCK_PROVIDER, metadata, headers: response.headers });
  }

  private plan(messages: readonly LLMMessage[], tools: readonly ToolSchema[], options: InferOptions): BedrockRequestPlan {
    return buildBedrockRequest(messages, tools, options, { model: this.model, maxTokens: this.maxTokens, guardrail: this.options.guardrail, cacheTools: this.options.cacheTools });
  }

  /** The signed request for `POST /model/{model}/{action}`. */
  private async httpRequest(model: string, action: string, body: unknown, options: InferOptions | EmbedOptions, accept: string): Promise<BedrockHttpRequest> {
    const text = JSON.stringify(body);
    const env = this.#aws.env ?? process.env;
    // The configured headers, the bearer key when there is one, and the forwarded client headers.
    const headers = this.credentials.headers(options as ClientHeadersOptions);
    const baseHeaders: Record<string, string> = { 'content-type': 'application/json', accept };
    let region = this.#aws.region;
    let aws: ResolvedAws | undefined;
    if (this.credentials.apiKey() !== undefined) {
      region ??= env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
    } else {
      aws = await this.awsCredentials();
      region = aws.region;
    }
    const base = (this.options.baseURL ?? `https://bedrock-runtime.${region ?? 'us-east-1'}.amazonaws.com`).replace(/\/+$/, '');
    const url = new URL(`${base}/model/${encodeURIComponent(model)}/${action}`);
    const signed = aws ? await signRequest({ method: 'POST', url, headers: baseHeaders, body: text }, { credentials: aws.credentials, region: aws.region }) : { ...baseHeaders, host: url.host };
    return {
      provider: BEDROCK_PROVIDER,
      url: url.href,
      method: 'POST',
      // Configured and forwarded headers go along unsigned: SigV4 needs only the headers it lists to match.
      headers: { ...headers, ...signed },
      body: text,
      signal: options.signal,
      timeoutMs: options.timeoutMs ?? this.options.timeoutMs,
      mapError: mapBedrockError,
    };
  }

  /** Temporary credentials that expired are read again (from the environment or the profile) on the next call. */
  private async expiring<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      if ((error as { providerCode?: string }).providerCode === 'ExpiredTokenException') this.aws = undefined;
      throw error;
    }
  }

  /** Resolved on first use and kept; a failure is not kept, so fixing the environment fixes the next call. */
  private awsCredentials(): Promise<ResolvedAws> {
    this.aws ??= resolveAws(this.#aws, BEDROCK_PROVIDER).catch((error: unknown) => {
      this.aws = undefined;
      throw error;
    });
    return this.aws;
  }
}
