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
 * The longest wait a header can ask for and still be believed. No provider's rate-limit window is
 * longer than a day, so a reset more than a week away is a misread field (a duration read as an
 * epoch, an epoch read as seconds): it is ignored, as if the header were absent.
 */
export const MAX_HEADER_WAIT_MS = 7 * 24 * 3_600_000;

/** A time as a header gives it: a span from now or a moment (epoch ms); `null` when unreadable. */
export type HeaderTime = { readonly in: number } | { readonly at: number } | null;

const NUMBER = /^\d+(?:\.\d+)?$/;
const DURATION = /^(?:\d+(?:\.\d+)?(?:ms|h|m|s))+$/;
const DURATION_PART = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/**
 * Read a time in any of the forms providers send, told apart by shape: a bare number in `unit`
 * (seconds for `retry-after` and the reset headers, milliseconds for `retry-after-ms`), unless it has
 * the size of an epoch — 10 digits are epoch seconds, 13 epoch milliseconds (both 2001–2286); a
 * duration (`1m30s`, `6ms`, `0.5s`, `1h`); a date (RFC 3339 as Anthropic sends, or an HTTP date).
 * Numbers between the two epoch sizes or past them, negative numbers and other text are unreadable.
 */
export function parseHeaderTime(value: string, unit: 's' | 'ms'): HeaderTime {
  const text = value.trim();
  if (NUMBER.test(text)) {
    const number = Number(text);
    if (number >= 1e12) return number < 1e13 ? { at: number } : null;
    if (unit === 'ms') return { in: number };
    if (number >= 1e9) return number < 1e10 ? { at: number * 1000 } : null;
    return { in: number * 1000 };
  }
  if (DURATION.test(text)) return { in: parseDuration(text) ?? 0 };
  // Date.parse takes "2026" or "-5" for years: only text with a letter (`T`, `GMT`, a weekday) is a date.
  if (!/[a-z]/i.test(text)) return null;
  const date = Date.parse(text);
  return Number.isFinite(date) ? { at: date } : null;
}

/** Milliseconds from `now` until `time`; `undefined` when unreadable, in the past, or further than MAX_HEADER_WAIT_MS. */
export function headerWaitMs(time: HeaderTime, now: number): number | undefined {
  if (time === null) return undefined;
  const ms = 'in' in time ? time.in : time.at - now;
  return ms >= 0 && ms <= MAX_HEADER_WAIT_MS ? ms : undefined;
}

/**
 * Milliseconds to wait before retrying, from `retry-after-ms` (OpenAI, Anthropic SDK convention)
 * or `retry-after` (seconds, an HTTP date, or an epoch as some servers send). `undefined` when
 * absent, unreadable, in the past or absurd.
 */
export function parseRetryAfter(headers: HeaderMap, now: number = Date.now()): number | undefined {
  const ms = header(headers, 'retry-after-ms');
  const fromMs = ms === undefined ? undefined : headerWaitMs(parseHeaderTime(ms, 'ms'), now);
  if (fromMs !== undefined) return fromMs;
  const after = header(headers, 'retry-after');
  return after === undefined ? undefined : headerWaitMs(parseHeaderTime(after, 's'), now);
}

/** `x-should-retry: true|false` (Anthropic, OpenAI) overrides our own judgement. */
export function parseShouldRetry(headers: HeaderMap): boolean | undefined {
  const value = header(headers, 'x-should-retry')?.trim().toLowerCase();
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

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

/** A count from a header: a non-negative number, else `undefined` (`Number('')` would be 0). */
function toCount(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  return NUMBER.test(text) ? Number(text) : undefined;
}

// Every response carries the same few reset values (OpenAI's durations repeat; a date or an epoch
// stays the same for a second or more), so each text is parsed once; only `now` changes per call.
const resets = new Map<string, HeaderTime>();
const MAX_RESETS = 512;

/** A reset as any provider sends it (see `parseHeaderTime`; a bare number is seconds), in ms from `now`. */
function resetMs(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  let reset = resets.get(value);
  if (reset === undefined) {
    reset = parseHeaderTime(value, 's');
    if (resets.size >= MAX_RESETS) resets.clear();
    resets.set(value, reset);
  }
  return headerWaitMs(reset, now);
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
  if (header(headers, 'x-ratelimit-limit') !== undefined || header(headers, 'x-ratelimit-remaining') !== undefined) {
    // OpenRouter (reset in epoch milliseconds) and many OpenAI-compatible servers (epoch seconds, or seconds from now): one request budget.
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
  set('limitRequests', toCount(limitRequests));
  set('remainingRequests', toCount(remainingRequests));
  set('resetRequestsMs', resetRequestsMs);
  set('limitTokens', toCount(limitTokens));
  set('remainingTokens', toCount(remainingTokens));
  set('resetTokensMs', resetTokensMs);
  return info;
}

/** The request id providers put in their headers. */
export function parseRequestId(headers: HeaderMap): string | undefined {
  return header(headers, 'x-request-id') ?? header(headers, 'request-id') ?? header(headers, 'x-generation-id');
}
