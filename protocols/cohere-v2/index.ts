// Cohere's v2 chat and embed API: a protocol, used by the cohere provider (and any server that speaks it).
export type * from './cohere-v2-api.js';
export { CohereV2Client, type CohereV2ClientConfig } from './cohere-v2-client.js';
export { cohereV2EmbedRequest, convertCohereV2Embeddings, type CohereV2EmbedSettings } from './cohere-v2-embed.js';
export { mapCohereV2Error } from './cohere-v2-errors.js';
export { buildCohereV2Request, type CohereV2Request, type CohereV2RequestSettings } from './cohere-v2-request.js';
export { CohereV2StreamTransform, cohereV2StreamSource, transformCohereV2Stream, type CohereV2StreamContext } from './cohere-v2-stream.js';
export { convertCohereV2Response, type CohereV2ResponseContext } from './convert-cohere-v2-response.js';
export { convertCohereV2Usage } from './convert-cohere-v2-usage.js';
export { convertToCohereV2Messages, convertToCohereV2ToolChoice, convertToCohereV2Tools } from './convert-to-cohere-v2-messages.js';
export { mapCohereV2FinishReason } from './map-cohere-v2-finish-reason.js';
