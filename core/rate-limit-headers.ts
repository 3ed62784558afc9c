import type { RateLimitInfo } from './errors.js';

export type HeaderMap = Readonly<Record<string, string | string[] | undefined>>;

export function header(headers: HeaderMap, name: string): string | undefined {
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Milliseconds to wait before retrying, from `retry-after-ms` (OpenAI, Anthropic SDK convention)
 * or `retry-after` (seconds or an HTTP date). `undefined` when absent or unreadable.
 */
export function parseRetryAfter(headers: HeaderMap, now: number = Date.now()): number | undefined {
  const ms = header(headers, 'retry-after-ms');
  if (ms !== undefined) {
    const value = Number.parseFloat(ms);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const after = header(headers, 'retry-after');
  if (after === undefined) return undefined;
  const seconds = Number(after.trim());
  if (after.trim() !== '' && Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(after);
  if (Number.isFinite(date)) return Math.max(0, date - now);
  return undefined;
}

/** `x-should-retry: true|false` (Anthropic, OpenAI) overrides our own judgement. */
export function parseShouldRetry(headers: HeaderMap): boolean | undefined {
  const value = header(headers, 'x-should-retry')?.trim().toLowerCase();
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

const DURATION_PART = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/** OpenAI's reset durations: `12ms`, `0s`, `6m0s`, `1h2m3.5s`. */
export function parseDuration(text: string): number | undefined {
  let total = 0;
  let matched = false;
  for (const match of text.matchAll(DURATION_PART)) {
    matched = true;
    total += Number.parseFloat(match[1]) * UNIT_MS[match[2]];
  }
  return matched ? total : undefined;
}

function toNumber(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

/** A reset given as an RFC 3339 date (Anthropic), epoch milliseconds (OpenRouter) or a duration (OpenAI). */
function resetMs(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d{12,}$/.test(trimmed)) return Math.max(0, Number(trimmed) - now);
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const duration = parseDuration(trimmed);
  if (duration !== undefined && /^[\d.hms]+$/.test(trimmed)) return duration;
  const date = Date.parse(trimmed);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/** Rate-limit state from any provider's headers; `undefined` when the response carries none. */
export function parseRateLimitHeaders(headers: HeaderMap, now: number = Date.now()): RateLimitInfo | undefined {
  const get = (name: string): string | undefined => header(headers, name);
  let info: RateLimitInfo;
  if (get('x-ratelimit-limit-requests') !== undefined || get('x-ratelimit-limit-tokens') !== undefined) {
    info = {
      limitRequests: toNumber(get('x-ratelimit-limit-requests')),
      remainingRequests: toNumber(get('x-ratelimit-remaining-requests')),
      resetRequestsMs: resetMs(get('x-ratelimit-reset-requests'), now),
      limitTokens: toNumber(get('x-ratelimit-limit-tokens')),
      remainingTokens: toNumber(get('x-ratelimit-remaining-tokens')),
      resetTokensMs: resetMs(get('x-ratelimit-reset-tokens'), now),
    };
  } else if (get('anthropic-ratelimit-requests-limit') !== undefined || get('anthropic-ratelimit-tokens-limit') !== undefined) {
    info = {
      limitRequests: toNumber(get('anthropic-ratelimit-requests-limit')),
      remainingRequests: toNumber(get('anthropic-ratelimit-requests-remaining')),
      resetRequestsMs: resetMs(get('anthropic-ratelimit-requests-reset'), now),
      limitTokens: toNumber(get('anthropic-ratelimit-tokens-limit')),
      remainingTokens: toNumber(get('anthropic-ratelimit-tokens-remaining')),
      resetTokensMs: resetMs(get('anthropic-ratelimit-tokens-reset'), now),
    };
  } else if (get('x-ratelimit-limit') !== undefined) {
    // OpenRouter: one request budget, reset in epoch milliseconds.
    info = {
      limitRequests: toNumber(get('x-ratelimit-limit')),
      remainingRequests: toNumber(get('x-ratelimit-remaining')),
      resetRequestsMs: resetMs(get('x-ratelimit-reset'), now),
    };
  } else {
    return undefined;
  }
  return Object.fromEntries(Object.entries(info).filter(([, value]) => value !== undefined)) as RateLimitInfo;
}

/** The request id providers put in their headers. */
export function parseRequestId(headers: HeaderMap): string | undefined {
  return header(headers, 'x-request-id') ?? header(headers, 'request-id') ?? header(headers, 'x-generation-id');
}
