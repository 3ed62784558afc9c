import type { ClientHeadersOptions } from './forward-headers.js';
import type { HttpRequest, ProviderWireHooks } from './http.js';

/** What every request of one protocol client shares, worked out once when the client is made. */
export interface ProviderRequestDefaults extends ProviderWireHooks {
  /** Provider name: in errors and metadata. */
  readonly provider: string;
  /** Named in the authentication error's advice, e.g. `OPENAI_API_KEY`. */
  readonly apiKeyEnv?: string;
  /** Whole-request timeout when the call sets none. @default 600000 */
  readonly timeoutMs?: number;
}

/**
 * What every protocol client (`protocols/*`) is configured with by its provider: the request
 * defaults and hooks, one base URL, the headers of each call and the backend's `maxTokens`. A
 * client's config extends this with what is its protocol's own.
 */
export interface ProtocolClientConfig extends ProviderRequestDefaults {
  /** e.g. `https://api.openai.com/v1`; the protocol appends its paths. */
  readonly baseURL: string;
  /**
   * Headers for each request, key included, built per call so a missing API key surfaces when the
   * backend is used (it may throw); given the call's options, for the client headers it forwards.
   */
  readonly headers: (options: ClientHeadersOptions) => Readonly<Record<string, string>>;
  /** Used when a call sets no `maxTokens`. @default the server's default */
  readonly defaultMaxTokens?: number;
}

/**
 * A client's request defaults, worked out once from its config: the provider's hooks first, the
 * protocol's (`protocol`) under them — its rate-limit reader when the provider has none, its error
 * mapping when the provider's maps nothing.
 */
export function protocolRequestDefaults(config: ProviderRequestDefaults, protocol: ProviderWireHooks = {}): ProviderRequestDefaults {
  const own = config.mapError;
  const fallback = protocol.mapError;
  const mapError = own && fallback ? (response: Parameters<typeof own>[0]) => own(response) ?? fallback(response) : (own ?? fallback);
  return Object.freeze({
    provider: config.provider,
    apiKeyEnv: config.apiKeyEnv,
    timeoutMs: config.timeoutMs,
    readRateLimit: config.readRateLimit ?? protocol.readRateLimit,
    mapError,
  });
}

/** The per-call part of a request: what `InferOptions` and `EmbedOptions` both have. */
export interface CallRequestOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

/**
 * One call's `HttpRequest`: the client's defaults, the call's signal and timeout. Every protocol
 * client builds its requests here. Fields, not a spread of the defaults: one object shape per
 * request, as this runs on every call.
 */
export function providerRequest(
  defaults: ProviderRequestDefaults,
  url: string,
  headers: Readonly<Record<string, string>>,
  body: unknown,
  call: CallRequestOptions,
): HttpRequest {
  return {
    provider: defaults.provider,
    url,
    headers,
    body,
    signal: call.signal,
    timeoutMs: call.timeoutMs ?? defaults.timeoutMs,
    apiKeyEnv: defaults.apiKeyEnv,
    readRateLimit: defaults.readRateLimit,
    mapError: defaults.mapError,
  };
}
