import { FORBIDDEN_KEYS, joinPointer } from './config-errors.js';
import type { BackendConfig } from './define.js';
import { evaluateEnvParts, parseEnvReferences } from './env-reference.js';
import { ConfigError, MissingApiKeyError, type ConfigProblem, type HyperAgentError } from './errors.js';
import { registerSecret } from './redact.js';

export { readEnv } from './env-reference.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** Where interpolated values sit, for error messages. */
export interface EnvLocation {
  /** JSON pointer of the value, e.g. `/backends/claude`. */
  readonly path: string;
  /** The backend the value belongs to, named in the error. */
  readonly backend?: string;
}

const SECRET_HEADER = /^(authorization|proxy-authorization|x-api-key|api-key)$/i;

interface Missing {
  readonly variable: string;
  readonly path: string;
  readonly reason: string;
}

/**
 * Replace `${VAR}` and `${VAR:-default}` in every string inside `value` (objects and arrays are
 * copied, never changed); a default may hold references (`${A:-${B:-none}}`). Only the
 * environment's own variables count (`${constructor}` is unset). A variable that is unset or empty
 * and has no default is an error naming the variable and where it is used; all of them are
 * reported at once.
 */
export function interpolateEnv<T>(value: T, env: Env, where: EnvLocation | string): T {
  const location = typeof where === 'string' ? { path: where } : where;
  const missing: Missing[] = [];
  const result = substitute(value, env, location.path, missing) as T;
  if (missing.length > 0) throw missingError(missing, location);
  return result;
}

/**
 * The variables `value` needs that `env` lacks: each `${VAR}` without a default whose variable is
 * unset or empty, once, in order of appearance. The same rule `interpolateEnv` fails on, without throwing.
 */
export function missingEnvVariables(value: unknown, env: Env): string[] {
  const missing = new Set<string>();
  const visit = (item: unknown): void => {
    if (typeof item === 'string') {
      if (!item.includes('${')) return;
      let parts;
      try {
        parts = parseEnvReferences(item, '');
      } catch {
        return; // A reference that does not parse is reported where the value is used.
      }
      evaluateEnvParts(parts, env, (name) => missing.add(name));
    } else if (Array.isArray(item)) {
      item.forEach(visit);
    } else if (typeof item === 'object' && item !== null) {
      for (const [key, child] of Object.entries(item)) if (!FORBIDDEN_KEYS.has(key)) visit(child);
    }
  };
  visit(value);
  return [...missing];
}

function substitute(value: unknown, env: Env, path: string, missing: Missing[]): unknown {
  if (typeof value === 'string') return substituteString(value, env, path, missing);
  if (Array.isArray(value)) return value.map((item, index) => substitute(item, env, joinPointer(path, index), missing));
  if (typeof value === 'object' && value !== null) {
    const copy: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      if (FORBIDDEN_KEYS.has(key)) continue;
      copy[key] = substitute(child, env, joinPointer(path, key), missing);
    }
    return copy;
  }
  return value;
}

function substituteString(text: string, env: Env, path: string, missing: Missing[]): string {
  // Most strings in a config hold no reference: nothing to parse.
  if (!text.includes('${')) return text;
  return evaluateEnvParts(parseEnvReferences(text, path), env, (variable, found) => {
    missing.push({ variable, path, reason: found === '' ? 'is set but empty' : 'is not set' });
  });
}

/** Where a backend keeps its credentials: `apiKey`, and the headers that carry a key. */
function isCredentialPath(path: string, location: EnvLocation): boolean {
  if (location.backend === undefined) return false;
  const base = joinPointer('/backends', location.backend);
  if (path === `${base}/apiKey`) return true;
  const header = path.startsWith(`${base}/headers/`) ? path.slice(base.length + '/headers/'.length) : undefined;
  return header !== undefined && SECRET_HEADER.test(header);
}

/**
 * A backend whose only missing variables hold its credentials has no API key: a
 * MissingApiKeyError, which a fallback group can move on from (`fallbackOn: ["authentication"]`),
 * as from a provider's own missing-key error. Anything else missing is a ConfigError.
 */
function missingError(missing: readonly Missing[], location: EnvLocation): HyperAgentError {
  const owner = location.backend !== undefined ? `backend "${location.backend}": ` : '';
  const problems: ConfigProblem[] = missing.map((m) => ({ path: m.path, message: `environment variable ${m.variable} ${m.reason}` }));
  let message: string;
  if (missing.length === 1) {
    const [m] = missing;
    message = `${owner}environment variable ${m.variable} ${m.reason} (used at ${m.path}). Set it or remove the key.`;
  } else {
    const variables = [...new Set(missing.map((m) => m.variable))].join(', ');
    const paths = missing.map((m) => m.path).join(', ');
    message = `${owner}environment variables ${variables} are not set (used at ${paths}). Set them or remove the keys.`;
  }
  if (missing.every((m) => isCredentialPath(m.path, location))) return new MissingApiKeyError(message);
  return new ConfigError(message, problems);
}

/**
 * The backend's config as its provider receives it: `${VAR}`s resolved from `env`. Called when the
 * backend is first used, so a variable only needed by an unused backend is never required.
 * `provider` is left as written: it was resolved when the config was loaded.
 */
export function resolveBackendConfig(name: string, entry: BackendConfig, env: Env): BackendConfig {
  const { provider, ...rest } = entry;
  const resolved = interpolateEnv(rest, env, { path: joinPointer('/backends', name), backend: name });
  registerSecret(resolved.apiKey);
  for (const [header, value] of Object.entries(resolved.headers ?? {})) {
    if (SECRET_HEADER.test(header)) registerSecret(value.replace(/^Bearer\s+/i, ''));
  }
  return deepFreeze({ provider, ...resolved });
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
