import type { HyperAgentError } from '../errors.js';

/**
 * A copy of the error a group gives up with, its message naming the targets it tried. A copy, so
 * the target's own error (already reported to that call's `onError`) stays as it was; same class,
 * code, status and cause, so `instanceof RateLimitError` and `error.code` checks still hold.
 */
export function withAttemptedTargets(error: HyperAgentError, group: string, attempted: readonly string[]): HyperAgentError {
  const tried = attempted.map((name) => `"${name}"`).join(', then ');
  const message = `${error.message} [backend group "${group}" tried ${tried}]`;
  const copy = Object.create(Object.getPrototypeOf(error) as object, Object.getOwnPropertyDescriptors(error)) as HyperAgentError;
  Object.defineProperty(copy, 'message', { value: message, writable: true, configurable: true, enumerable: false });
  if (typeof error.stack === 'string') Object.defineProperty(copy, 'stack', { value: error.stack.replace(error.message, message), writable: true, configurable: true, enumerable: false });
  return copy;
}
