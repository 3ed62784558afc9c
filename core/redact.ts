import { isSecretName } from './secret-names.js';
import { secretRegistry } from './secret-registry.js';

export { MIN_SECRET_LENGTH } from './secret-registry.js';

export const REDACTED = '[REDACTED]';

// What is hidden without having been registered: key shapes of the providers we speak to, a
// token after an auth scheme, a value after a credential-named field, URL credentials.
const KEY_SHAPE = /\bsk-(?:ant-|or-|proj-|svcacct-)?[A-Za-z0-9_-]{16,}/g;
// `Basic` only before something base64 with a digit, `+`, `/` or `=` in it: not "Basic authentication".
const AUTH_SCHEME_TOKEN = /\b([Bb]earer\s+|Basic\s+(?=[A-Za-z0-9+/]*[0-9+/=]))[A-Za-z0-9._~+/=-]{8,}/g;
// Matches the end of a longer name too (`Ocp-Apim-Subscription-Key:`, `"client_secret":`). A
// `${ENV_VAR}` reference is not a secret: keep it readable in config errors.
const NAMED_VALUE = /((?:authorization|api[_-]?key|subscription[_-]?key|token|private[_-]?key|secret|password)"?[ \t]*[:=][ \t]*"?)(?!\$\{)([^"\s,}&]{6,})/gi;
const URL_USER_INFO = /(:\/\/)[^\s/?#@"'<>]+@/g;
const QUERY_CREDENTIAL = /([?&](?:[A-Za-z0-9.]*[-_.])?(?:key|apikey|token|secret|password|passwd|signature|sig|auth|credential)=)(?!\$\{)([^&#\s"'<>]+)/gi;

/**
 * Remember a secret (an API key, a token minted from a credential, any value that must never be
 * shown) so it is redacted wherever it appears. Values shorter than `MIN_SECRET_LENGTH` are ignored.
 */
export function registerSecret(secret: string | undefined): void {
  secretRegistry.add(secret);
}

/** Replace registered secrets, API keys, auth header values and URL credentials in `text` with `[REDACTED]`. */
export function redactSecrets(text: string): string {
  let out = secretRegistry.replace(text, REDACTED);
  if (out.includes('sk-')) out = out.replace(KEY_SHAPE, REDACTED);
  out = out.replace(AUTH_SCHEME_TOKEN, `$1${REDACTED}`);
  out = out.replace(NAMED_VALUE, (_match, prefix: string, value: string) => (value === REDACTED ? `${prefix}${value}` : `${prefix}${REDACTED}`));
  out = out.replace(URL_USER_INFO, `$1${REDACTED}@`);
  if (out.includes('=')) out = out.replace(QUERY_CREDENTIAL, (match, prefix: string, value: string) => (value.startsWith(REDACTED) ? match : `${prefix}${REDACTED}`));
  return out;
}

/** A copy of `headers` with credential-bearing values replaced: by the header's name, or a secret in its value. */
export function redactHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | string[] | undefined> {
  const out: Record<string, string | string[] | undefined> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) out[name] = value;
    else if (isSecretName(name)) out[name] = REDACTED;
    else out[name] = typeof value === 'string' ? redactSecrets(value) : value.map(redactSecrets);
  }
  return out;
}
