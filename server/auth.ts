import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { GatewayError } from './errors.js';

/** Checks a request's `Authorization: Bearer <key>` against the gateway's keys. */
export type BearerCheck = (headers: IncomingHttpHeaders) => boolean;

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * A bearer check over `keys`, or `undefined` when there are none (auth off). Both sides are hashed
 * so `timingSafeEqual` compares equal lengths, and every key is compared, so the time taken says
 * nothing about which key, or how much of one, matched.
 */
export function createBearerCheck(keys: readonly string[]): BearerCheck | undefined {
  const digests = keys.map(digest);
  if (digests.length === 0) return undefined;
  return (headers) => {
    const presented = digest(bearerToken(headers.authorization) ?? '');
    let matched = false;
    for (const known of digests) matched = timingSafeEqual(presented, known) || matched;
    return matched;
  };
}

function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1];
}

/** The one 401 the gateway sends: the same body whether a key was missing, wrong or malformed. */
export function unauthorized(): GatewayError {
  return new GatewayError(
    401,
    'invalid_request_error',
    'Missing or incorrect API key. Send one of the gateway\'s keys as "Authorization: Bearer <key>".',
    { code: 'invalid_api_key', headers: { 'www-authenticate': 'Bearer realm="hyperagent"' } },
  );
}
