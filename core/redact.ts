const knownSecrets = new Set<string>();

// Key shapes of the providers we speak to, so a key we were never told about is still hidden.
const SECRET_PATTERNS: readonly RegExp[] = [
  /\bsk-(?:ant-|or-|proj-|svcacct-)?[A-Za-z0-9_-]{16,}/g,
  /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
  // A `${ENV_VAR}` reference is not a secret: keep it readable in config errors.
  /("?(?:x-api-key|authorization|api[_-]?key)"?\s*[:=]\s*"?)(?!\$\{)([^"\s,}]{6,})/gi,
];

export const REDACTED = '[REDACTED]';

/** Remember a secret (an API key read from config or env) so it is redacted wherever it appears. */
export function registerSecret(secret: string | undefined): void {
  if (secret && secret.length >= 6) knownSecrets.add(secret);
}

/** Replace API keys and auth header values in `text` with `[REDACTED]`. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const secret of knownSecrets) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  out = out.replace(SECRET_PATTERNS[0], REDACTED);
  out = out.replace(SECRET_PATTERNS[1], `$1${REDACTED}`);
  out = out.replace(SECRET_PATTERNS[2], (_match, prefix: string, value: string) => (value === REDACTED ? `${prefix}${value}` : `${prefix}${REDACTED}`));
  return out;
}

const SECRET_HEADER_NAMES = new Set(['authorization', 'x-api-key', 'api-key', 'proxy-authorization', 'cookie', 'set-cookie']);

/** A copy of `headers` with credential-bearing values replaced. */
export function redactHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | string[] | undefined> {
  const out: Record<string, string | string[] | undefined> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = SECRET_HEADER_NAMES.has(name.toLowerCase()) ? REDACTED : value;
  }
  return out;
}
