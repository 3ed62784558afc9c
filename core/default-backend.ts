import { isGroupBackend, type HyperAgentConfig } from './config.js';
import { missingEnvVariables, type Env } from './env.js';

/** A candidate for the default backend that was passed over, and why. */
export interface SkippedBackend {
  readonly name: string;
  /** The environment variables it needs that are unset or empty. */
  readonly missing: readonly string[];
}

export interface DefaultBackendChoice {
  readonly name: string;
  /** Earlier candidates of a `defaultBackend` list that were passed over, in list order. */
  readonly skipped: readonly SkippedBackend[];
  /** False when no candidate had all its variables: `name` is then the first one, which reports what is missing when used. */
  readonly ready: boolean;
}

/**
 * The environment variables backend `name` needs that `env` lacks: its own `${VAR}`s (those
 * without a default). A group needs nothing while one of its targets is ready; otherwise it needs
 * what its targets need. An implicit key a provider reads by itself (e.g. `OPENAI_API_KEY` with no
 * `apiKey` in the entry) is not seen: write `"apiKey": "${OPENAI_API_KEY}"` to make it count.
 */
export function backendMissingEnv(config: HyperAgentConfig, name: string, env: Env, seen: ReadonlySet<string> = new Set()): string[] {
  const entry = Object.hasOwn(config.backends, name) ? config.backends[name] : undefined;
  if (entry === undefined || seen.has(name)) return [];
  if (!isGroupBackend(entry)) {
    const { provider: _provider, ...rest } = entry;
    return missingEnvVariables(rest, env);
  }
  const inner = new Set([...seen, name]);
  const needs = entry.targets.map((target) => backendMissingEnv(config, typeof target === 'string' ? target : target.backend, env, inner));
  return needs.some((missing) => missing.length === 0) ? [] : [...new Set(needs.flat())];
}

/**
 * The backend used when none is named. `defaultBackend` is a name, or a list of names of which
 * the first whose environment variables are all set wins — `["claude", "gpt", "demo"]` picks
 * claude when ANTHROPIC_API_KEY is set, gpt when only OPENAI_API_KEY is, else demo.
 * `undefined` when the config names no default (the kernel then uses the first backend).
 */
export function chooseDefaultBackend(config: HyperAgentConfig, env: Env): DefaultBackendChoice | undefined {
  const candidates = config.defaultBackend === undefined ? [] : typeof config.defaultBackend === 'string' ? [config.defaultBackend] : config.defaultBackend;
  if (candidates.length === 0) return undefined;
  const skipped: SkippedBackend[] = [];
  for (const name of candidates) {
    const missing = backendMissingEnv(config, name, env);
    if (missing.length === 0) return { name, skipped, ready: true };
    skipped.push({ name, missing });
  }
  return { name: candidates[0], skipped: [], ready: false };
}
