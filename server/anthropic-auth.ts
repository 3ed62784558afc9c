import type { IncomingHttpHeaders } from 'node:http';
import { createBearerCheck } from './auth.js';
import { GatewayError } from './errors.js';

/** Checks a gateway key sent as Anthropic's clients send it (`x-api-key`) or as a bearer token. */
export type AnthropicKeyCheck = (headers: IncomingHttpHeaders) => boolean;

/** `undefined` when the gateway has no keys (auth off). Either header may carry the key; the comparison is the bearer check's. */
export function createAnthropicKeyCheck(keys: readonly string[]): AnthropicKeyCheck | undefined {
  const bearer = createBearerCheck(keys);
  if (!bearer) return undefined;
  return (headers) => {
    const apiKey = headers['x-api-key'];
    if (typeof apiKey === 'string' && apiKey !== '' && bearer({ authorization: `Bearer ${apiKey}` })) return true;
    return bearer(headers);
  };
}

/** The 401 of the Messages routes: the same body whether a key was missing, wrong or malformed. */
export function anthropicUnauthorized(): GatewayError {
  return new GatewayError(401, 'authentication_error', 'invalid x-api-key: send one of the gateway\'s keys as "x-api-key: <key>" or "Authorization: Bearer <key>".', {
    code: 'invalid_api_key',
  });
}
