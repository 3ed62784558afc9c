import type { HttpRequest } from '../../core/http.js';

/** The Messages API paths a front end may send a body of its own to. */
export type AnthropicWirePath = 'messages' | 'messages/count_tokens';

export interface AnthropicWireRequestOptions {
  readonly signal?: AbortSignal;
  /** Sent after the backend's own headers (never replacing its key); `anthropic-beta` lists are joined. */
  readonly headers?: Readonly<Record<string, string>>;
  /** @default the backend's timeout */
  readonly timeoutMs?: number;
}

/**
 * A backend that speaks the Messages API to its own base URL and will send a body it did not build:
 * what lets the gateway forward an Anthropic client's request as it came (only the model replaced).
 */
export interface AnthropicWireEndpoint {
  readonly provider: string;
  /** The model the backend sends when a call names none. */
  readonly model: string;
  anthropicWireRequest(path: AnthropicWirePath, body: unknown, options?: AnthropicWireRequestOptions): HttpRequest;
}

export function isAnthropicWireEndpoint(backend: unknown): backend is AnthropicWireEndpoint {
  const candidate = backend as Partial<AnthropicWireEndpoint> | null;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.anthropicWireRequest === 'function' && typeof candidate.model === 'string';
}
