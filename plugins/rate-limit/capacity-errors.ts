import { AbortError, RateLimitError } from '../../core/errors.js';
import type { RateLimits } from '../../core/types.js';

/** What a limiter's errors name: the backend, and the limits that held a call back. */
export interface LimiterIdentity {
  readonly name: string;
  readonly provider: string | undefined;
  readonly limits: Readonly<RateLimits>;
  readonly maxWaitMs: number;
}

const ADVICE = 'Send fewer requests at once, raise the limit, or raise maxWaitMs to wait longer.';

/** A wait's reason, in words: which limit, set to what. */
export function describeReason(limiter: LimiterIdentity, reason: string): string {
  switch (reason) {
    case 'rpm':
      return `its limit of ${limiter.limits.rpm} requests per minute (rpm; a request counts until a minute after it reached the provider)`;
    case 'tpm':
      return `its limit of ${limiter.limits.tpm} tokens per minute (tpm)`;
    case 'maxConcurrent':
      return `its limit of ${limiter.limits.maxConcurrent} requests in flight (maxConcurrent)`;
    case 'retry-after':
      return "the provider's retry-after (capped at maxPauseMs)";
    case 'provider-requests':
      return "the provider's rate-limit headers, which said no requests are left until their reset (capped at maxPauseMs)";
    case 'provider-tokens':
      return "the provider's rate-limit headers, which said too few tokens are left until their reset (capped at maxPauseMs)";
    default:
      return reason;
  }
}

export function neverFits(limiter: LimiterIdentity, tokens: number): RateLimitError {
  return new RateLimitError(
    `The request to backend "${limiter.name}" needs about ${tokens} tokens but the limit is ${limiter.limits.tpm} tokens per minute, so it can never fit. ` +
      'Lower maxTokens, shorten the prompt, or raise the "tpm" rate limit.',
    { provider: limiter.provider, retryable: false },
  );
}

/** Known before waiting: what holds the call back lasts past its deadline. */
export function wouldWaitTooLong(limiter: LimiterIdentity, reason: string, waitMs: number, waitedMs: number): RateLimitError {
  const already = waitedMs > 0 ? `, after the ${Math.round(waitedMs)} ms it already waited,` : '';
  return new RateLimitError(
    `Backend "${limiter.name}" has no capacity for another ${Math.ceil(waitMs)} ms, held back by ${describeReason(limiter, reason)}. ` +
      `The call would have waited longer than maxWaitMs (${limiter.maxWaitMs} ms)${already} so it was not sent. ${ADVICE}`,
    { provider: limiter.provider, retryable: false, retryAfterMs: Math.ceil(waitMs) },
  );
}

/** At the deadline: the call waited maxWaitMs and still had no capacity. */
export function waitedTooLong(limiter: LimiterIdentity, why: string, moreMs: number | undefined): RateLimitError {
  const more = moreMs === undefined ? '' : ` and would have waited about ${Math.ceil(moreMs)} ms more`;
  return new RateLimitError(
    `A call to backend "${limiter.name}" waited ${limiter.maxWaitMs} ms (maxWaitMs) for capacity${more}, so it was not sent: ${why}. ${ADVICE}`,
    { provider: limiter.provider, retryable: false, ...(moreMs === undefined ? {} : { retryAfterMs: Math.ceil(moreMs) }) },
  );
}

export function abortedWhileWaiting(limiter: LimiterIdentity, signal: AbortSignal | undefined): AbortError {
  return new AbortError(`The request was aborted by its AbortSignal while waiting for backend "${limiter.name}" rate limits.`, {
    provider: limiter.provider,
    cause: signal?.reason,
  });
}
