import { DEFAULT_PENDING_TTL_MS, DEFAULT_WINDOW_MS, type WindowRequest } from './state-store.js';

/** A `WindowRequest` with its defaults applied and every number checked. */
export interface WindowArguments {
  readonly requestLimit: number | undefined;
  readonly tokenLimit: number | undefined;
  readonly tokens: number;
  readonly windowMs: number;
  readonly pendingTtlMs: number;
}

/**
 * Every store checks its arguments the same way, before anything is counted: a bad one is a bug
 * in the caller, so it is a TypeError naming it (thrown by the memory store, a rejection of a
 * remote store's promise).
 */
export function checkKey(operation: string, key: unknown): void {
  if (typeof key !== 'string' || key.length === 0) {
    throw new TypeError(`StateStore.${operation}: \`key\` must be a non-empty string, received ${describe(key)}.`);
  }
}

export function windowArguments(request: WindowRequest): WindowArguments {
  const { requestLimit, tokenLimit } = request;
  if (requestLimit !== undefined) positive('windowReserve', 'requestLimit', requestLimit);
  if (tokenLimit !== undefined) positive('windowReserve', 'tokenLimit', tokenLimit);
  return {
    requestLimit,
    tokenLimit,
    // Never under-count: a fractional estimate reserves the next whole token.
    tokens: request.tokens === undefined ? 0 : Math.ceil(nonNegative('windowReserve', 'tokens', request.tokens)),
    windowMs: request.windowMs === undefined ? DEFAULT_WINDOW_MS : positive('windowReserve', 'windowMs', request.windowMs),
    pendingTtlMs: request.pendingTtlMs === undefined ? DEFAULT_PENDING_TTL_MS : positive('windowReserve', 'pendingTtlMs', request.pendingTtlMs),
  };
}

export function checkId(operation: string, id: unknown): void {
  if (!(typeof id === 'number' && Number.isSafeInteger(id) && id > 0)) {
    throw new TypeError(`StateStore.${operation}: \`id\` must be an id the store returned (an integer > 0), received ${describe(id)}.`);
  }
}

/** Whole tokens, rounded up. */
export function settledTokens(tokens: unknown): number {
  return Math.ceil(nonNegative('windowSettle', 'tokens', tokens));
}

/** Nano-dollars are integers: sums of them never drift. */
export function nano(operation: string, name: string, value: unknown): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  throw new TypeError(`StateStore.${operation}: \`${name}\` must be a whole number of nano-dollars >= 0, received ${describe(value)}.`);
}

export function positive(operation: string, name: string, value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  throw new TypeError(`StateStore.${operation}: \`${name}\` must be a number > 0, received ${describe(value)}.`);
}

function nonNegative(operation: string, name: string, value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  throw new TypeError(`StateStore.${operation}: \`${name}\` must be a number >= 0, received ${describe(value)}.`);
}

export function checkValue(operation: string, value: unknown): void {
  if (typeof value !== 'string') throw new TypeError(`StateStore.${operation}: \`value\` must be a string (JSON.stringify objects), received ${describe(value)}.`);
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
