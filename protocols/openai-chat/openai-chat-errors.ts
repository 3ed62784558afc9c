import type { HyperAgentError } from '../../core/errors.js';
import { mapErrorResponse, type ProviderErrorMapper } from '../../core/http-errors.js';
import type { HeaderMap, RateLimitHeaderReader } from '../../core/rate-limit-headers.js';
import { readOpenAIChatRateLimitHeaders } from './openai-chat-rate-limits.js';
import type { OpenAIChatErrorObject } from './openai-chat-api.js';

// String codes seen in error objects that arrive without an HTTP error status (Responses API stream
// `error` events, OpenAI-compatible servers), mapped to the status they would have had.
const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  insufficient_quota: 429,
  rate_limit_exceeded: 429,
  rate_limit_error: 429,
  context_length_exceeded: 400,
  invalid_request_error: 400,
  invalid_prompt: 400,
  invalid_api_key: 401,
  authentication_error: 401,
  permission_error: 403,
  model_not_found: 404,
  not_found_error: 404,
  overloaded_error: 529,
  server_error: 500,
  api_error: 500,
};

/** The HTTP status an in-body error object means: OpenRouter's numeric `code`, else a known string code, else 500. */
export function statusOfErrorObject(error: OpenAIChatErrorObject): number {
  const code = error.code;
  if (typeof code === 'number' && code >= 400 && code < 600) return code;
  if (typeof code === 'string' && /^[45]\d\d$/.test(code)) return Number(code);
  for (const key of [code, error.type]) if (typeof key === 'string' && STATUS_BY_CODE[key] !== undefined) return STATUS_BY_CODE[key];
  return 500;
}

export interface ErrorObjectContext {
  readonly provider: string;
  /** Headers of the (2xx) response that carried the error: request id and rate-limit state. */
  readonly headers?: HeaderMap;
  /** How it arrived, e.g. `sent an error mid-stream on HTTP 200`. */
  readonly received: string;
  readonly apiKeyEnv?: string;
  /** The provider's rate-limit headers. @default OpenAI's, then the single-budget form */
  readonly readRateLimit?: RateLimitHeaderReader;
  /** The provider's own error mapping, tried first. */
  readonly mapError?: ProviderErrorMapper;
}

/**
 * An error object found inside a successful response or a stream, typed through the same status
 * mapping as HTTP errors, so retryability is decided in one place.
 */
export function errorFromErrorObject(error: OpenAIChatErrorObject, context: ErrorObjectContext): HyperAgentError {
  return mapErrorResponse(
    {
      provider: context.provider,
      status: statusOfErrorObject(error),
      headers: context.headers ?? {},
      body: JSON.stringify({ error }),
      apiKeyEnv: context.apiKeyEnv,
      received: context.received,
      readRateLimit: context.readRateLimit ?? readOpenAIChatRateLimitHeaders,
    },
    context.mapError,
  );
}
