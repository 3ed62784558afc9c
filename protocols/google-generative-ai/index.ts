// Google's generateContent wire protocol, both directions: the Gemini API (generativelanguage.googleapis.com)
// and Gemini on Vertex AI speak the same body, SSE stream, usage, finish reasons and RPC error envelope.
// A protocol, not a provider: the google and vertex providers add their URLs, credentials and catalogs.
export type * from './google-api.js';
export { GoogleClient, type GoogleClientSettings } from './google-client.js';
export { googleErrorObject, googleStreamError, parseGoogleDuration, refineGoogleError, type GoogleErrorContext } from './google-errors.js';
export { googleBatchEmbedRequest, googleEmbedContentRequest, googleEmbeddingVectors, type GoogleEmbedSettings } from './google-embeddings.js';
export { PartialArgsBuilder, parseJsonPath } from './google-partial-args.js';
export { buildGoogleRequest, type GoogleRequestDefaults, type GoogleRequestPlan } from './google-request.js';
export { GoogleStreamTransform, googleStreamSource, transformGoogleStream, type GoogleStreamContext } from './google-stream.js';
export { googleThinkingConfig, googleThinkingStyle, type GoogleThinkingStyle } from './google-thinking.js';
export { MADE_UP_ID_PREFIX, googleToolCallId, wireToolCallId } from './google-tool-call-id.js';
export { convertGoogleResponse } from './convert-google-response.js';
export { convertGoogleUsage, hasGoogleTokenCounts } from './convert-google-usage.js';
export { convertToGoogleMessages, convertToGoogleToolConfig, convertToGoogleTools, type GooglePrompt } from './convert-to-google-messages.js';
export { mapGoogleFinishReason, mapGooglePromptBlock } from './map-google-finish-reason.js';
