// What every recorded OpenAI-style body must turn into: the expectations of openai-style.conformance.test.ts.
import {
  AuthenticationError,
  ContextLengthError,
  ErrorCode,
  InvalidRequestError,
  ModelNotFoundError,
  RateLimitError,
  type HyperAgentError,
  type RateLimitInfo,
} from '../../core/errors.js';
import type { FinishReason, TokenUsage, ToolCall } from '../../core/types.js';
import { fixtureJson, naiveChatStream } from './openai-style-helpers.js';

export type Dir = 'openai' | 'openrouter' | 'local';

export interface SuccessCase {
  readonly kind: 'chat' | 'stream';
  readonly content: string;
  readonly reasoning?: string;
  readonly toolCalls?: readonly ToolCall[];
  readonly usage: TokenUsage;
  readonly finishReason: FinishReason;
  /** USD: from the catalog via calculateCost, or the provider's reported cost; undefined when the price is unknown. */
  readonly costUsd: number | undefined;
  readonly metadata?: Record<string, unknown>;
}

export interface ErrorCase {
  readonly kind: 'error';
  /** For bodies recorded without headers. */
  readonly status?: number;
  readonly errorClass: new (...args: any[]) => HyperAgentError;
  readonly code: string;
  readonly httpStatus: number;
  readonly retryable: boolean;
  readonly providerCode?: string;
  readonly retryAfterMs?: number;
  readonly requestId?: string;
  readonly rateLimit?: RateLimitInfo;
  readonly message: RegExp;
}

interface EmbeddingCase {
  readonly kind: 'embedding';
}

interface ResponsesCase {
  /** OpenAI Responses API recordings: covered by openai-responses.test.ts, and below through the chat transform. */
  readonly kind: 'responses';
}

export type Case = SuccessCase | ErrorCase | EmbeddingCase | ResponsesCase;

const OLLAMA_STREAM = naiveChatStream('local/ollama-openai-compat-stream-reasoning-tool-call.sse');
const OLLAMA_JSON = fixtureJson('local/ollama-openai-compat-parallel-tool-calls.json');

