import { MissingApiKeyError } from './errors.js';
import { registerSecret } from './redact.js';

export interface ApiKeySource {
  /** The key given in code or config. */
  readonly apiKey: string | undefined;
  /** The environment to fall back on. @default process.env */
  readonly env: Readonly<Record<string, string | undefined>> | undefined;
  /** e.g. `OPENAI_API_KEY`. */
  readonly envVar: string;
  /** Read in turn when `envVar` is not set, e.g. Gemini's `GOOGLE_API_KEY` after `GEMINI_API_KEY`. */
  readonly fallbackEnvVars?: readonly string[];
  /** e.g. `openai`. */
  readonly provider: string;
  /** How people name the provider, e.g. `OpenAI`. */
  readonly label: string;
}

/**
 * The API key to send, from the backend's `apiKey` or the environment, registered for redaction.
 * Called at request time, so a backend without a key can still answer `modelInfo()`.
 */
export function requireApiKey(source: ApiKeySource): string {
  const key = source.apiKey || keyFromEnv(source.env ?? process.env, source.envVar, source.fallbackEnvVars);
  if (!key) {
    const variables = source.fallbackEnvVars?.length ? `${source.envVar} (or ${source.fallbackEnvVars.join(' or ')})` : source.envVar;
    throw new MissingApiKeyError(`No ${source.label} API key: set ${variables} in the environment or "apiKey" on the backend in hyperagent.config.json.`, {
      provider: source.provider,
    });
  }
  registerSecret(key);
  return key;
}

/** The first of `envVar` and then `fallbacks` that is set (and not empty) in `env`. */
export function keyFromEnv(env: Readonly<Record<string, string | undefined>>, envVar: string, fallbacks: readonly string[] = []): string | undefined {
  const key = env[envVar];
  if (key) return key;
  for (const name of fallbacks) if (env[name]) return env[name];
  return undefined;
}
