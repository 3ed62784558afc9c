import { checkForwardHeaders } from './forward-headers.js';
import { redactSecrets } from './redact.js';
import { registerSettingsSecrets } from './secret-sources.js';
import type { RateLimits } from './types.js';

/**
 * What every HTTP provider's constructor takes besides its own options (the same fields a backend
 * has in hyperagent.config.json). `model` is left to each provider, which types its known ids.
 */
export interface ProviderSettings {
  /** @default the provider's API-key environment variable, read when the backend is first used */
  readonly apiKey?: string;
  /** @default the provider's public API */
  readonly baseURL?: string;
  /** Default `maxTokens` for calls that set none. @default the model's default */
  readonly maxTokens?: number;
  /** Limits for the rate-limit plugin. @default the provider's documented limits, where it has any */
  readonly rateLimits?: RateLimits;
  /** Whole-request timeout in milliseconds. @default 600000 */
  readonly timeoutMs?: number;
  /** Extra HTTP headers sent with every request. Every value is registered as a secret. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Where the API key is read from when `apiKey` is not given. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Gateway client request headers (`InferOptions.clientHeaders`) to send upstream when present,
   * e.g. `['anthropic-beta']`: names in any case, credential headers refused (core/forward-headers.ts).
   * Never replaces a header the backend sends itself. @default none
   */
  readonly forwardHeaders?: readonly string[];
}

function positive(owner: string, name: string, value: unknown, integer: boolean): void {
  const ok = typeof value === 'number' && Number.isFinite(value) && value > 0 && (!integer || Number.isInteger(value));
  if (!ok) throw new TypeError(`${owner}: \`${name}\` must be a positive ${integer ? 'integer' : 'number'}, got ${String(value)}.`);
}

/**
 * Registers the settings' credentials (`apiKey`, every `headers` value, `user:password@` and
 * credential query parameters of `baseURL`) as secrets, then throws a TypeError naming the first
 * bad shared setting (a ConfigError for `forwardHeaders`): `owner` is the class, e.g. `OpenAIProvider`. Every HTTP provider calls it
 * first thing, so a backend made in code registers what one made from a config does.
 */
export function checkProviderSettings(owner: string, settings: ProviderSettings): void {
  registerSettingsSecrets(settings);
  if (settings.maxTokens !== undefined) positive(owner, 'maxTokens', settings.maxTokens, true);
  if (settings.timeoutMs !== undefined) positive(owner, 'timeoutMs', settings.timeoutMs, false);
  if (settings.rateLimits?.rpm !== undefined) positive(owner, 'rateLimits.rpm', settings.rateLimits.rpm, false);
  if (settings.rateLimits?.tpm !== undefined) positive(owner, 'rateLimits.tpm', settings.rateLimits.tpm, false);
  checkForwardHeaders(owner, settings.forwardHeaders);
  if (settings.baseURL !== undefined) {
    try {
      new URL(settings.baseURL);
    } catch {
      throw new TypeError(`${owner}: \`baseURL\` must be an absolute URL, got ${redactSecrets(JSON.stringify(settings.baseURL))}.`);
    }
  }
}

/** The limits a `withRateLimits(rpm, tpm)` builder sets, checked. */
export function withRateLimitsChecked(owner: string, current: RateLimits | undefined, rpm: number, tpm: number): RateLimits {
  positive(owner, 'rpm', rpm, false);
  positive(owner, 'tpm', tpm, false);
  return { ...current, rpm, tpm };
}

/**
 * A provider constructor's settings from a config entry: the shared fields, the entry's `options`
 * spread in (they never shadow the shared ones), and the environment the config was loaded with.
 */
export function settingsFromBackendConfig<Options extends object>(
  config: {
    readonly model?: string;
    readonly apiKey?: string;
    readonly baseURL?: string;
    readonly maxTokens?: number;
    readonly rateLimits?: RateLimits;
    readonly timeoutMs?: number;
    readonly headers?: Readonly<Record<string, string>>;
    readonly options?: Options;
  },
  context?: { readonly env?: Readonly<Record<string, string | undefined>> },
): ProviderSettings & Partial<Options> & { readonly model?: string } {
  return {
    ...config.options,
    apiKey: config.apiKey,
    model: config.model,
    baseURL: config.baseURL,
    maxTokens: config.maxTokens,
    rateLimits: config.rateLimits,
    timeoutMs: config.timeoutMs,
    headers: config.headers,
    env: context?.env,
  } as ProviderSettings & Partial<Options> & { readonly model?: string };
}
