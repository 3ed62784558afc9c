import {
  AuthenticationError,
  ContextLengthError,
  HyperAgentError,
  InvalidRequestError,
  ModelNotFoundError,
  OverloadedError,
  PermissionError,
  RateLimitError,
  ServerError,
  TimeoutError,
  type HyperAgentErrorOptions,
} from './errors.js';
import { redactSecrets } from './redact.js';
import { parseRequestId, parseRetryAfter, parseShouldRetry, type HeaderMap, type RateLimitHeaderReader } from './rate-limit-headers.js';

export interface ErrorResponse {
  readonly provider: string;
  readonly status: number;
  readonly headers: HeaderMap;
  /** The raw body text. */
  readonly body: string;
  /** Where to point the user for keys, e.g. `OPENAI_API_KEY`. */
  readonly apiKeyEnv?: string;
  /** What arrived when it was not an HTTP error status, e.g. `sent an error event mid-stream`. @default `returned HTTP <status>` */
  readonly received?: string;
  /** The provider's rate-limit headers, read into the error's `rateLimit`. @default none read */
  readonly readRateLimit?: RateLimitHeaderReader;
}

/**
 * A provider's own reading of an error response (its error body, its codes), tried before the
 * generic mapping; `undefined` leaves the response to `errorFromResponse`.
 */
export type ProviderErrorMapper = (response: ErrorResponse) => HyperAgentError | undefined;

/** The provider's mapping if it has one for this response, else the generic one. */
export function mapErrorResponse(response: ErrorResponse, mapError?: ProviderErrorMapper): HyperAgentError {
  return mapError?.(response) ?? errorFromResponse(response);
}

interface ProviderErrorBody {
  readonly message: string | undefined;
  readonly code: string | undefined;
  readonly type: string | undefined;
  readonly requestId: string | undefined;
  readonly parsed: unknown;
}

const CONTEXT_LENGTH = /context[_ ]length|context window|maximum context|prompt is too long|too many tokens|reduce the length|input is too long|token limit/i;

/** Reads OpenAI (`{error:{message,type,code}}`), Anthropic (`{type:'error',error:{type,message},request_id}`) and OpenRouter (numeric `error.code`) error bodies. */
export function readErrorBody(text: string): ProviderErrorBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    const trimmed = text.trim();
    const isHtml = /^<(!doctype|html)/i.test(trimmed);
    const title = isHtml ? /<title>([^<]*)<\/title>/i.exec(trimmed)?.[1]?.trim() : undefined;
    return {
      // Redacted before it is cut: a key across the cut would otherwise leave its first half.
      message: isHtml ? `an HTML page${title ? ` ("${title}")` : ''} instead of JSON` : redactSecrets(trimmed.slice(0, 4096)).slice(0, 300) || undefined,
      code: undefined,
      type: undefined,
      requestId: undefined,
      parsed: undefined,
    };
  }
  const root = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  const inner = (typeof root.error === 'object' && root.error !== null ? root.error : root) as Record<string, unknown>;
  const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined);
  return {
    message: str(inner.message) ?? (typeof root.error === 'string' ? root.error : undefined) ?? str(root.message),
    code: str(inner.code),
    type: str(inner.type),
    requestId: str(root.request_id),
    parsed,
  };
}

/** Map an upstream HTTP error response to the typed error it means. Retryability is decided here. */
export function errorFromResponse(response: ErrorResponse): HyperAgentError {
  const { provider, status, headers } = response;
  const body = readErrorBody(response.body);
  const shouldRetry = parseShouldRetry(headers);
  const options: HyperAgentErrorOptions = {
    provider,
    status,
    requestId: parseRequestId(headers) ?? body.requestId,
    retryAfterMs: parseRetryAfter(headers),
    providerCode: body.code ?? body.type,
    body: body.parsed,
    rateLimit: response.readRateLimit?.(headers),
    ...(shouldRetry === undefined ? {} : { retryable: shouldRetry }),
  };
  // Our advice follows after a full stop, so the provider's own closing one goes.
  const detail = (body.message ?? '(no error message)').replace(/[.\s]+$/, '');
  const what = `${provider} ${response.received ?? `returned HTTP ${status}`}${options.providerCode ? ` (${options.providerCode})` : ''}: ${detail}`;
  const codeOrType = `${body.code ?? ''} ${body.type ?? ''}`;

  if (/context_length_exceeded|request_too_large/.test(codeOrType) || ((status === 400 || status === 413) && CONTEXT_LENGTH.test(detail))) {
    return new ContextLengthError(`${what}. Shorten the conversation or use a model with a larger context window.`, { ...options, retryable: false });
  }
  if (status === 401) {
    const where = response.apiKeyEnv ? ` (set ${response.apiKeyEnv} or "apiKey" on the backend)` : '';
    return new AuthenticationError(`${what}. Check the API key${where}.`, options);
  }
  if (status === 403) return new PermissionError(`${what}. The key is valid but lacks access to this model or feature.`, options);
  if (status === 404) {
    if (/model/i.test(detail) || /model_not_found|not_found_error/.test(codeOrType)) {
      return new ModelNotFoundError(`${what}. Check the model id in the backend's "model".`, options);
    }
    return new InvalidRequestError(`${what}. Check the backend's "baseURL".`, options);
  }
  if (status === 408) return new TimeoutError(`${what}. The provider timed out; retrying may help.`, { retryable: true, ...options });
  if (status === 409) return new ServerError(`${what}. A conflict on the provider's side; retrying may help.`, { retryable: true, ...options });
  if (status === 429) {
    const quota = /insufficient_quota|billing|credits/i.test(`${codeOrType} ${detail}`);
    const tooLarge = /request too large/i.test(detail);
    const retryable = shouldRetry ?? !(quota || tooLarge);
    const advice = quota
      ? 'The account is out of quota or credits: add credits; retrying will not help.'
      : tooLarge
        ? 'This one request is larger than the rate limit allows: send fewer tokens; retrying will not help.'
        : 'Slow down or wait for the rate limit to reset.';
    return new RateLimitError(`${what}. ${advice}`, { ...options, retryable });
  }
  if (status === 529 || /overloaded/i.test(codeOrType)) {
    return new OverloadedError(`${what}. The provider is overloaded; retry later.`, { retryable: true, ...options });
  }
  if (status >= 500) return new ServerError(`${what}. A server error on the provider's side; retrying may help.`, { retryable: true, ...options });
  if (status >= 400) return new InvalidRequestError(`${what}. Fix the request; retrying will not help.`, { retryable: false, ...options });
  return new ServerError(`${what}. Unexpected status.`, { retryable: false, ...options });
}
