import { isSecretName } from './secret-names.js';
import { secretRegistry } from './secret-registry.js';

/** What a backend is configured with that can carry a credential (a backend config or provider settings). */
export interface SecretCarrier {
  readonly apiKey?: string | undefined;
  readonly baseURL?: string | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

/**
 * Registers every credential a backend's settings carry: the API key, every header value (a
 * header's name does not tell whether it is a credential: `Ocp-Apim-Subscription-Key`,
 * `x-goog-api-key`, a proxy's own), and the credentials in its `baseURL`.
 */
export function registerSettingsSecrets(settings: SecretCarrier | undefined): void {
  if (!settings) return;
  secretRegistry.add(settings.apiKey);
  if (settings.headers !== null && typeof settings.headers === 'object') {
    for (const value of Object.values(settings.headers)) if (typeof value === 'string') registerHeaderValue(value);
  }
  if (typeof settings.baseURL === 'string') registerUrlSecrets(settings.baseURL);
}

const AUTH_SCHEME = /^(Bearer|Basic|Token|Key|ApiKey|SharedKey|SSWS)\s+(\S+)$/i;

/** A header value, and the token after its auth scheme (`Bearer …`); for `Basic`, the decoded user and password too. */
export function registerHeaderValue(value: string): void {
  secretRegistry.add(value);
  const scheme = AUTH_SCHEME.exec(value.trim());
  if (!scheme) return;
  secretRegistry.add(scheme[2]);
  if (scheme[1].toLowerCase() === 'basic') registerUserInfo(Buffer.from(scheme[2], 'base64').toString('utf8'));
}

/** `user:password` as it is written and each half. */
function registerUserInfo(userInfo: string): void {
  const colon = userInfo.indexOf(':');
  if (colon < 0) return secretRegistry.add(userInfo);
  secretRegistry.add(userInfo);
  secretRegistry.add(userInfo.slice(0, colon));
  secretRegistry.add(userInfo.slice(colon + 1));
}

/**
 * The credentials in a URL: `user:password@`, and the values of query parameters named like one
 * (`?key=` for Google, `api-key=`, `token=`, `sig=` for Azure SAS), as written and decoded.
 */
export function registerUrlSecrets(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return;
  }
  if (parsed.username || parsed.password) {
    secretRegistry.add(parsed.username);
    secretRegistry.add(parsed.password);
    secretRegistry.add(safeDecode(parsed.username));
    secretRegistry.add(safeDecode(parsed.password));
    const userInfo = `${safeDecode(parsed.username)}:${safeDecode(parsed.password)}`;
    secretRegistry.add(userInfo);
    // As it goes out: http.ts sends it as `authorization: Basic …`.
    secretRegistry.add(Buffer.from(userInfo).toString('base64'));
  }
  for (const [name, value] of parsed.searchParams) if (isSecretName(name)) secretRegistry.add(value);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
