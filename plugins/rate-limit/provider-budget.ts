import type { RateLimitInfo } from '../../core/errors.js';
import type { Blocked } from './sliding-window.js';

interface Remaining {
  remaining: number;
  resetAt: number;
}

function set(record: Remaining | undefined, remaining: number, resetAt: number): Remaining {
  if (record === undefined) return { remaining, resetAt };
  record.remaining = remaining;
  record.resetAt = resetAt;
  return record;
}

/** A reset the limiter can use: finite, not negative, at most `maxPauseMs` (headers are advice, not orders). */
function boundedReset(ms: number | undefined, maxPauseMs: number): number | undefined {
  if (ms === undefined || !(ms >= 0 && ms < Number.POSITIVE_INFINITY)) return undefined;
  return Math.min(ms, maxPauseMs);
}

/**
 * What the provider's rate-limit headers last said is left, and until when. A request that does not
 * fit in what is left waits for the reset, so we stop before the provider has to refuse us; a reset
 * further away than `maxPauseMs` is waited for only that long, and then the provider is asked again.
 */
export class ProviderBudget {
  private requests: Remaining | undefined;
  private tokens: Remaining | undefined;

  // Every response brings headers: the two records are updated in place rather than made anew.
  update(info: RateLimitInfo, now: number, maxPauseMs: number): void {
    const resetRequestsMs = boundedReset(info.resetRequestsMs, maxPauseMs);
    if (info.remainingRequests !== undefined && resetRequestsMs !== undefined) {
      this.requests = set(this.requests, info.remainingRequests, now + resetRequestsMs);
    }
    const resetTokensMs = boundedReset(info.resetTokensMs, maxPauseMs);
    if (info.remainingTokens !== undefined && resetTokensMs !== undefined) {
      this.tokens = set(this.tokens, info.remainingTokens, now + resetTokensMs);
    }
  }

  blockedFor(tokens: number, now: number): Blocked | undefined {
    this.expire(now);
    let blocked: Blocked | undefined;
    if (this.requests && this.requests.remaining < 1) blocked = { waitMs: this.requests.resetAt - now, reason: 'provider-requests' };
    if (this.tokens && this.tokens.remaining < tokens) {
      const waitMs = this.tokens.resetAt - now;
      if (blocked === undefined || waitMs > blocked.waitMs) blocked = { waitMs, reason: 'provider-tokens' };
    }
    return blocked;
  }

  consume(tokens: number, now: number): void {
    this.expire(now);
    if (this.requests) this.requests.remaining -= 1;
    if (this.tokens) this.tokens.remaining -= tokens;
  }

  private expire(now: number): void {
    if (this.requests && now >= this.requests.resetAt) this.requests = undefined;
    if (this.tokens && now >= this.tokens.resetAt) this.tokens = undefined;
  }
}
