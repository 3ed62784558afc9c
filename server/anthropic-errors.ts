import { ErrorCode, isHyperAgentError } from '../core/errors.js';
import { toErrorResponse } from './errors.js';

/** Anthropic's error envelope: `{"type":"error","error":{"type":...,"message":...}}`. */
export interface AnthropicErrorBody {
  readonly type: 'error';
  readonly error: { readonly type: string; readonly message: string };
  readonly request_id?: string;
}

export interface AnthropicErrorResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: AnthropicErrorBody;
}

/** Anthropic's error type for each status the gateway answers with. */
const TYPE_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

/**
 * Anything thrown while answering a Messages request → Anthropic's status and error shape. The
 * status and message are the gateway's usual ones (see `toErrorResponse`: upstream key problems are
 * 502, a spent budget 402), with one change: an overloaded upstream is 529 `overloaded_error`, as
 * Anthropic sends it, with its `retry-after`. Anthropic's SDKs retry 408/409/429/5xx and honour
 * `x-should-retry`, as OpenAI's do.
 */
export function toAnthropicErrorResponse(error: unknown, requestId?: string): AnthropicErrorResponse {
  const mapped = toErrorResponse(error);
  const overloaded = isHyperAgentError(error) && error.code === ErrorCode.OVERLOADED;
  const status = overloaded ? 529 : mapped.status;
  const type = TYPE_BY_STATUS[status] ?? (status === 503 ? 'overloaded_error' : 'api_error');
  return {
    status,
    headers: mapped.headers,
    body: { type: 'error', error: { type, message: mapped.body.error.message }, ...(requestId === undefined ? {} : { request_id: requestId }) },
  };
}
