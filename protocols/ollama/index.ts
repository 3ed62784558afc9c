// Ollama's native API (/api/chat NDJSON, /api/embed, /api/tags): a protocol, used by the ollama provider.
export type * from './ollama-api.js';
export { convertOllamaResponse, type OllamaResponseContext } from './convert-ollama-response.js';
export { convertOllamaUsage, ollamaTimings } from './convert-ollama-usage.js';
export { convertToOllamaMessages, convertToOllamaTools } from './convert-to-ollama-messages.js';
export { mapOllamaDoneReason } from './map-ollama-done-reason.js';
export { NdjsonLineSource } from './ndjson-line-source.js';
export { OllamaClient, type OllamaClientConfig } from './ollama-client.js';
export { ollamaErrorLine } from './ollama-errors.js';
export { buildOllamaRequest, type OllamaRequest, type OllamaRequestSettings } from './ollama-request.js';
export { OllamaStreamTransform, ollamaStreamSource, transformOllamaStream, type OllamaStreamContext } from './ollama-stream.js';
export { convertOllamaToolCall } from './ollama-tool-calls.js';
