// The Anthropic Messages wire protocol (`POST /v1/messages`), both directions: a protocol, not a
// provider. The anthropic provider adds what is Anthropic's own (the model catalog, per-model
// thinking, sampling and prefill rules, the backend); the gateway's /v1/messages route can read
// and write the same types.
export type * from './anthropic-api.js';
export { ANTHROPIC_API_KEY_ENV, ANTHROPIC_PROVIDER, anthropicStreamError, statusForAnthropicErrorType } from './anthropic-errors.js';
export { AnthropicStreamTransform, anthropicStreamSource, transformAnthropicStream, type AnthropicStreamContext } from './anthropic-stream.js';
export { plainTextDelta } from './anthropic-text-delta.js';
export { convertAnthropicResponse } from './convert-anthropic-response.js';
export { convertAnthropicUsage, mergeAnthropicUsage } from './convert-anthropic-usage.js';
export { convertToAnthropicMessages, type AnthropicPrompt } from './convert-to-anthropic-messages.js';
export { mapAnthropicStopReason } from './map-anthropic-stop-reason.js';
