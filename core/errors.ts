import { redactSecrets } from './redact.js';
import { redactCause } from './secret-cause.js';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** Stable error codes. Never rename one: users match on them. */
export const ErrorCode = {
  RATE_LIMITED: 'HA_RATE_LIMITED',
  AUTHENTICATION: 'HA_AUTHENTICATION',
  MISSING_API_KEY: 'HA_MISSING_API_KEY',
  PERMISSION: 'HA_PERMISSION',
  INVALID_REQUEST: 'HA_INVALID_REQUEST',
  CONTEXT_LENGTH_EXCEEDED: 'HA_CONTEXT_LENGTH_EXCEEDED',
  MODEL_NOT_FOUND: 'HA_MODEL_NOT_FOUND',
  SERVER: 'HA_SERVER',
  OVERLOADED: 'HA_OVERLOADED',
  TIMEOUT: 'HA_TIMEOUT',
  NETWORK: 'HA_NETWORK',
  ABORTED: 'HA_ABORTED',
  INVALID_RESPONSE: 'HA_INVALID_RESPONSE',
  TOOL_ARGUMENTS: 'HA_TOOL_ARGUMENTS',
  UNSUPPORTED: 'HA_UNSUPPORTED',
  CONFIG: 'HA_CONFIG',
  PLUGIN_LOAD: 'HA_PLUGIN_LOAD',
  APPROVAL_DENIED: 'HA_APPROVAL_DENIED',
  BUDGET_EXCEEDED: 'HA_BUDGET_EXCEEDED',
  MAX_ITERATIONS: 'HA_MAX_ITERATIONS',
  STORE_UNAVAILABLE: 'HA_STORE_UNAVAILABLE',
  INTERNAL: 'HA_INTERNAL',
} as const;

export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface HyperAgentErrorOptions {
  readonly provider?: string;
  readonly status?: number;
  readonly requestId?: string;
  /** @default false */
  readonly retryable?: boolean;
  readonly retryAfterMs?: number;
  /** The provider's own error type/code, e.g. `rate_limit_exceeded`. */
  readonly providerCode?: string;
  /** The provider's error body (already parsed), for debugging. Secrets are redacted (a copy is kept when it held one). */
  readonly body?: unknown;
  /** Rate-limit state read from the response headers. */
  readonly rateLimit?: RateLimitInfo;
  /** Kept as is, or as a redacted copy (same prototype, redacted message, stack and fields, down the chain) when it held a secret. */
  readonly cause?: unknown;
}

export interface RateLimitInfo {
  readonly limitRequests?: number;
  readonly remainingRequests?: number;
  readonly resetRequestsMs?: number;
  readonly limitTokens?: number;
  readonly remainingTokens?: number;
  readonly resetTokensMs?: number;
}

/**
 * The root of every error HyperAgent throws or puts in a stream's `error` event. No registered
 * secret survives in it: message, stack, `cause` chain, `body`, request id and provider code are
 * redacted when it is made, and `toJSON` and `util.inspect` redact again what they write, for a
 * secret registered since and for fields a subclass adds.
 */
export class HyperAgentError extends Error {
  readonly code: ErrorCodeValue;
  readonly provider: string | undefined;
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly providerCode: string | undefined;
  readonly body: unknown;
  readonly rateLimit: RateLimitInfo | undefined;

  constructor(code: ErrorCodeValue, message: string, options: HyperAgentErrorOptions = {}) {
    super(redactSecrets(message), options.cause === undefined ? undefined : { cause: redactCause(options.cause) });
    this.name = new.target.name;
    this.code = code;
    this.provider = options.provider;
    this.status = options.status;
    this.requestId = options.requestId === undefined ? undefined : redactSecrets(options.requestId);
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.providerCode = options.providerCode === undefined ? undefined : redactSecrets(options.providerCode);
    this.body = redactCause(options.body);
    this.rateLimit = options.rateLimit;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: redactSecrets(this.message),
      provider: this.provider,
      status: this.status,
      requestId: this.requestId,
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
      providerCode: this.providerCode,
    };
  }

  /** `util.inspect` (console.log, a REPL) shows what it always shows, redacted as a whole. */
  [INSPECT](depth: number, options: Record<string, unknown>, inspect: (value: unknown, options: Record<string, unknown>) => string): string {
    return redactSecrets(inspect(this, { ...options, depth, customInspect: false }));
  }
}

