import { ErrorCode, HyperAgentError, type ErrorCodeValue } from '../core/errors.js';
import { redactSecrets } from '../core/redact.js';
import type { OpenAIErrorBody } from './openai-wire.js';
import { problemParam } from './problem-param.js';

/** nginx's "client closed request": the call was aborted before it could answer. */
export const STATUS_CLIENT_CLOSED_REQUEST = 499;

export interface GatewayErrorOptions {
  /** OpenAI's `error.code`. @default null */
  readonly code?: string | null;
  /** The request field at fault, e.g. `messages[2].content`. @default null */
  readonly param?: string | null;
  readonly headers?: Readonly<Record<string, string>>;
}

/** An error the gateway answers with itself, already in OpenAI's vocabulary. */
export class GatewayError extends Error {
  readonly status: number;
  readonly type: string;
  readonly code: string | null;
  readonly param: string | null;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, type: string, message: string, options: GatewayErrorOptions = {}) {
    super(message);
    this.name = 'GatewayError';
    this.status = status;
    this.type = type;
    this.code = options.code ?? null;
    this.param = options.param ?? null;
    this.headers = options.headers ?? {};
  }
}

/** A 400 `invalid_request_error` naming the request field at fault. */
export function invalidRequest(message: string, param: string | null = null, code: string | null = null): GatewayError {
  return new GatewayError(400, 'invalid_request_error', message, { param, code });
}

export interface ErrorResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: OpenAIErrorBody;
}

interface Mapping {
  readonly status: number;
  readonly type: string;
  readonly code: string | null;
  /** A fixed message replacing the upstream one, for errors whose text may quote a credential or config. */
  readonly message?: string;
  readonly param?: string;
}

const UPSTREAM_AUTH_MESSAGE =
  'The gateway could not authenticate with its upstream provider. This is a problem with the gateway\'s provider credentials, not with your request or your API key: tell the gateway operator.';
const MISCONFIGURED_MESSAGE = 'The gateway is misconfigured for this model. Tell the gateway operator to check its hyperagent config.';
const STORE_MESSAGE = 'The gateway cannot reach its state store (limits, budgets, cache) just now. Retry shortly; if it keeps failing, tell the gateway operator.';
const INTERNAL_MESSAGE = 'The gateway hit an internal error. Retry the request; if it keeps failing, tell the gateway operator.';

/**
 * Our typed errors in OpenAI's vocabulary. Upstream authentication failures are 502, not 401: a
 * 401 would tell the client its own key is wrong, when it is the gateway's provider key that is.
 * A spent budget is 402, not 429: it does not clear by waiting, and 429 makes OpenAI's SDKs retry.
 */
const MAPPINGS: Readonly<Partial<Record<ErrorCodeValue, Mapping>>> = {
  [ErrorCode.INVALID_REQUEST]: { status: 400, type: 'invalid_request_error', code: null },
  [ErrorCode.CONTEXT_LENGTH_EXCEEDED]: { status: 400, type: 'invalid_request_error', code: 'context_length_exceeded', param: 'messages' },
  [ErrorCode.UNSUPPORTED]: { status: 400, type: 'invalid_request_error', code: 'unsupported_operation' },
  [ErrorCode.AUTHENTICATION]: { status: 502, type: 'upstream_authentication_error', code: 'upstream_authentication_failed', message: UPSTREAM_AUTH_MESSAGE },
  [ErrorCode.MISSING_API_KEY]: { status: 502, type: 'upstream_authentication_error', code: 'upstream_api_key_missing', message: UPSTREAM_AUTH_MESSAGE },
  [ErrorCode.BUDGET_EXCEEDED]: { status: 402, type: 'insufficient_quota', code: 'budget_exceeded' },
  [ErrorCode.PERMISSION]: { status: 403, type: 'permission_error', code: 'upstream_permission_denied' },
  [ErrorCode.APPROVAL_DENIED]: { status: 403, type: 'permission_error', code: 'approval_denied' },
  [ErrorCode.MODEL_NOT_FOUND]: { status: 404, type: 'invalid_request_error', code: 'model_not_found', param: 'model' },
  [ErrorCode.RATE_LIMITED]: { status: 429, type: 'rate_limit_error', code: 'rate_limit_exceeded' },
  [ErrorCode.ABORTED]: { status: STATUS_CLIENT_CLOSED_REQUEST, type: 'request_aborted', code: 'request_aborted' },
  [ErrorCode.SERVER]: { status: 502, type: 'upstream_error', code: 'upstream_server_error' },
  [ErrorCode.NETWORK]: { status: 502, type: 'upstream_error', code: 'upstream_unreachable' },
  [ErrorCode.INVALID_RESPONSE]: { status: 502, type: 'upstream_error', code: 'upstream_invalid_response' },
  [ErrorCode.TOOL_ARGUMENTS]: { status: 502, type: 'upstream_error', code: 'invalid_tool_arguments' },
  [ErrorCode.OVERLOADED]: { status: 503, type: 'upstream_overloaded', code: 'upstream_overloaded' },
  [ErrorCode.TIMEOUT]: { status: 504, type: 'timeout_error', code: 'upstream_timeout' },
  [ErrorCode.CONFIG]: { status: 500, type: 'server_error', code: 'gateway_misconfigured', message: MISCONFIGURED_MESSAGE },
  [ErrorCode.PLUGIN_LOAD]: { status: 500, type: 'server_error', code: 'gateway_misconfigured', message: MISCONFIGURED_MESSAGE },
  [ErrorCode.MAX_ITERATIONS]: { status: 500, type: 'server_error', code: 'max_iterations' },
  [ErrorCode.STORE_UNAVAILABLE]: { status: 503, type: 'server_error', code: 'store_unavailable', message: STORE_MESSAGE },
  [ErrorCode.INTERNAL]: { status: 500, type: 'server_error', code: 'internal_error', message: INTERNAL_MESSAGE },
};

/** A code added to core after this table: a 500 that still says what happened. */
const UNMAPPED: Mapping = { status: 500, type: 'server_error', code: null };

/**
 * Anything thrown while answering → status, headers and OpenAI's `{error:{message,type,code,param}}`.
 * Messages are redacted; stack traces and causes never leave the process.
 */
export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof GatewayError) {
    return {
      status: error.status,
      headers: error.headers,
      body: { error: { message: redactSecrets(error.message), type: error.type, code: error.code, param: error.param } },
    };
  }
  if (!(error instanceof HyperAgentError)) {
    return { status: 500, headers: {}, body: { error: { message: INTERNAL_MESSAGE, type: 'server_error', code: 'internal_error', param: null } } };
  }
  const mapping = MAPPINGS[error.code] ?? UNMAPPED;
  const headers: Record<string, string> = {};
  if ((mapping.status === 429 || mapping.status === 503) && error.retryAfterMs !== undefined && error.retryAfterMs >= 0) {
    headers['retry-after'] = String(Math.ceil(error.retryAfterMs / 1000));
    headers['retry-after-ms'] = String(Math.ceil(error.retryAfterMs));
  }
  return {
    status: mapping.status,
    headers,
    body: {
      error: {
        message: mapping.message ?? redactSecrets(error.message),
        type: mapping.type,
        code: mapping.code,
        param: mapping.param ?? (error.code === ErrorCode.INVALID_REQUEST ? problemParam(error) : null),
      },
    },
  };
}
