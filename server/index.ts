export { createGateway } from './create-gateway.js';
export { gatewayOptionsFromConfig, type GatewayConfigOverrides } from './gateway-config.js';
export { Gateway, type GatewayAddress } from './gateway.js';
export {
  API_KEY_ENV,
  DEFAULT_HOST,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_PORT,
  type CorsOptions,
  type GatewayLogger,
  type GatewayOptions,
} from './gateway-options.js';
export { GatewayError, STATUS_CLIENT_CLOSED_REQUEST, toErrorResponse, type ErrorResponse } from './errors.js';
export type { ChatCompletion, ChatCompletionChunk, EmbeddingList, ModelEntry, OpenAIErrorBody } from './openai-wire.js';
export type { AnthropicErrorBody } from './anthropic-errors.js';
