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
} from '../../core/errors.js';
import type { ErrorResponse } from '../../core/http-errors.js';
import { header, parseRetryAfter, type HeaderMap } from '../../core/rate-limit-headers.js';
import { redactSecrets } from '../../core/redact.js';

/** What a Bedrock error mapping needs to name: the provider, and where its credentials come from. */
export interface BedrockErrorContext {
  readonly provider: string;
  /** Named in the advice of an authentication error. @default 'the AWS credentials' */
  readonly credentialsHint?: string;
}

type Make = (what: string, options: HyperAgentErrorOptions, context: BedrockErrorContext) => HyperAgentError;

const CONTEXT_LENGTH = /too long|tokens exceeded|too many (input )?tokens|context (length|window)|maximum (context|input)/i;

const authentication: Make = (what, options, context) =>
  new AuthenticationError(`${what}. Check ${context.credentialsHint ?? 'the AWS credentials'} and the backend's "options.region".`, options);

// Error types as AWS names them, in the `x-amzn-errortype` header (HTTP) or `:exception-type` (stream).
// docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html#API_runtime_Converse_Errors
const BY_TYPE: Readonly<Record<string, Make>> = {
  throttlingexception: (what, options) => new RateLimitError(`${what}. Bedrock throttled the request; it is retried after a pause, or lower the request rate.`, options),
  servicequotaexceededexception: (what, options) =>
    new RateLimitError(`${what}. The account's Bedrock quota for this model is used up; wait, or ask AWS for a higher quota.`, options),
  validationexception: (what, options) =>
    CONTEXT_LENGTH.test(what)
      ? new ContextLengthError(`${what}. Shorten the conversation or use a model with a larger context window.`, options)
      : new InvalidRequestError(`${what}. Fix the request named above.`, options),
  accessdeniedexception: (what, options) =>
    new PermissionError(`${what}. The credentials are valid but may not invoke this model: grant bedrock:InvokeModel and enable model access in the Bedrock console.`, options),
  unrecognizedclientexception: authentication,
  invalidsignatureexception: authentication,
  incompletesignatureexception: authentication,
  missingauthenticationtokenexception: authentication,
  expiredtokenexception: (what, options) => new AuthenticationError(`${what}. The session token has expired: refresh the AWS credentials.`, options),
  resourcenotfoundexception: (what, options) => new ModelNotFoundError(`${what}. Check the model id (or inference profile) in the backend's "model" and its region.`, options),
  modelnotreadyexception: (what, options) => new OverloadedError(`${what}. The model is not ready yet; retrying after a pause may help.`, { retryable: true, ...options }),
  modeltimeoutexception: (what, options) => new TimeoutError(`${what}. The model took too long; retrying may help.`, { retryable: true, ...options }),
  modelerrorexception: (what, options) => new ServerError(`${what}. The model failed; retrying may help.`, { retryable: true, ...options }),
  modelstreamerrorexception: (what, options) => new ServerError(`${what}. The model failed mid-stream; retrying may help.`, { retryable: true, ...options }),
  internalserverexception: (what, options) => new ServerError(`${what}. A Bedrock server error; retrying may help.`, { retryable: true, ...options }),
  serviceunavailableexception: (what, options) => new OverloadedError(`${what}. Bedrock is unavailable for now; retrying after a pause may help.`, { retryable: true, ...options }),
};

/** `UnrecognizedClientException:http://internal.amazon.com/coral/...` → `UnrecognizedClientException`. */
export function bedrockErrorType(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const type = value.split(':')[0].trim();
  return type === '' ? undefined : type;
}

/** The request id of a Bedrock response (`x-amzn-requestid`). */
export function bedrockRequestId(headers: HeaderMap): string | undefined {
  return header(headers, 'x-amzn-requestid') ?? header(headers, 'x-amz-request-id');
}

function messageOf(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { message?: unknown; Message?: unknown };
    const message = parsed.message ?? parsed.Message;
    if (typeof message === 'string') return message;
  } catch {
    // Not JSON: the text itself, cut short below.
  }
  const trimmed = body.trim();
  return trimmed === '' ? undefined : redactSecrets(trimmed.slice(0, 4096)).slice(0, 300);
}

/**
 * A Bedrock error (`{"message": …}` body, type in `x-amzn-errortype`) → the typed error it means;
 * `undefined` when the response carries no AWS error type, for the generic mapping by status.
 */
export function bedrockErrorFromResponse(response: ErrorResponse, context: BedrockErrorContext): HyperAgentError | undefined {
  const type = bedrockErrorType(header(response.headers, 'x-amzn-errortype'));
  if (type === undefined) return undefined;
  const retryAfterMs = parseRetryAfter(response.headers);
  return bedrockError(type, messageOf(response.body), {
    provider: context.provider,
    status: response.status,
    requestId: bedrockRequestId(response.headers),
    providerCode: type,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  }, context, response.received ?? `returned HTTP ${response.status}`);
}

/** An error of AWS type `type` (any case: `throttlingException` in a stream, `ThrottlingException` over HTTP). */
export function bedrockError(type: string, message: string | undefined, options: HyperAgentErrorOptions, context: BedrockErrorContext, received: string): HyperAgentError {
  const detail = (message ?? '(no error message)').replace(/[.\s]+$/, '');
  const what = `${context.provider} ${received} (${type}): ${detail}`;
  const make = BY_TYPE[type.toLowerCase()];
  if (make) return make(what, options, context);
  const status = options.status ?? 0;
  if (status === 429) return new RateLimitError(`${what}. Lower the request rate.`, options);
  if (status >= 500) return new ServerError(`${what}. Retrying may help.`, options);
  return new InvalidRequestError(`${what}. Check the request and the backend's configuration.`, options);
}
