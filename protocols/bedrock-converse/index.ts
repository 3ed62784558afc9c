// The Bedrock Converse wire (POST /model/{modelId}/converse and /converse-stream): see protocols/README.md.
export type * from './bedrock-converse-api.js';
export { buildBedrockConverseRequest, type BedrockConverseRequestPlan, type BedrockConverseRequestSettings } from './bedrock-converse-request.js';
export { bedrockError, bedrockErrorFromResponse, bedrockErrorType, bedrockRequestId, type BedrockErrorContext } from './bedrock-converse-errors.js';
export {
  BedrockConverseStreamTransform,
  bedrockConverseStreamSource,
  transformBedrockConverseStream,
  type BedrockConverseStreamContext,
} from './bedrock-converse-stream.js';
export { cachePoint, convertToBedrockConverseMessages, type BedrockConversePrompt } from './convert-to-bedrock-converse-messages.js';
export { convertBedrockConverseResponse } from './convert-bedrock-converse-response.js';
export { convertBedrockConverseUsage } from './convert-bedrock-converse-usage.js';
export { EventStreamDecoder, loadEventStreamCodec } from './event-stream-decoder.js';
export { mapBedrockConverseStopReason } from './map-bedrock-converse-stop-reason.js';
