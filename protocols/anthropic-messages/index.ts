// The Anthropic Messages wire protocol (`POST /v1/messages`), both directions: a protocol, not a
// provider. The anthropic provider adds what is Anthropic's own (the model catalog, per-model
// thinking, sampling and prefill rules, the backend); the gateway's /v1/messages route reads and
// writes the same types (the encoder, the message converter, the raw event record).
export type * from './anthropic-api.js';
export { ANTHROPIC_API_KEY_ENV, ANTHROPIC_PROVIDER, anthropicStreamError, statusForAnthropicErrorType } from './anthropic-errors.js';
export { AnthropicEventEncoder, type AnthropicSseEvent } from './anthropic-event-encoder.js';
export { AnthropicRawEvents, recordedAnthropicStreamSource } from './anthropic-raw-events.js';
export { ANTHROPIC_RATE_LIMIT_HEADERS, readAnthropicRateLimitHeaders } from './anthropic-rate-limits.js';
export { AnthropicStreamTransform, anthropicStreamSource, transformAnthropicStream, type AnthropicStreamContext } from './anthropic-stream.js';
export { plainTextDelta } from './anthropic-text-delta.js';
export { isAnthropicWireEndpoint, type AnthropicWireEndpoint, type AnthropicWirePath, type AnthropicWireRequestOptions } from './anthropic-wire-endpoint.js';
export { convertAnthropicResponse } from './convert-anthropic-response.js';
export { convertAnthropicUsage, mergeAnthropicUsage } from './convert-anthropic-usage.js';
export { convertToAnthropicMessage, type AnthropicMessageBody, type AnthropicMessageIdentity, type AnthropicOutputBlock } from './convert-to-anthropic-message.js';
export { convertToAnthropicMessages, type AnthropicPrompt } from './convert-to-anthropic-messages.js';
export { mapAnthropicStopReason } from './map-anthropic-stop-reason.js';
export { toAnthropicStopReason, toAnthropicUsage, type AnthropicWireUsage } from './to-anthropic-usage.js';
