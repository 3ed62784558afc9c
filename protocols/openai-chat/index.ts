// The OpenAI Chat Completions wire protocol: a protocol, not a provider. The openai, openrouter and
// openai-compatible provider plugins each wrap `OpenAIChatClient` with their own base URL, headers and quirks.
export type * from './openai-chat-api.js';
export { convertOpenAIChatUsage } from './convert-openai-chat-usage.js';
export {
  convertToOpenAIChatMessages,
  convertToOpenAIChatResponseFormat,
  convertToOpenAIChatToolChoice,
  convertToOpenAIChatTools,
  type ConvertMessagesOptions,
} from './convert-to-openai-chat-messages.js';
export { mapOpenAIFinishReason } from './map-openai-finish-reason.js';
export { OpenAIChatClient, type OpenAIChatClientConfig } from './openai-chat-client.js';
export { confidenceFromLogprobs, LogprobTally } from './openai-chat-confidence.js';
export { splitOpenAIChatContent, type OpenAIChatContentText } from './openai-chat-content.js';
export { errorFromErrorObject, statusOfErrorObject, type ErrorObjectContext } from './openai-chat-errors.js';
export {
  OpenAIChatProvider,
  openAIChatServerOptionsSchema,
  openAIChatVendorOptionsSchema,
  type OpenAIChatServerOptions,
  type OpenAIChatProviderSettings,
  type OpenAIChatVendor,
  type OpenAIChatVendorOptions,
  type OpenAIChatVendorQuirks,
} from './openai-chat-provider.js';
export { OPENAI_RATE_LIMIT_HEADERS, readOpenAIChatRateLimitHeaders, SINGLE_BUDGET_RATE_LIMIT_HEADERS } from './openai-chat-rate-limits.js';
export { buildOpenAIChatRequest, mapThinkingToReasoningEffort, type OpenAIChatRequest, type OpenAIChatRequestSettings, type ThinkingMapper } from './openai-chat-request.js';
export { convertOpenAIChatResponse, type OpenAIChatResponseContext } from './openai-chat-response.js';
export { transformOpenAIChatStream, type OpenAIChatStreamContext } from './openai-chat-stream.js';
export { requestOpenAIEmbeddings, type OpenAIEmbeddingsRequest } from './openai-embeddings.js';
