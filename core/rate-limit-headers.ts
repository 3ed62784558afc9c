import type { RateLimitInfo } from './errors.js';

export type HeaderMap = Readonly<Record<string, string | string[] | undefined>>;

export function header(headers: HeaderMap, name: string): string | undefined {
  let value = headers[name];
  if (value === undefined) {
    const lower = name.toLowerCase();
    if (lower !== name) value = headers[lower];
  }
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

/** A reset as read from its header: a span from now, or a moment (epoch ms). */
type Reset = { readonly in: number } | { readonly at: number } | null;

// Every response carries the same few reset values (OpenAI's durations repeat; a date or an epoch
// stays the same for a second or more), so each text is parsed once; only `now` changes per call.
const resets = new Map<string, Reset>();
const MAX_RESETS = 512;

/** A reset given as an RFC 3339 date (Anthropic), epoch milliseconds (OpenRouter) or a duration (OpenAI). */
function resetMs(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  let reset = resets.get(value);
  if (reset === undefined) {
    reset = parseReset(value.trim());
    if (resets.size >= MAX_RESETS) resets.clear();
    resets.set(value, reset);
  }
  if (reset === null) return undefined;
  return 'in' in reset ? reset.in : Math.max(0, reset.at - now);
}

function parseReset(text: string): Reset {
  if (/^\d{12,}$/.test(text)) return { at: Number(text) };
  if (/^\d+(\.\d+)?$/.test(text)) return { in: Number(text) * 1000 };
  const duration = parseDuration(text);
  if (duration !== undefined && /^[\d.hms]+$/.test(text)) return { in: duration };
  const date = Date.parse(text);
  return Number.isFinite(date) ? { at: date } : null;
}

/** Rate-limit state from any provider's headers; `undefined` when the response carries none. */
export function parseRateLimitHeaders(headers: HeaderMap, now: number = Date.now()): RateLimitInfo | undefined {
  if (header(headers, 'x-ratelimit-limit-requests') !== undefined || header(headers, 'x-ratelimit-limit-tokens') !== undefined) {
    return rateLimitInfo(
      header(headers, 'x-ratelimit-limit-requests'),
      header(headers, 'x-ratelimit-remaining-requests'),
      resetMs(header(headers, 'x-ratelimit-reset-requests'), now),
      header(headers, 'x-ratelimit-limit-tokens'),
      header(headers, 'x-ratelimit-remaining-tokens'),
      resetMs(header(headers, 'x-ratelimit-reset-tokens'), now),
    );
  }
  if (header(headers, 'anthropic-ratelimit-requests-limit') !== undefined || header(headers, 'anthropic-ratelimit-tokens-limit') !== undefined) {
    return rateLimitInfo(
      header(headers, 'anthropic-ratelimit-requests-limit'),
      header(headers, 'anthropic-ratelimit-requests-remaining'),
      resetMs(header(headers, 'anthropic-ratelimit-requests-reset'), now),
      header(headers, 'anthropic-ratelimit-tokens-limit'),
      header(headers, 'anthropic-ratelimit-tokens-remaining'),
      resetMs(header(headers, 'anthropic-ratelimit-tokens-reset'), now),
    );
  }
  if (header(headers, 'x-ratelimit-limit') !== undefined) {
    // OpenRouter: one request budget, reset in epoch milliseconds.
    return rateLimitInfo(header(headers, 'x-ratelimit-limit'), header(headers, 'x-ratelimit-remaining'), resetMs(header(headers, 'x-ratelimit-reset'), now));
  }
  return undefined;
}

/** The fields that are present, in a fixed order (one object shape for every response). */
function rateLimitInfo(
  limitRequests: string | undefined,
  remainingRequests: string | undefined,
  resetRequestsMs: number | undefined,
  limitTokens?: string,
  remainingTokens?: string,
  resetTokensMs?: number,
): RateLimitInfo {
  const info: { -readonly [K in keyof RateLimitInfo]: RateLimitInfo[K] } = {};
  const set = (key: keyof RateLimitInfo, value: number | undefined): void => {
    if (value !== undefined) info[key] = value;
  };
  set('limitRequests', toNumber(limitRequests));
  set('remainingRequests', toNumber(remainingRequests));
  set('resetRequestsMs', resetRequestsMs);
  set('limitTokens', toNumber(limitTokens));
  set('remainingTokens', toNumber(remainingTokens));
  set('resetTokensMs', resetTokensMs);
  return info;
}

/** The request id providers put in their headers. */
export function parseRequestId(headers: HeaderMap): string | undefined {
  return header(headers, 'x-request-id') ?? header(headers, 'request-id') ?? header(headers, 'x-generation-id');
}
