import {
  AuthenticationError,
  ContextLengthError,
  HyperAgentError,
  RateLimitError,
  type HyperAgentErrorOptions,
} from '../../core/errors.js';
import { errorFromResponse } from '../../core/http-errors.js';
import type { HeaderMap } from '../../core/rate-limit-headers.js';
import type { GoogleErrorObject } from './google-api.js';

/** Who was called, for the messages of the errors made here. */
export interface GoogleErrorContext {
  /** e.g. `google`, `vertex`. */
  readonly provider: string;
  /** What to tell a user whose credential was refused, e.g. `set GEMINI_API_KEY or "apiKey" on the backend`. */
  readonly credentialAdvice: string;
  /** Named in the generic authentication advice of core/http-errors.ts. */
  readonly apiKeyEnv?: string;
}

const RETRY_INFO = 'type.googleapis.com/google.rpc.RetryInfo';
const ERROR_INFO = 'type.googleapis.com/google.rpc.ErrorInfo';
// Vertex: "The input token count (1250074) exceeds the maximum number of tokens allowed (1048576)." (google-vertex/error-400-input-token-limit.json)
const TOKEN_LIMIT = /input token count|exceeds the maximum number of tokens|token count .* exceeds|too many tokens|context window/i;
const KEY_REASONS = new Set(['API_KEY_INVALID', 'API_KEY_EXPIRED', 'API_KEY_SERVICE_BLOCKED', 'ACCESS_TOKEN_EXPIRED', 'ACCESS_TOKEN_TYPE_UNSUPPORTED']);

/** The `error` object of a Google RPC envelope `{"error": {code, message, status, details}}`, if `body` is one. */
export function googleErrorObject(body: unknown): GoogleErrorObject | undefined {
  const root = Array.isArray(body) ? body[0] : body;
  const error = (root as { error?: unknown } | null | undefined)?.error;
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = error as GoogleErrorObject;
  return typeof candidate.status === 'string' || typeof candidate.code === 'number' ? candidate : undefined;
}

/** A protobuf `Duration` as JSON (`"48s"`, `"0.5s"`) → milliseconds. */
export function parseGoogleDuration(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d+(?:\.\d+)?)s$/.exec(value.trim());
  if (!match) return undefined;
  const ms = Math.ceil(Number(match[1]) * 1000);
  return Number.isFinite(ms) ? ms : undefined;
}

function retryDelayMs(error: GoogleErrorObject): number | undefined {
  for (const detail of error.details ?? []) if (detail['@type'] === RETRY_INFO) return parseGoogleDuration(detail.retryDelay);
  return undefined;
}

function errorInfoReason(error: GoogleErrorObject): string | undefined {
  for (const detail of error.details ?? []) if (detail['@type'] === ERROR_INFO && typeof detail.reason === 'string') return detail.reason;
  return undefined;
}

/**
 * Refines the typed error core/http.ts made from a Google error body, where the status alone says
 * too little: the Gemini API refuses a bad key with 400 INVALID_ARGUMENT (`ErrorInfo.reason`
 * `API_KEY_INVALID`, google/error-400-api-key-invalid.json), a context overflow is a plain 400
 * INVALID_ARGUMENT, and a 429 RESOURCE_EXHAUSTED says when to retry in `RetryInfo.retryDelay`, not
 * in a header. Anything else is returned unchanged, with the RPC status as its provider code.
 */
export function refineGoogleError(error: unknown, context: GoogleErrorContext): unknown {
  if (!(error instanceof HyperAgentError)) return error;
  const google = googleErrorObject(error.body);
  if (!google) return error;
  const rpcStatus = typeof google.status === 'string' ? google.status : undefined;
  const options: HyperAgentErrorOptions = {
    provider: error.provider ?? context.provider,
    status: error.status,
    requestId: error.requestId,
    retryAfterMs: error.retryAfterMs,
    providerCode: rpcStatus ?? error.providerCode,
    body: error.body,
    rateLimit: error.rateLimit,
  };
  const detail = (google.message ?? '(no error message)').replace(/[.\s]+$/, '');
  const what = `${options.provider} returned HTTP ${error.status ?? google.code ?? '?'}${rpcStatus ? ` (${rpcStatus})` : ''}: ${detail}`;
  const reason = errorInfoReason(google);
  if ((reason !== undefined && KEY_REASONS.has(reason)) || rpcStatus === 'UNAUTHENTICATED') {
    return new AuthenticationError(`${what}. Check the credential (${context.credentialAdvice}).`, { ...options, providerCode: reason ?? rpcStatus });
  }
  if (rpcStatus === 'RESOURCE_EXHAUSTED' || error.status === 429) {
    const retryAfterMs = retryDelayMs(google) ?? error.retryAfterMs;
    const advice = retryAfterMs !== undefined ? `Retry after ${Math.ceil(retryAfterMs / 1000)} s, as Google asks` : 'Slow down or wait for the quota to reset';
    return new RateLimitError(`${what}. ${advice}.`, { ...options, retryAfterMs, retryable: true });
  }
  if (rpcStatus === 'INVALID_ARGUMENT' && TOKEN_LIMIT.test(detail)) {
    return new ContextLengthError(`${what}. Shorten the conversation or use a model with a larger context window.`, { ...options, retryable: false });
  }
  if (error.providerCode === rpcStatus) return error;
  // Same class and message, with the RPC status in place of the numeric code.
  const Same = error.constructor as new (message: string, options: HyperAgentErrorOptions) => HyperAgentError;
  try {
    return new Same(error.message.replace(/\(\d{3}\)/, rpcStatus ? `(${rpcStatus})` : ''), { ...options, retryable: error.retryable });
  } catch {
    return error;
  }
}

/** A `{"error": …}` object sent inside a stream → the typed error the same failure raises over HTTP. */
export function googleStreamError(error: GoogleErrorObject, rawData: string, headers: HeaderMap, context: GoogleErrorContext): HyperAgentError {
  const status = typeof error.code === 'number' && error.code >= 400 && error.code < 600 ? error.code : 500;
  const typed = errorFromResponse({
    provider: context.provider,
    status,
    headers,
    body: rawData,
    apiKeyEnv: context.apiKeyEnv,
    received: 'sent an error in the middle of the stream',
  });
  return refineGoogleError(typed, context) as HyperAgentError;
}
