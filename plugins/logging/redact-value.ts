import { REDACTED, redactSecrets } from '../../core/redact.js';

const SECRET_KEYS = new Set([
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'api-key',
  'apikey',
  'api_key',
  'cookie',
  'set-cookie',
  'password',
  'secret',
  'token',
  'access_token',
  'refresh_token',
]);

const MAX_DEPTH = 8;

/**
 * A copy of `value` fit for a log line: every string goes through `redactSecrets`, values under
 * credential-looking keys are replaced whatever they hold, and anything that is not plain data
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
    out[key] = SECRET_KEYS.has(key.toLowerCase()) ? REDACTED : redactValue(item, depth + 1);
  }
  return out;
}

/** Paths pino censors on its own too, in case a line is ever built without `redactValue`. */
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
