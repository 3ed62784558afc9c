import { REDACTED, redactSecrets } from '../../core/redact.js';
import { isSecretName } from '../../core/secret-names.js';

const MAX_DEPTH = 8;

/**
 * A copy of `value` fit for a log line: every string goes through `redactSecrets` (registered
 * secrets, key shapes), values under credential-named keys (`isSecretName`: `authorization`,
 * `Ocp-Apim-Subscription-Key`, `privateKey`, ...) are replaced whatever they hold, and anything that is not plain data
 * (signals, streams, class instances) becomes its type name.
 */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (value === null || typeof value !== 'object') return typeof value === 'function' || typeof value === 'symbol' ? `[${typeof value}]` : value;
  if (depth >= MAX_DEPTH) return '[nested too deep]';
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return `[${value.constructor?.name ?? 'object'}]`;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[redactSecrets(key)] = isSecretName(key) ? REDACTED : redactValue(item, depth + 1);
  }
  return out;
}

/** Paths censored in every line too, in case a line is ever built without `redactValue`. */
export const PINO_REDACT_PATHS: readonly string[] = [
  'apiKey',
  '*.apiKey',
  'headers.authorization',
  'headers.Authorization',
  'headers["x-api-key"]',
  '*.headers.authorization',
  '*.headers.Authorization',
  '*.headers["x-api-key"]',
  'options.providerOptions.headers.authorization',
  'options.providerOptions.headers.Authorization',
  'options.providerOptions.headers["x-api-key"]',
];

type Fields = Record<string, unknown>;

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `headers` with its credential-named headers censored, or itself when it has none. */
function censorHeaders(headers: unknown): unknown {
  if (!isFields(headers)) return headers;
  let out: Fields | undefined;
  for (const key in headers) {
    if (headers[key] === undefined || headers[key] === REDACTED || !isSecretName(key)) continue;
    out ??= { ...headers };
    out[key] = REDACTED;
  }
  return out ?? headers;
}

/** `fields` with `apiKey` and `headers.*` censored, or itself when there is nothing to censor. */
function censorLevel(fields: Fields): Fields {
  let out: Fields | undefined;
  if (fields.apiKey !== undefined) {
    out = { ...fields };
    out.apiKey = REDACTED;
  }
  const headers = censorHeaders(fields.headers);
  if (headers !== fields.headers) {
    out ??= { ...fields };
    out.headers = headers;
  }
  return out ?? fields;
}

/**
 * Censors `PINO_REDACT_PATHS` in one log line's fields. Copies only what it changes, so a line
 * without secrets costs a scan of its top-level keys: pino's own `redact` parses its paths and
 * clones the line for every line, which cost more than writing the line.
 */
export function censorLogLine(line: Fields): Fields {
  let out = censorLevel(line);
  for (const key in line) {
    const value = line[key];
    if (!isFields(value)) continue;
    let censored = censorLevel(value);
    if (key === 'options' && isFields(censored.providerOptions)) {
      const providerOptions = censorLevel(censored.providerOptions);
      if (providerOptions !== censored.providerOptions) censored = { ...censored, providerOptions };
    }
    if (censored !== value) {
      if (out === line) out = { ...line };
      out[key] = censored;
    }
  }
  return out;
}
