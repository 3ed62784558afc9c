import { ConfigError } from './errors.js';

/**
 * Never forwarded, whatever a backend's `forwardHeaders` says: a gateway client's credential must
 * not reach an upstream, and an upstream's credential is the backend's own.
 */
export const CREDENTIAL_HEADERS: readonly string[] = Object.freeze(['authorization', 'x-api-key', 'api-key', 'cookie', 'proxy-authorization', 'x-goog-api-key']);

/** What a call's options carry for header forwarding (`InferOptions` has it; `EmbedOptions` may not). */
export interface ClientHeadersOptions {
  /** The gateway client's request headers: see `InferOptions.clientHeaders`. */
  readonly clientHeaders?: Readonly<Record<string, string>>;
}

const CREDENTIALS = new Set(CREDENTIAL_HEADERS);
/** An HTTP field name (RFC 9110 `token`). */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Any case of `name`, as a regular expression: JSON schema patterns take no flags. */
const anyCase = (name: string): string => [...name].map((char) => (/[a-z]/.test(char) ? `[${char}${char.toUpperCase()}]` : char)).join('');

/** The `forwardHeaders` option, for every provider's options schema (spread into its `properties`). */
export const FORWARD_HEADERS_OPTIONS_PROPERTIES = Object.freeze({
  forwardHeaders: {
    type: 'array',
    items: { type: 'string', pattern: `^(?!(?:${CREDENTIAL_HEADERS.map(anyCase).join('|')})$)[!#$%&'*+.^_\`|~0-9A-Za-z-]+$` },
    description: `Gateway client request headers this backend forwards upstream (e.g. anthropic-beta), when the client sent them. Never ${CREDENTIAL_HEADERS.join(', ')}.`,
  },
});

/**
 * A backend's `forwardHeaders`, checked: every entry an HTTP header name, lowercased (the gateway
 * hands client headers over lowercased), no credential header. Undefined when none are named, so
 * a backend without the setting pays one `undefined` check per request.
 * @throws ConfigError naming the entry, e.g. `/options/forwardHeaders/1`
 */
export function checkForwardHeaders(owner: string, value: unknown): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    throw new ConfigError(`${owner}: \`forwardHeaders\` must be an array of header names, got ${typeof value}.`, [{ path: '/options/forwardHeaders', message: 'must be array' }]);
  }
  const names = new Set<string>();
  value.forEach((entry: unknown, index) => {
    const path = `/options/forwardHeaders/${index}`;
    if (typeof entry !== 'string' || !TOKEN.test(entry)) {
      throw new ConfigError(`${owner}: \`forwardHeaders[${index}]\` must be an HTTP header name, got ${JSON.stringify(entry)}.`, [{ path, message: 'must be a header name' }]);
    }
    const name = entry.toLowerCase();
    if (CREDENTIALS.has(name)) {
      throw new ConfigError(
        `${owner}: \`forwardHeaders[${index}]\` is "${entry}", a credential header: a gateway client's credentials are never sent upstream. Set the backend's own key with "apiKey" (or "headers").`,
        [{ path, message: 'credential header refused' }],
      );
    }
    names.add(name);
  });
  return names.size === 0 ? undefined : Object.freeze([...names]);
}

/**
 * `headers` plus each of `names` (none when undefined) the client sent, in a new object. A header the backend already
 * sends (its key, the configured `headers`, the provider's own) is never replaced: the backend's
 * configuration wins over a client. Returns `headers` itself when nothing is added.
 */
export function withForwardedHeaders(
  headers: Readonly<Record<string, string>>,
  names: readonly string[] | undefined,
  client: Readonly<Record<string, string>> | undefined,
): Readonly<Record<string, string>> {
  if (names === undefined || client === undefined) return headers;
  let out: Record<string, string> | undefined;
  for (const name of names) {
    const value = client[name];
    if (typeof value !== 'string' || hasHeader(headers, name)) continue;
    (out ??= { ...headers })[name] = value;
  }
  return out ?? headers;
}

function hasHeader(headers: Readonly<Record<string, string>>, lower: string): boolean {
  for (const key in headers) if (key.toLowerCase() === lower) return true;
  return false;
}
