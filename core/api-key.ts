import { MissingApiKeyError } from './errors.js';
import { registerSecret } from './redact.js';

export interface ApiKeySource {
  /** The key given in code or config. */
  readonly apiKey: string | undefined;
  /** The environment to fall back on. @default process.env */
  readonly env: Readonly<Record<string, string | undefined>> | undefined;
  /** e.g. `OPENAI_API_KEY`. */
  readonly envVar: string;
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
  const key = source.apiKey || (source.env ?? process.env)[source.envVar];
  if (!key) {
    throw new MissingApiKeyError(`No ${source.label} API key: set ${source.envVar} in the environment or "apiKey" on the backend in hyperagent.config.json.`, {
      provider: source.provider,
    });
  }
  registerSecret(key);
  return key;
}