export class RateLimitError extends HyperAgentError {
  constructor(message: string, options: HyperAgentErrorOptions = {}) {
    super(ErrorCode.RATE_LIMITED, message, { retryable: true, ...options });
  }
}

export class AuthenticationError extends HyperAgentError {
  constructor(message: string, options: HyperAgentErrorOptions = {}) {
    super(ErrorCode.AUTHENTICATION, message, { ...options, retryable: false });
  }
}

/** No API key in the config or the environment. Raised when the backend is first used. */
export class MissingApiKeyError extends HyperAgentError {
  constructor(message: string, options: HyperAgentErrorOptions = {}) {
    super(ErrorCode.MISSING_API_KEY, message, { ...options, retryable: false });
  }
}

export class PermissionError extends HyperAgentError {
  constructor(message: string, options: HyperAgentErrorOptions = {}) {
    super(ErrorCode.PERMISSION, message, { ...options, retryable: false });
  }
}

export class InvalidRequestError extends HyperAgentError {
  constructor(message: string, options: HyperAgentErrorOptions = {}) {
    super(ErrorCode.INVALID_REQUEST, message, { retryable: false, ...options });
  }
}

export class ContextLengthError extends HyperAgentError {
  constructor(message: string, options: HyperAgentErrorOptions = {}) {
    super(ErrorCode.CONTEXT_LENGTH_EXCEEDED, message, { ...options, retryable: false });
  }
}

export class ModelNotFoundError extends HyperAgentError {
  constructor(message: string, options: HyperAgentErrorOptions = {}) {
    super(ErrorCode.MODEL_NOT_FOUND, message, { ...options, retryable: false });
  }
}

export class ServerError extends HyperAgentError {
  constructor(message: string, options: HyperAgentErrorOptions = {}) {
    super(ErrorCode.SERVER, message, { retryable: true, ...options });
  }
}

/** Anthropic 529 / `overloaded_error`, OpenAI 503 "overloaded". */
export class OverloadedError extends HyperAgentError {
  constructor(message: string, options: HyperAgentErrorOptions = {}) {
    super(ErrorCode.OVERLOADED, message, { retryable: true, ...options });
  }
}

export class TimeoutError extends HyperAgentError {
  constructor(message: string, options: HyperAgentErrorOptions = {}) {
    super(ErrorCode.TIMEOUT, message, { retryable: true, ...options });
  }
}

export class NetworkError extends HyperAgentError {
  constructor(message: string, options: HyperAgentErrorOptions = {}) {
    super(ErrorCode.NETWORK, message, { retryable: true, ...options });
  }
}

/** The caller aborted. Never retried. */
export class AbortError extends HyperAgentError {
  constructor(message = 'The request was aborted by its AbortSignal.', options: HyperAgentErrorOptions = {}) {
    super(ErrorCode.ABORTED, message, { ...options, retryable: false });
  }
}

/** The provider answered with something we cannot read: malformed JSON, a truncated stream, an unexpected shape. */
export class InvalidResponseError extends HyperAgentError {
  constructor(message: string, options: HyperAgentErrorOptions = {}) {
    super(ErrorCode.INVALID_RESPONSE, message, { retryable: false, ...options });
  }
}

/** The model produced tool-call arguments that are not a JSON object. */
export class ToolArgumentsError extends HyperAgentError {
  readonly toolName: string;
  readonly toolCallId: string;
  readonly rawArguments: string;
  constructor(toolName: string, toolCallId: string, rawArguments: string, options: HyperAgentErrorOptions = {}) {
    super(
      ErrorCode.TOOL_ARGUMENTS,
      `The model called tool "${toolName}" (id ${toolCallId}) with arguments that are not a JSON object: ${truncate(redactSecrets(rawArguments), 200)}. ` +
        'Retry the call, or relax the tool schema.',
      { ...options, retryable: false },
    );
    this.toolName = toolName;
    this.toolCallId = toolCallId;
    this.rawArguments = rawArguments;
  }
}

