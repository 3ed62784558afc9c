import { keyFromEnv, requireApiKey } from './api-key.js';
import { checkForwardHeaders, withForwardedHeaders, type ClientHeadersOptions } from './forward-headers.js';
import { registerSecret } from './redact.js';
import type { ProviderSettings } from './provider-settings.js';

/** How a provider takes its key and which headers go with it. */
export interface CredentialsSpec {
  /** e.g. `groq`: in errors. */
  readonly provider: string;
  /** How people name the provider, e.g. `Groq`: in the missing-key message. */
  readonly label: string;
  /** e.g. `GROQ_API_KEY`, read when no `apiKey` is set. @default none: only `apiKey` */
  readonly envVar?: string;
  /** Read in turn when `envVar` is not set (Gemini: `GOOGLE_API_KEY` after `GEMINI_API_KEY`). */
  readonly fallbackEnvVars?: readonly string[];
  /** A call without a key fails with MissingApiKeyError. Local servers take none. @default true when `envVar` is set */
  readonly required?: boolean;
  /** The key's headers. @default `{ authorization: 'Bearer <key>' }` */
  readonly authHeaders?: (apiKey: string) => Record<string, string>;
  /** A credential given apart from `apiKey` (Azure's `azureADToken`), sent instead of the key. */
  readonly token?: string;
  /** The provider's own headers (from its options), after the configured ones. */
  readonly extraHeaders?: Readonly<Record<string, string>>;
}

const bearer = (apiKey: string): Record<string, string> => ({ authorization: `Bearer ${apiKey}` });

/**
 * A backend's key and the request headers that carry it, for every HTTP provider: the key is read
 * per call (it may come from the environment, so a backend without one can still answer
 * `modelInfo()`), the headers are made once per key — building them was work on every request —
 * frozen, as the same object goes out with every request. Every key is registered as a secret as
 * its headers are made, a token minted at run time too. Everything is private: logging a backend
 * (`JSON.stringify`, `util.inspect`) cannot show the key.
 */
export class ProviderCredentials {
  readonly #apiKey: string | undefined;
  readonly #env: Readonly<Record<string, string | undefined>> | undefined;
  readonly #configured: Readonly<Record<string, string>> | undefined;
  readonly #forward: readonly string[] | undefined;
  readonly #spec: CredentialsSpec;
  #last: { readonly apiKey: string | undefined; readonly headers: Readonly<Record<string, string>> } | undefined;

  constructor(settings: Pick<ProviderSettings, 'apiKey' | 'env' | 'headers' | 'forwardHeaders'>, spec: CredentialsSpec) {
    registerSecret(settings.apiKey);
    registerSecret(spec.token);
    this.#apiKey = spec.token ?? settings.apiKey;
    this.#env = settings.env;
    this.#configured = settings.headers;
    this.#forward = checkForwardHeaders(spec.label, settings.forwardHeaders);
    this.#spec = spec;
  }

  /** The environment variable the key is read from, for error advice. */
  get envVar(): string | undefined {
    return this.#spec.envVar;
  }

  /** The key to send; throws MissingApiKeyError when one is required and none is set. */
  apiKey(): string | undefined {
    const spec = this.#spec;
    if (spec.required ?? spec.envVar !== undefined) {
      return requireApiKey({ apiKey: this.#apiKey, env: this.#env, envVar: spec.envVar ?? 'the API key variable', fallbackEnvVars: spec.fallbackEnvVars, provider: spec.provider, label: spec.label });
    }
    const key = this.#apiKey || (spec.envVar === undefined ? undefined : keyFromEnv(this.#env ?? process.env, spec.envVar, spec.fallbackEnvVars)) || undefined;
    registerSecret(key);
    return key;
  }

  /**
   * The headers of a request: the configured ones, the key's, the provider's own, then those of
   * the call's `clientHeaders` that `forwardHeaders` names (never replacing one of the others).
   * Without `forwardHeaders` this is the same frozen object on every call.
   */
  headers(options?: ClientHeadersOptions): Readonly<Record<string, string>> {
    const apiKey = this.apiKey();
    if (this.#last === undefined || this.#last.apiKey !== apiKey) {
      const auth = apiKey === undefined ? {} : (this.#spec.authHeaders ?? bearer)(apiKey);
      this.#last = { apiKey, headers: Object.freeze({ ...this.#configured, ...auth, ...this.#spec.extraHeaders }) };
    }
    return this.#forward === undefined ? this.#last.headers : withForwardedHeaders(this.#last.headers, this.#forward, options?.clientHeaders);
  }

  toJSON(): Record<string, unknown> {
    return { provider: this.#spec.provider, envVar: this.#spec.envVar };
  }
}
