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

/**
 * The header names of one rate-limit family, as a provider sends them. Core knows no family: each
 * provider (or the protocol it speaks) names its own and reads them with `rateLimitHeaderReader`.
 * A family is present when its `limit*` or `remaining*` header is.
 */
export interface RateLimitHeaderNames {
  readonly limitRequests?: string;
  readonly remainingRequests?: string;
  /** A bare number is seconds; durations, dates and epochs are read by shape (`parseHeaderTime`). */
  readonly resetRequests?: string;
  readonly limitTokens?: string;
  readonly remainingTokens?: string;
  readonly resetTokens?: string;
}

/** A provider's reading of a response's rate-limit headers; `undefined` when it carries none. */
export type RateLimitHeaderReader = (headers: HeaderMap, now?: number) => RateLimitInfo | undefined;

const has = (headers: HeaderMap, name: string | undefined): boolean => name !== undefined && header(headers, name) !== undefined;
const get = (headers: HeaderMap, name: string | undefined): string | undefined => (name === undefined ? undefined : header(headers, name));

/** A reader for these families: the first one present in a response is read, the rest ignored. */
export function rateLimitHeaderReader(...families: readonly RateLimitHeaderNames[]): RateLimitHeaderReader {
  return (headers, now = Date.now()) => {
    for (const family of families) {
      const present =
        has(headers, family.limitRequests) || has(headers, family.limitTokens) || has(headers, family.remainingRequests) || has(headers, family.remainingTokens);
      if (!present) continue;
      return rateLimitInfo(
        get(headers, family.limitRequests),
        get(headers, family.remainingRequests),
        resetMs(get(headers, family.resetRequests), now),
        get(headers, family.limitTokens),
        get(headers, family.remainingTokens),
        resetMs(get(headers, family.resetTokens), now),
      );
    }
    return undefined;
  };
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
  // Runs on every response: fields set in place, no closure per call.
  const info: { -readonly [K in keyof RateLimitInfo]: RateLimitInfo[K] } = {};
  const limitRequestsCount = toCount(limitRequests);
  if (limitRequestsCount !== undefined) info.limitRequests = limitRequestsCount;
  const remainingRequestsCount = toCount(remainingRequests);
  if (remainingRequestsCount !== undefined) info.remainingRequests = remainingRequestsCount;
  if (resetRequestsMs !== undefined) info.resetRequestsMs = resetRequestsMs;
  const limitTokensCount = toCount(limitTokens);
  if (limitTokensCount !== undefined) info.limitTokens = limitTokensCount;
  const remainingTokensCount = toCount(remainingTokens);
  if (remainingTokensCount !== undefined) info.remainingTokens = remainingTokensCount;
  if (resetTokensMs !== undefined) info.resetTokensMs = resetTokensMs;
  return info;
}

/** The request id providers put in their headers. */
export function parseRequestId(headers: HeaderMap): string | undefined {
  return header(headers, 'x-request-id') ?? header(headers, 'request-id') ?? header(headers, 'x-generation-id');
}