/** The backend does not offer this operation (e.g. embeddings on Anthropic). */
export class UnsupportedError extends HyperAgentError {
  constructor(message: string, options: HyperAgentErrorOptions = {}) {
    super(ErrorCode.UNSUPPORTED, message, { ...options, retryable: false });
  }
}

export interface ConfigProblem {
  /** JSON path of the offending value, e.g. `/backends/claude/provider`. */
  readonly path: string;
  readonly message: string;
}

/** The config is invalid. `problems` lists every problem found, each with its JSON path. */
export class ConfigError extends HyperAgentError {
  readonly problems: readonly ConfigProblem[];
  readonly file: string | undefined;
  constructor(message: string, problems: readonly ConfigProblem[] = [], file?: string, options: HyperAgentErrorOptions = {}) {
    super(ErrorCode.CONFIG, message, { ...options, retryable: false });
    this.problems = problems;
    this.file = file;
  }
}

/** A provider or plugin module could not be loaded, lacks its export, or got bad options. */
export class PluginLoadError extends HyperAgentError {
  readonly module: string;
  /** Option problems by JSON path, when the options were what was wrong. */
  readonly problems: readonly ConfigProblem[];
  constructor(module: string, message: string, options: HyperAgentErrorOptions & { problems?: readonly ConfigProblem[] } = {}) {
    super(ErrorCode.PLUGIN_LOAD, message, { ...options, retryable: false });
    this.module = module;
    this.problems = options.problems ?? [];
  }
}

export class ApprovalDeniedError extends HyperAgentError {
  readonly reason: string | undefined;
  constructor(message: string, reason?: string, options: HyperAgentErrorOptions = {}) {
    super(ErrorCode.APPROVAL_DENIED, message, { ...options, retryable: false });
    this.reason = reason;
  }
}

export class BudgetExceededError extends HyperAgentError {
  readonly budgetUsd: number;
  readonly spentUsd: number;
  readonly estimatedUsd: number;
  /** Held by calls in flight when this call was refused (budgets reserve each call's worst case). */
  readonly reservedUsd: number;
  constructor(message: string, budgetUsd: number, spentUsd: number, estimatedUsd: number, reservedUsd = 0) {
    super(ErrorCode.BUDGET_EXCEEDED, message, { retryable: false });
    this.budgetUsd = budgetUsd;
    this.spentUsd = spentUsd;
    this.estimatedUsd = estimatedUsd;
    this.reservedUsd = reservedUsd;
  }
}

/** The shared state store (Redis) did not answer: down, unreachable, too slow, or it refused the command. */
export class StoreUnavailableError extends HyperAgentError {
  /** The store's kind and address without credentials, e.g. `redis at 127.0.0.1:6379`. */
  readonly store: string;
  /** The store operation that failed, e.g. `windowReserve`. */
  readonly operation: string;
  constructor(message: string, store: string, operation: string, options: HyperAgentErrorOptions = {}) {
    super(ErrorCode.STORE_UNAVAILABLE, message, { retryable: true, ...options });
    this.store = store;
    this.operation = operation;
  }
}

export class MaxIterationsError extends HyperAgentError {
  readonly iterations: number;
  constructor(iterations: number) {
    super(
      ErrorCode.MAX_ITERATIONS,
      `The agent reached maxIterations (${iterations}) without a final answer. Raise maxIterations or simplify the task.`,
    );
    this.iterations = iterations;
  }
}

export function isHyperAgentError(error: unknown): error is HyperAgentError {
  return error instanceof HyperAgentError;
}

/** Wrap anything thrown into a HyperAgentError, keeping the original as `cause`. */
export function toHyperAgentError(error: unknown, provider?: string): HyperAgentError {
  if (error instanceof HyperAgentError) return error;
  const name = (error as { name?: string } | null)?.name;
  if (name === 'AbortError') return new AbortError(undefined, { provider, cause: error });
  const message = error instanceof Error ? error.message : String(error);
  return new HyperAgentError(ErrorCode.INTERNAL, message, { provider, cause: error });
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
