// protocolRequestDefaults: how a protocol client (protocols/*) puts its provider's hooks over its own.
import { describe, expect, it } from 'vitest';
import { AuthenticationError, RateLimitError } from '../core/errors.js';
import { protocolRequestDefaults } from '../core/provider-request.js';
import type { ErrorResponse } from '../core/http-errors.js';

const response = (status: number): ErrorResponse => ({ status, headers: {}, body: {}, text: '' }) as unknown as ErrorResponse;
const providerRead = () => ({ remainingRequests: 1 });
const protocolRead = () => ({ remainingRequests: 2 });

describe('protocolRequestDefaults', () => {
  it('copies the request settings and freezes them', () => {
    const defaults = protocolRequestDefaults({ provider: 'acme', apiKeyEnv: 'ACME_API_KEY', timeoutMs: 1234 });
    expect(defaults).toMatchObject({ provider: 'acme', apiKeyEnv: 'ACME_API_KEY', timeoutMs: 1234, readRateLimit: undefined, mapError: undefined });
    expect(Object.isFrozen(defaults)).toBe(true);
  });

  it('the provider\'s rate-limit reader wins; the protocol\'s is used when it has none', () => {
    expect(protocolRequestDefaults({ provider: 'a', readRateLimit: providerRead }, { readRateLimit: protocolRead }).readRateLimit).toBe(providerRead);
    expect(protocolRequestDefaults({ provider: 'a' }, { readRateLimit: protocolRead }).readRateLimit).toBe(protocolRead);
  });

  it('the provider\'s error mapping first, the protocol\'s for what it leaves unmapped', () => {
    const own = (r: ErrorResponse) => (r.status === 401 ? new AuthenticationError('provider says 401', { provider: 'a' }) : undefined);
    const protocol = (r: ErrorResponse) => (r.status === 429 || r.status === 401 ? new RateLimitError('protocol says', { provider: 'a' }) : undefined);
    const { mapError } = protocolRequestDefaults({ provider: 'a', mapError: own }, { mapError: protocol });
    expect(mapError!(response(401))).toBeInstanceOf(AuthenticationError);
    expect(mapError!(response(429))).toBeInstanceOf(RateLimitError);
    expect(mapError!(response(500))).toBeUndefined();
    expect(protocolRequestDefaults({ provider: 'a' }, { mapError: protocol }).mapError).toBe(protocol);
    expect(protocolRequestDefaults({ provider: 'a', mapError: own }).mapError).toBe(own);
  });
});
