import { errorFromResponse } from '../../core/http-errors.js';
import type { HyperAgentError } from '../../core/errors.js';
import type { HeaderMap } from '../../core/rate-limit-headers.js';
import { readAnthropicRateLimitHeaders } from './anthropic-rate-limits.js';

export const ANTHROPIC_PROVIDER = 'anthropic';
export const ANTHROPIC_API_KEY_ENV = 'ANTHROPIC_API_KEY';

/**
 * The HTTP status Anthropic documents for each error type. A stream's `event: error` carries only
 * the type, so we map it to the status the same error would have had before the stream began.
 */
const STATUS_BY_ERROR_TYPE: Readonly<Record<string, number>> = Object.freeze({
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
});

/** Status for an Anthropic error type; unknown types count as a server error. */
export function statusForAnthropicErrorType(type: string | undefined): number {
  return (type !== undefined ? STATUS_BY_ERROR_TYPE[type] : undefined) ?? 500;
}

/**
 * A mid-stream `event: error` (e.g. `overloaded_error`, see fixture
 * `anthropic/error-event-overloaded.observed.txt`) → the typed error the same failure raises over
 * HTTP, so retryability is decided in one place (core/http-errors.ts).
 */
export function anthropicStreamError(payload: unknown, rawData: string, headers: HeaderMap = {}): HyperAgentError {
  const error = (payload as { error?: { type?: unknown } } | null)?.error;
  const type = typeof error?.type === 'string' ? error.type : undefined;
  return errorFromResponse({
    provider: ANTHROPIC_PROVIDER,
    status: statusForAnthropicErrorType(type),
    headers,
    body: rawData,
    apiKeyEnv: ANTHROPIC_API_KEY_ENV,
    received: 'sent an error event in the middle of the stream',
    readRateLimit: readAnthropicRateLimitHeaders,
  });
}
