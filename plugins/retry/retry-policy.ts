import { ErrorCode, type HyperAgentError } from '../../core/errors.js';

/** Client errors a retry cannot fix, whatever `x-should-retry` said. */
const NEVER_RETRIED_STATUS: ReadonlySet<number> = new Set([400, 401, 403, 404]);

/** Whether the policy allows another attempt after `error`. Retryability itself was decided where the error was made. */
export function mayRetry(error: HyperAgentError, retryOn: ReadonlySet<string> | undefined): boolean {
  if (error.code === ErrorCode.ABORTED || !error.retryable) return false;
  if (error.status !== undefined && NEVER_RETRIED_STATUS.has(error.status)) return false;
  return retryOn === undefined || retryOn.has(error.code);
}
