import { createSign } from 'node:crypto';
import { AuthenticationError, NetworkError, TimeoutError } from '../../core/errors.js';
import { redactSecrets, registerSecret } from '../../core/redact.js';
import { VERTEX_PROVIDER } from './vertex-errors.js';
import type { ServiceAccountCredentials } from './vertex-options.js';

export const DEFAULT_TOKEN_URI = 'https://oauth2.googleapis.com/token';
export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
/** A token is replaced this long before it expires, so no request goes out with one about to lapse. */
export const REFRESH_MARGIN_MS = 5 * 60_000;
const ASSERTION_LIFETIME_S = 3600;
const TOKEN_TIMEOUT_MS = 30_000;

export interface AccessTokenSourceSettings {
  /** Reads the service account on first use (it may come from a file). */
  readonly credentials: () => ServiceAccountCredentials;
  /** @default Date.now */
  readonly now?: () => number;
}

/**
 * OAuth access tokens for a service account: a JWT signed with its private key (RS256) exchanged
 * at its `token_uri` (RFC 7523 `jwt-bearer` grant). The token is cached and replaced
 * `REFRESH_MARGIN_MS` before it expires; concurrent calls share one exchange. Every token is a
 * registered secret from the moment it arrives.
 */
export class AccessTokenSource {
  private cached: { readonly token: string; readonly expiresAt: number } | undefined;
  private pending: Promise<string> | undefined;

  constructor(private readonly settings: AccessTokenSourceSettings) {}

  async token(): Promise<string> {
    const now = this.now();
    if (this.cached && now < this.cached.expiresAt - REFRESH_MARGIN_MS) return this.cached.token;
    this.pending ??= this.mint().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private now(): number {
    return (this.settings.now ?? Date.now)();
  }

  private async mint(): Promise<string> {
    const account = this.settings.credentials();
    const tokenUri = account.token_uri ?? DEFAULT_TOKEN_URI;
    const issuedAt = Math.floor(this.now() / 1000);
    const assertion = signJwt(account, tokenUri, issuedAt);
    registerSecret(assertion);
    const form = new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion });
    let response: Response;
    try {
      // One small form POST per hour: fetch, not the JSON-only pooled client of core/http.ts.
      response = await fetch(tokenUri, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
        signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS),
        redirect: 'error',
      });
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'TimeoutError') throw new TimeoutError(`The token endpoint ${origin(tokenUri)} did not answer in ${TOKEN_TIMEOUT_MS / 1000} s. Retry later.`, { provider: VERTEX_PROVIDER, retryable: true });
      throw new NetworkError(`Could not reach the token endpoint ${origin(tokenUri)} to mint a Vertex AI access token: ${redactSecrets(String((error as Error).message ?? error))}.`, { provider: VERTEX_PROVIDER, retryable: true, cause: error });
    }
    const text = await response.text().catch(() => '');
    let body: { access_token?: unknown; expires_in?: unknown; error?: unknown; error_description?: unknown } = {};
    try {
      body = JSON.parse(text);
    } catch {
      // Named below.
    }
    if (!response.ok || typeof body.access_token !== 'string' || body.access_token === '') {
      const reason = [body.error, body.error_description].filter((item) => typeof item === 'string').join(': ') || `HTTP ${response.status}`;
      throw new AuthenticationError(
        `The token endpoint ${origin(tokenUri)} refused the service account ${account.client_email} (${redactSecrets(reason)}). Check that the key is current and the account exists.`,
        { provider: VERTEX_PROVIDER, status: response.status, retryable: response.status >= 500 },
      );
    }
    registerSecret(body.access_token);
    const lifetime = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : ASSERTION_LIFETIME_S;
    this.cached = { token: body.access_token, expiresAt: issuedAt * 1000 + lifetime * 1000 };
    return body.access_token;
  }
}

/** The RS256 JWT a service account presents for a token. */
export function signJwt(account: ServiceAccountCredentials, audience: string, issuedAt: number): string {
  const header = { alg: 'RS256', typ: 'JWT', ...(account.private_key_id ? { kid: account.private_key_id } : {}) };
  const claims = { iss: account.client_email, scope: CLOUD_PLATFORM_SCOPE, aud: audience, iat: issuedAt, exp: issuedAt + ASSERTION_LIFETIME_S };
  const unsigned = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const signature = createSign('RSA-SHA256').update(unsigned).sign(account.private_key);
  return `${unsigned}.${base64url(signature)}`;
}

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

function origin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'the configured token_uri';
  }
}
