// The library's public entry. Front ends and third-party providers/plugins import from here.
export type * from './core/types.js';
export * from './core/errors.js';
export * from './core/cost.js';
export * from './core/estimate.js';
export type { TokenEstimator } from './core/token-estimator.js';
export { setTokenEstimator, tokenEstimatorFor, type TokenEstimatorScope } from './core/estimate-registry.js';
export { ScriptTokenEstimator, type ScriptWeights } from './core/estimate-script.js';
export { builtInTokenEstimator, CL100K_ESTIMATOR, CL100K_WEIGHTS, O200K_ESTIMATOR, O200K_WEIGHTS } from './core/estimate-weights.js';
export * from './core/provider-settings.js';
export { requireApiKey, type ApiKeySource } from './core/api-key.js';
// The provider kit (plugins/README.md, "Adding a provider"): what a third-party provider builds on.
export { HttpProvider, providerSettingsFrom, type HttpProviderSettings } from './core/http-provider.js';
export { ProviderCredentials, type CredentialsSpec } from './core/provider-credentials.js';
export { catalogModelIds, catalogModelInfo, type CatalogModel, type ModelCatalog } from './core/model-catalog.js';
export { ModelInfoCache } from './core/model-info-cache.js';
export { errorFromResponse, mapErrorResponse, readErrorBody, type ErrorResponse, type ProviderErrorMapper } from './core/http-errors.js';
export {
  header,
  headerWaitMs,
  parseDuration,
  parseHeaderTime,
  parseRetryAfter,
  rateLimitHeaderReader,
  type HeaderMap,
  type HeaderTime,
  type RateLimitHeaderNames,
  type RateLimitHeaderReader,
} from './core/rate-limit-headers.js';
export { IterableSource, LazySource, SourceIterator, type PullSource } from './core/pull-source.js';
export { TransformedSource, transformIterable, type StreamTransform } from './core/stream-transform.js';
export { parseToolArguments, ToolCallAssembler, type ToolCallFragment } from './core/tool-call-assembler.js';
export * from './core/validate-options.js';
export * from './core/define.js';
export * from './core/kernel.js';
export * from './core/hooks.js';
export * from './core/inference-stream.js';
export * from './core/stream-accumulator.js';
export { redactSecrets, redactHeaders, registerSecret, REDACTED } from './core/redact.js';
export * from './core/messages.js';
export * from './core/config.js';
export { interpolateEnv, missingEnvVariables, resolveBackendConfig, type Env, type EnvLocation } from './core/env.js';
export * from './core/default-backend.js';
export { BUILTIN_PLUGINS, BUILTIN_PROVIDERS, loadPlugin, loadProvider, optionsProblems, resolveModule, validateOptions, type ModuleKind, type ResolvedModule } from './core/plugin-loader.js';
export * from './core/create-hyper-agent.js';
export * from './core/routing/index.js';
export * from './core/agent.js';
export * from './core/output-events.js';
export * from './core/http.js';

