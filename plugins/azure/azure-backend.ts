import type { ClientHeadersOptions } from '../../core/forward-headers.js';
import { HttpProvider, providerSettingsFrom } from '../../core/http-provider.js';
import { ModelInfoCache } from '../../core/model-info-cache.js';
import type { EmbedOptions, EmbeddingOutput, InferOptions, InferenceOutput, InferenceStream, LLMBackend, LLMMessage, ModelInfo, ToolSchema } from '../../core/types.js';
import { OpenAIChatClient, readOpenAIChatRateLimitHeaders, requestOpenAIEmbeddings } from '../../protocols/openai-chat/index.js';
import { OpenAIResponsesClient } from '../../protocols/openai-responses/index.js';
import { mapAzureError } from './azure-errors.js';
import { copyAzureContentFilters, copyAzureFilterResults } from './azure-metadata.js';
import { azureModelInfo, isAzureReasoningModel } from './azure-models.js';
import type { AzureSettings } from './azure-options.js';
import { azureDeploymentURL, azureResponsesURL, azureV1Base } from './azure-urls.js';

export const AZURE_OPENAI_API_KEY_ENV = 'AZURE_OPENAI_API_KEY';

/**
 * Azure OpenAI and Azure AI Foundry: `model` is the deployment, `baseURL` the resource
 * (`https://<resource>.openai.azure.com/openai/v1`). With `apiVersion` the classic
 * `/openai/deployments/{deployment}/…?api-version=` form; with `azureADToken` an Entra ID bearer
 * token instead of the `api-key` header; `api: "responses"` for the Responses API.
 */
export class AzureOpenAIProvider extends HttpProvider<AzureSettings> implements LLMBackend {
  readonly provider = 'azure';
  readonly #chat: OpenAIChatClient;
  readonly #responses: OpenAIResponsesClient;
  readonly #infos = new ModelInfoCache((model) => azureModelInfo(model, this.options));

  constructor(apiKey: string | undefined, deployment: string, settings?: Omit<AzureSettings, 'apiKey' | 'model'>);
  constructor(settings: AzureSettings);
  constructor(apiKeyOrSettings: string | AzureSettings | undefined, deployment?: string, rest?: Omit<AzureSettings, 'apiKey' | 'model'>) {
    const settings = providerSettingsFrom<AzureSettings>(apiKeyOrSettings, deployment, rest);
    if (typeof settings.baseURL !== 'string' || settings.baseURL === '') {
      throw new TypeError('AzureOpenAIProvider: `baseURL` is required: your resource, e.g. "https://<resource>.openai.azure.com/openai/v1".');
    }
    if (typeof settings.model !== 'string' || settings.model === '') {
      throw new TypeError('AzureOpenAIProvider: `model` is required: the deployment name you gave the model in Azure.');
    }
    if (settings.api !== undefined && settings.api !== 'chat' && settings.api !== 'responses') {
      throw new TypeError(`AzureOpenAIProvider: \`api\` must be "chat" or "responses", got ${JSON.stringify(settings.api)}.`);
    }
    const token = settings.azureADToken;
    // An Entra ID token goes as a bearer instead of the key; without one, the api-key header.
    super(
      'AzureOpenAIProvider',
      settings,
      {
        provider: 'azure',
        label: 'Azure OpenAI',
        envVar: AZURE_OPENAI_API_KEY_ENV,
        token,
        authHeaders: token ? undefined : (key) => ({ 'api-key': key }),
      },
      ['azureADToken'],
    );
    const { baseURL, apiVersion } = settings;
    const v1 = azureV1Base(baseURL);
    const common = {
      provider: 'azure',
      baseURL: v1,
      headers: (options: ClientHeadersOptions) => this.credentials.headers(options),
      apiKeyEnv: AZURE_OPENAI_API_KEY_ENV,
      timeoutMs: settings.timeoutMs,
      defaultMaxTokens: settings.maxTokens,
      isReasoningModel: (deployment: string) => isAzureReasoningModel(this.modelName(deployment)),
      readRateLimit: readOpenAIChatRateLimitHeaders,
      mapError: mapAzureError,
    };
    this.#chat = new OpenAIChatClient({
      ...common,
      onResponse: copyAzureFilterResults,
      onChunk: copyAzureFilterResults,
      ...(apiVersion ? { urlFor: (deployment: string) => azureDeploymentURL(baseURL, deployment, 'chat/completions', apiVersion) } : {}),
    });
    this.#responses = new OpenAIResponsesClient({ ...common, onResponse: copyAzureContentFilters, ...(apiVersion ? { url: azureResponsesURL(baseURL, apiVersion) } : {}) });
  }

  /** No default: a deployment has the name its owner gave it. */
  protected get defaultModel(): string {
    return this.options.model as string;
  }

  private modelName(deployment: string): string {
    return deployment === this.options.model ? (this.options.modelName ?? deployment) : deployment;
  }

  modelInfo(model: string = this.model): ModelInfo {
    return this.#infos.get(model);
  }

  infer(messages: readonly LLMMessage[], tools: readonly ToolSchema[] = [], options: InferOptions = {}): Promise<InferenceOutput> {
    const deployment = options.model ?? this.model;
    return this.options.api === 'responses' ? this.#responses.infer(deployment, messages, tools, options) : this.#chat.infer(deployment, messages, tools, options);
  }

  inferStream(messages: readonly LLMMessage[], tools: readonly ToolSchema[] = [], options: InferOptions = {}): InferenceStream {
    const deployment = options.model ?? this.model;
    return this.options.api === 'responses' ? this.#responses.inferStream(deployment, messages, tools, options) : this.#chat.inferStream(deployment, messages, tools, options);
  }

  embed(input: string | readonly string[], options: EmbedOptions = {}): Promise<EmbeddingOutput> {
    const deployment = options.model ?? this.options.embeddingModel ?? this.model;
    const { baseURL, apiVersion } = this.options as AzureSettings & { baseURL: string };
    return requestOpenAIEmbeddings({
      provider: 'azure',
      baseURL: azureV1Base(baseURL),
      ...(apiVersion ? { url: azureDeploymentURL(baseURL, deployment, 'embeddings', apiVersion) } : {}),
      headers: this.credentials.headers(),
      apiKeyEnv: AZURE_OPENAI_API_KEY_ENV,
      mapError: mapAzureError,
      model: deployment,
      input: typeof input === 'string' ? [input] : input,
      dimensions: options.dimensions,
      signal: options.signal,
      timeoutMs: options.timeoutMs ?? this.options.timeoutMs,
    });
  }

  override supportsStreaming(): boolean {
    return true;
  }
}