export const CASES: Readonly<Record<string, Case>> = {
  'openai/chat-completion-text.json': {
    kind: 'chat',
    content: "Hello! I'm just a computer program, so I don't have feelings, but I'm here to help you. How can I assist you today?",
    usage: { promptTokens: 13, completionTokens: 31, totalTokens: 44, cachedTokens: 0, reasoningTokens: 0 },
    finishReason: 'stop',
    // gpt-3.5-turbo-0125 → gpt-3.5-turbo: 13 × $0.50/M + 31 × $1.50/M
    costUsd: (13 * 0.5 + 31 * 1.5) / 1e6,
    metadata: {
      model: 'gpt-3.5-turbo-0125',
      responseId: 'chatcmpl-C6bhxDl79vlojU2DYKbzyDh0FmLZY',
      requestId: 'req_7997c69c86b744538a2884c8d777754b',
      rawFinishReason: 'stop',
      rateLimit: { limitRequests: 10000, remainingRequests: 9999, resetRequestsMs: 6, limitTokens: 50000000, remainingTokens: 49999992, resetTokensMs: 0 },
    },
  },
  'openai/chat-completion-tool-calls.json': {
    kind: 'chat',
    content: '',
    toolCalls: [{ id: 'call_olc8qHf1RDItRqwuEBNjsu3B', name: 'getCurrentWeather', arguments: { location: 'Boston' }, rawArguments: '{"location":"Boston"}' }],
    usage: { promptTokens: 81, completionTokens: 14, totalTokens: 95, cachedTokens: 0, reasoningTokens: 0 },
    finishReason: 'tool-calls',
    costUsd: (81 * 0.5 + 14 * 1.5) / 1e6,
    metadata: { model: 'gpt-3.5-turbo-0125', requestId: 'req_b0e29abccfdc4d798f989feba1d6262b', rawFinishReason: 'tool_calls' },
  },
  'openai/chat-stream-text-include-usage.sse': {
    kind: 'stream',
    content: '1, 2, 3, 4, 5',
    // The usage chunk has `choices: []`; every chunk carries OpenAI's `obfuscation` field.
    usage: { promptTokens: 14, completionTokens: 13, totalTokens: 27, cachedTokens: 0, reasoningTokens: 0 },
    finishReason: 'stop',
    costUsd: (14 * 0.5 + 13 * 1.5) / 1e6,
    metadata: { model: 'gpt-3.5-turbo-0125', responseId: 'chatcmpl-C6bjxzOr3Oz1rTiafksd6himIit3q', requestId: 'req_87b8e5a94cce414688e29d59b127eb67' },
  },
  'openai/chat-stream-tool-call-argument-deltas.sse': {
    kind: 'stream',
    content: '',
    toolCalls: [{ id: 'call_1EYWDzueHEp8OsB8jJSEp7WB', name: 'multiply', arguments: { a: 1231, b: 2331 }, rawArguments: '{"a":1231,"b":2331}' }],
    usage: { promptTokens: 54, completionTokens: 20, totalTokens: 74, cachedTokens: 0, reasoningTokens: 0 },
    finishReason: 'tool-calls',
    // gpt-4o-mini-2024-07-18 → gpt-4o-mini: $0.15/M in, $0.60/M out
    costUsd: (54 * 0.15 + 20 * 0.6) / 1e6,
    metadata: { model: 'gpt-4o-mini-2024-07-18', requestId: 'req_c3e995e7a86953713a6dc1b17e399fd5' },
  },
  'openai/embeddings-dimensions.json': { kind: 'embedding' },
  'openai/error-400-context-length-exceeded.json': {
    kind: 'error',
    errorClass: ContextLengthError,
    code: ErrorCode.CONTEXT_LENGTH_EXCEEDED,
    httpStatus: 400,
    retryable: false,
    providerCode: 'context_length_exceeded',
    requestId: '<X_REQUEST_ID>',
    message: /exceeds the context window.*Shorten the conversation/,
  },
  'openai/error-400-unsupported-parameter.json': {
    kind: 'error',
    status: 400,
    errorClass: InvalidRequestError,
    code: ErrorCode.INVALID_REQUEST,
    httpStatus: 400,
    retryable: false,
    providerCode: 'unsupported_parameter',
    message: /'max_tokens' is not supported with this model/,
  },
  'openai/error-401-invalid-api-key.json': {
    kind: 'error',
    errorClass: AuthenticationError,
    code: ErrorCode.AUTHENTICATION,
    httpStatus: 401,
    retryable: false,
    providerCode: 'invalid_api_key',
    requestId: '<X_REQUEST_ID>',
    message: /Incorrect API key provided.*OPENAI_API_KEY/,
  },
  'openai/error-404-model-not-found.json': {
    kind: 'error',
    errorClass: ModelNotFoundError,
    code: ErrorCode.MODEL_NOT_FOUND,
    httpStatus: 404,
    retryable: false,
    providerCode: 'model_not_found',
    message: /gpt-5\.2-proo.*does not exist/,
  },
  'openai/error-429-rate-limit-exceeded-tokens.json': {
    kind: 'error',
    errorClass: RateLimitError,
    code: ErrorCode.RATE_LIMITED,
    httpStatus: 429,
    // "Request too large": this one request exceeds the TPM limit, so waiting will not help.
    retryable: false,
    providerCode: 'rate_limit_exceeded',
    retryAfterMs: undefined,
    requestId: '<X_REQUEST_ID>',
    rateLimit: { limitRequests: 5000, remainingRequests: 4999, resetRequestsMs: 12, limitTokens: 2000000, remainingTokens: 1999999, resetTokensMs: 0 },
    message: /Request too large.*retrying will not help/,
  },
  'openai/responses-stream-function-call.sse': { kind: 'responses' },
  'openai/responses-stream-error-insufficient-quota.sse': { kind: 'responses' },
  'openrouter/chat-cache-write.json': {
    kind: 'chat',
    content: fixtureJson('openrouter/chat-cache-write.json').choices[0].message.content,
    usage: { promptTokens: 3214, completionTokens: 100, totalTokens: 3314, cachedTokens: 0, cacheWriteTokens: 3211, reasoningTokens: 0, reportedCostUsd: 0.01355025 },
    finishReason: 'length',
    costUsd: 0.01355025,
    metadata: {
      model: 'anthropic/claude-4.6-sonnet-20260217',
      upstreamProvider: 'Anthropic',
      nativeFinishReason: 'length',
      isByok: false,
      costDetails: { upstream_inference_completions_cost: 0.0015, upstream_inference_cost: 0.01355025, upstream_inference_prompt_cost: 0.01205025 },
    },
  },
  'openrouter/chat-parallel-tool-calls-leading-whitespace.json': {
    kind: 'chat',
    content: '',
    toolCalls: [
      {
        id: 'toolu_bdrk_01SSbrrA8SZSt5qSMs9tGqpK',
        name: 'weather',
        arguments: { latitude: '52.5200', longitude: '13.4050' },
        rawArguments: '{"latitude": "52.5200", "longitude": "13.4050"}',
      },
      { id: 'toolu_bdrk_01DqZTNns84ZVMWsYPMYv1TE', name: 'best_language_to_learn', arguments: {}, rawArguments: '{}' },
    ],
    usage: { promptTokens: 701, completionTokens: 98, totalTokens: 799, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, reportedCostUsd: 0.001191 },
    finishReason: 'tool-calls',
    costUsd: 0.001191,
    metadata: { requestId: 'gen-1780944394-YHhWqeeBNGZ5YRw1oKKN', nativeFinishReason: 'tool_use', upstreamProvider: 'Amazon Bedrock', rawFinishReason: 'tool_calls' },
  },
  'openrouter/error-400-context-length.json': {
    kind: 'error',
    errorClass: ContextLengthError,
    code: ErrorCode.CONTEXT_LENGTH_EXCEEDED,
    httpStatus: 400,
    retryable: false,
    providerCode: '400',
    message: /maximum context length is 200000 tokens/,
  },
  'openrouter/error-401-missing-auth.json': {
    kind: 'error',
    errorClass: AuthenticationError,
    code: ErrorCode.AUTHENTICATION,
    httpStatus: 401,
    retryable: false,
    providerCode: '401',
    message: /Missing Authentication header.*OPENROUTER_API_KEY/,
  },
  'openrouter/error-429-rate-limit.json': {
    kind: 'error',
    errorClass: RateLimitError,
    code: ErrorCode.RATE_LIMITED,
    httpStatus: 429,
    retryable: true,
    providerCode: '429',
    retryAfterMs: undefined,
    // X-Ratelimit-Reset is epoch ms (1754667660000); the clock is pinned to the recording's Date header, 26 s earlier.
    rateLimit: { limitRequests: 1, remainingRequests: 0, resetRequestsMs: 26_000 },
    message: /limited to 1 requests per minute/,
  },
  'openrouter/stream-processing-comments-midstream-error.sse': {
    kind: 'error',
    // HTTP 200, 17 `: OPENROUTER PROCESSING` comments, reasoning deltas, then `error` {code: 400} together with usage.
    errorClass: ContextLengthError,
    code: ErrorCode.CONTEXT_LENGTH_EXCEEDED,
    httpStatus: 400,
    retryable: false,
    providerCode: '400',
    message: /mid-stream.*Token limit reached/,
  },
  'openrouter/stream-text-usage-cost.sse': {
    kind: 'stream',
    content: 'test response',
    // Usage arrives in a chunk that still has a dummy choices[0], with cost, is_byok and cost_details.
    usage: { promptTokens: 586, completionTokens: 3, totalTokens: 589, cachedTokens: 0, reasoningTokens: 0, reportedCostUsd: 0 },
    finishReason: 'stop',
    costUsd: 0,
    metadata: { model: 'meta-llama/llama-3.2-3b-instruct:free', upstreamProvider: 'Venice', nativeFinishReason: 'stop', isByok: false, costDetails: { upstream_inference_cost: null } },
  },
  'openrouter/stream-tool-call-argument-deltas.sse': {
    kind: 'stream',
    content: '',
    toolCalls: [
      {
        id: 'toolu_bdrk_01FnJwNhnbF7UbXLQGHJ5dda',
        name: 'weather',
        arguments: { latitude: '52.5200', longitude: '13.4050' },
        rawArguments: '{"latitude": "52.5200", "longitude": "13.4050"}',
      },
    ],
    usage: { promptTokens: 633, completionTokens: 75, totalTokens: 708, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, reportedCostUsd: 0.001008 },
    finishReason: 'tool-calls',
    costUsd: 0.001008,
    metadata: { requestId: 'gen-1780944556-miRHpYrMqwlqZtVoXXKe', nativeFinishReason: 'tool_use', upstreamProvider: 'Amazon Bedrock' },
  },
  'local/ollama-openai-compat-parallel-tool-calls.json': {
    kind: 'chat',
    content: '',
    reasoning: OLLAMA_JSON.choices[0].message.reasoning,
    toolCalls: [
      { id: 'call_blwig54z', name: 'weather', arguments: { latitude: '52.5200', longitude: '13.4050' }, rawArguments: '{"latitude":"52.5200","longitude":"13.4050"}' },
      { id: 'call_k7oscaqs', name: 'best_language_to_learn', arguments: {}, rawArguments: '{}' },
    ],
    // Ollama reports no *_details: the optional counters stay absent.
    usage: { promptTokens: 235, completionTokens: 320, totalTokens: 555 },
    finishReason: 'tool-calls',
    costUsd: undefined,
    metadata: { model: 'qwen3', responseId: 'chatcmpl-613' },
  },
  'local/ollama-openai-compat-stream-reasoning-tool-call.sse': {
    kind: 'stream',
    content: '',
    reasoning: OLLAMA_STREAM.reasoning,
    // The whole call (id, name, full arguments) arrives in one chunk.
    toolCalls: [{ id: 'call_blqyt530', name: 'weather', arguments: { latitude: '52.5200', longitude: '13.4050' }, rawArguments: '{"latitude":"52.5200","longitude":"13.4050"}' }],
    usage: { promptTokens: 195, completionTokens: 140, totalTokens: 335 },
    finishReason: 'tool-calls',
    costUsd: undefined,
    metadata: { model: 'qwen3', responseId: 'chatcmpl-732' },
  },
};