// ---------------------------------------------------------------------------------------------
// providers: each built-in provider adds its public exports below (presets, backend classes).
// ---------------------------------------------------------------------------------------------
export {
  AnthropicProvider,
  ANTHROPIC_MODEL_IDS,
  DEFAULT_ANTHROPIC_BASE_URL,
  DEFAULT_ANTHROPIC_MODEL,
  DEFAULT_ANTHROPIC_VERSION,
  DEFAULT_RATE_LIMITS as ANTHROPIC_DEFAULT_RATE_LIMITS,
  anthropicModelInfo,
  anthropicOptionsSchema,
  resolveAnthropicModel,
  type AnthropicBackendOptions,
  type AnthropicModelId,
  type AnthropicProviderSettings,
} from './plugins/anthropic/index.js';
export {
  DEFAULT_OPENAI_EMBEDDING_MODEL,
  DEFAULT_OPENAI_MODEL,
  DEFAULT_RATE_LIMITS as OPENAI_DEFAULT_RATE_LIMITS,
  isOpenAIReasoningModel,
  OPENAI_API_KEY_ENV,
  OPENAI_BASE_URL,
  OPENAI_MODEL_IDS,
  OPENAI_PRICING_SOURCES,
  OpenAIProvider,
  openAIModelInfo,
  openAIOptionsSchema,
  resolveOpenAIModelId,
  type OpenAIApi,
  type OpenAIBackendOptions,
  type OpenAIModelId,
  type OpenAIProviderOptions,
} from './plugins/openai/index.js';
export {
  clearOpenRouterModelCache,
  DEFAULT_OPENROUTER_MODEL,
  loadOpenRouterModels,
  OPENROUTER_API_KEY_ENV,
  OPENROUTER_BASE_URL,
  OpenRouterProvider,
  openRouterModelInfo,
  openRouterOptionsSchema,
  readOpenRouterRateLimitHeaders,
  type OpenRouterBackendOptions,
  type OpenRouterProviderOptions,
} from './plugins/openrouter/index.js';
export {
  OPENAI_COMPATIBLE_CAPABILITIES,
  OpenAICompatibleProvider,
  openAICompatibleModelInfo,
  openAICompatibleOptionsSchema,
  readOpenAICompatibleRateLimitHeaders,
  type OpenAICompatibleBackendOptions,
  type OpenAICompatibleProviderOptions,
} from './plugins/openai-compatible/index.js';
// OpenAI-compatible vendors and local servers, each a named provider on protocols/openai-chat.
export { GroqProvider, GROQ_API_KEY_ENV, GROQ_BASE_URL, GROQ_CATALOG } from './plugins/groq/index.js';
export { DeepSeekProvider, DEEPSEEK_API_KEY_ENV, DEEPSEEK_BASE_URL, DEEPSEEK_CATALOG } from './plugins/deepseek/index.js';
export { XAIProvider, XAI_API_KEY_ENV, XAI_BASE_URL, XAI_CATALOG } from './plugins/xai/index.js';
export { TogetherProvider, TOGETHER_API_KEY_ENV, TOGETHER_BASE_URL, TOGETHER_CATALOG } from './plugins/together/index.js';
export { FireworksProvider, FIREWORKS_API_KEY_ENV, FIREWORKS_BASE_URL, FIREWORKS_CATALOG } from './plugins/fireworks/index.js';
export { CerebrasProvider, CEREBRAS_API_KEY_ENV, CEREBRAS_BASE_URL, CEREBRAS_CATALOG } from './plugins/cerebras/index.js';
export { PerplexityProvider, PERPLEXITY_API_KEY_ENV, PERPLEXITY_BASE_URL, PERPLEXITY_CATALOG } from './plugins/perplexity/index.js';
export { DeepInfraProvider, DEEPINFRA_API_KEY_ENV, DEEPINFRA_BASE_URL, DEEPINFRA_CATALOG } from './plugins/deepinfra/index.js';
export { VLLMProvider, VLLM_API_KEY_ENV, VLLM_BASE_URL } from './plugins/vllm/index.js';
export { LlamaCppProvider, LLAMACPP_API_KEY_ENV, LLAMACPP_BASE_URL } from './plugins/llamacpp/index.js';
export { LMStudioProvider, LMSTUDIO_API_KEY_ENV, LMSTUDIO_BASE_URL } from './plugins/lmstudio/index.js';
export { AZURE_CATALOG, AZURE_OPENAI_API_KEY_ENV, AzureOpenAIProvider, azureOptionsSchema, type AzureBackendOptions, type AzureSettings } from './plugins/azure/index.js';
// The wire protocols, for third-party providers: Chat Completions (every OpenAI-compatible service),
// Responses, Anthropic Messages. `OpenAIChatProvider` + an `OpenAIChatVendor` is a whole provider.
export {
  convertOpenAIChatResponse,
  convertOpenAIChatUsage,
  convertToOpenAIChatMessages,
  errorFromErrorObject,
  mapOpenAIFinishReason,
  OPENAI_RATE_LIMIT_HEADERS,
  OpenAIChatClient,
  OpenAIChatProvider,
  readOpenAIChatRateLimitHeaders,
  requestOpenAIEmbeddings,
  SINGLE_BUDGET_RATE_LIMIT_HEADERS,
  splitOpenAIChatContent,
  transformOpenAIChatStream,
  type OpenAIChatChunk,
  type OpenAIChatClientConfig,
  type OpenAIChatProviderSettings,
  type OpenAIChatResponse,
  type OpenAIChatStreamContext,
  type OpenAIChatVendor,
  type OpenAIChatVendorQuirks,
  type OpenAIChatWireUsage,
  type OpenAIEmbeddingsRequest,
  type ThinkingMapper,
} from './protocols/openai-chat/index.js';
export {
  convertOpenAIResponsesResponse,
  convertOpenAIResponsesUsage,
  OpenAIResponsesClient,
  transformOpenAIResponsesStream,
  type OpenAIResponsesClientConfig,
} from './protocols/openai-responses/index.js';
export {
  ANTHROPIC_RATE_LIMIT_HEADERS,
  anthropicStreamSource,
  convertAnthropicResponse,
  readAnthropicRateLimitHeaders,
  transformAnthropicStream,
} from './protocols/anthropic-messages/index.js';

// The gateway is `hyperagent/gateway` (server/index.ts): a program that only calls models does not
// load node:http and node:crypto for it.
