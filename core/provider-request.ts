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
