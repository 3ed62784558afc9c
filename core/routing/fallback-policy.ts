import { ErrorCode, type HyperAgentError } from '../errors.js';

/**
 * What a group's `fallbackOn` may list. Kinds name a family of errors; `HA_*` codes match one
 * error code; status strings match the provider's HTTP status (`4xx`/`5xx`: the whole class).
 * `schemas/hyperagent.config.schema.json` lists the same words (a test keeps them in step).
 */
export const FALLBACK_KINDS = Object.freeze([
  'retryable',
  'rate_limit',
  'server',
  'overloaded',
  'timeout',
  'network',
  'invalid_response',
  'context_length',
  'authentication',
  'permission',
  'model_not_found',
  'unsupported',
] as const);

export const FALLBACK_CODES = Object.freeze([
  ErrorCode.RATE_LIMITED,
  ErrorCode.SERVER,
  ErrorCode.OVERLOADED,
  ErrorCode.TIMEOUT,
  ErrorCode.NETWORK,
  ErrorCode.INVALID_RESPONSE,
  ErrorCode.CONTEXT_LENGTH_EXCEEDED,
  ErrorCode.AUTHENTICATION,
  ErrorCode.MISSING_API_KEY,
  ErrorCode.PERMISSION,
  ErrorCode.MODEL_NOT_FOUND,
  ErrorCode.UNSUPPORTED,
  ErrorCode.INTERNAL,
] as const);

export const FALLBACK_STATUSES = Object.freeze(['401', '403', '404', '408', '409', '429', '500', '502', '503', '504', '529', '4xx', '5xx'] as const);

export type FallbackKind = (typeof FALLBACK_KINDS)[number];
export type FallbackOn = FallbackKind | (typeof FALLBACK_CODES)[number] | (typeof FALLBACK_STATUSES)[number];

/** Every word `fallbackOn` accepts. */
export const FALLBACK_ON_VALUES: readonly string[] = Object.freeze([...FALLBACK_KINDS, ...FALLBACK_CODES, ...FALLBACK_STATUSES]);

/** @default what a group falls back on when `fallbackOn` is not set: what retries are for, once they gave up. */
export const DEFAULT_FALLBACK_ON: readonly FallbackOn[] = Object.freeze(['retryable']);

/**
 * Errors no `fallbackOn` entry can make a group move on from: the caller aborted, or the request
 * itself is wrong (every target would reject it too), or a plugin vetoed it (approval, budget).
 */
const NEVER: ReadonlySet<string> = new Set([
  ErrorCode.ABORTED,
  ErrorCode.INVALID_REQUEST,
  ErrorCode.TOOL_ARGUMENTS,
  ErrorCode.CONFIG,
  ErrorCode.PLUGIN_LOAD,
  ErrorCode.APPROVAL_DENIED,
  ErrorCode.BUDGET_EXCEEDED,
  ErrorCode.MAX_ITERATIONS,
]);

const KIND_CODES: Readonly<Record<Exclude<FallbackKind, 'retryable'>, readonly string[]>> = {
  rate_limit: [ErrorCode.RATE_LIMITED],
  server: [ErrorCode.SERVER],
  overloaded: [ErrorCode.OVERLOADED],
  timeout: [ErrorCode.TIMEOUT],
  network: [ErrorCode.NETWORK],
  invalid_response: [ErrorCode.INVALID_RESPONSE],
  context_length: [ErrorCode.CONTEXT_LENGTH_EXCEEDED],
  authentication: [ErrorCode.AUTHENTICATION, ErrorCode.MISSING_API_KEY],
  permission: [ErrorCode.PERMISSION],
  model_not_found: [ErrorCode.MODEL_NOT_FOUND],
  unsupported: [ErrorCode.UNSUPPORTED],
};

/** A compiled `fallbackOn` list: which failed attempts move a group on to its next target. */
export class FallbackPolicy {
  private readonly retryable: boolean;
  private readonly codes: ReadonlySet<string>;
  private readonly statuses: ReadonlySet<string>;

  constructor(fallbackOn: readonly string[] = DEFAULT_FALLBACK_ON) {
    const unknown = fallbackOn.filter((value) => !FALLBACK_ON_VALUES.includes(value));
    if (unknown.length > 0) {
      throw new TypeError(`fallbackOn: unknown ${unknown.map((value) => JSON.stringify(value)).join(', ')}; expected some of ${FALLBACK_ON_VALUES.join(', ')}.`);
    }
    this.retryable = fallbackOn.includes('retryable');
    this.codes = new Set(fallbackOn.flatMap((value) => (value in KIND_CODES ? KIND_CODES[value as keyof typeof KIND_CODES] : value.startsWith('HA_') ? [value] : [])));
    this.statuses = new Set(fallbackOn.filter((value) => /^\d/.test(value)));
  }

  /** Whether `error`, which ended an attempt on one target, lets the group try the next. */
  allows(error: HyperAgentError): boolean {
    if (NEVER.has(error.code)) return false;
    if (this.retryable && error.retryable) return true;
    if (this.codes.has(error.code)) return true;
    const status = error.status;
    return status !== undefined && (this.statuses.has(String(status)) || this.statuses.has(`${String(status)[0]}xx`));
  }
}
