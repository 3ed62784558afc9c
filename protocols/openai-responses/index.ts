// The OpenAI Responses wire protocol (`POST /responses`): a protocol, not a provider. The openai
// provider wraps `OpenAIResponsesClient` for `api: "responses"`; any server that speaks the
// Responses API can do the same with its own base URL and headers.
export type * from './openai-responses-api.js';
export { buildOpenAIResponsesRequest, type OpenAIResponsesRequest, type OpenAIResponsesRequestSettings } from './convert-to-openai-responses-input.js';
export { convertOpenAIResponsesResponse, type OpenAIResponsesResponseContext } from './convert-openai-responses-response.js';
export { convertOpenAIResponsesUsage } from './convert-openai-responses-usage.js';
export { mapOpenAIResponsesStatus } from './map-openai-responses-status.js';
export { OpenAIResponsesClient, type OpenAIResponsesClientConfig } from './openai-responses-client.js';
export { errorFromResponsesError } from './openai-responses-errors.js';
export {
  OpenAIResponsesStreamTransform,
  openAIResponsesStreamSource,
  transformOpenAIResponsesStream,
  type OpenAIResponsesStreamContext,
} from './openai-responses-stream.js';
// The gateway's direction: a Responses request → the kernel's call, its output and events → the Responses wire.
export type * from './openai-responses-server-api.js';
export {
  convertFromOpenAIResponsesRequest,
  type ConvertResponsesRequestOptions,
  type ResponsesCall,
  type ResponsesRequestEcho,
} from './convert-from-openai-responses-request.js';
export {
  buildOpenAIResponsesObject,
  convertToOpenAIResponsesOutput,
  convertToOpenAIResponsesUsage,
  responsesId,
  type ResponsesIdentity,
} from './convert-to-openai-responses-object.js';
export { OpenAIResponsesEventEncoder } from './openai-responses-event-encoder.js';
export type { InvalidField } from './responses-request-fields.js';
