import {
  AuthenticationError,
  ContextLengthError,
  InvalidRequestError,
  NetworkError,
  OverloadedError,
  RateLimitError,
  ServerError,
  TimeoutError,
  type HyperAgentError,
} from '../../core/errors.js';

/** The failures a scripted response can simulate, each mapped to the error a real provider raises. */
export const MOCK_ERROR_KINDS = Object.freeze([
  'rate-limit',
  'auth',
  'server',
  'overloaded',
  'timeout',
  'network',
  'context-length',
  'invalid-request',
] as const);

export type MockErrorKind = (typeof MOCK_ERROR_KINDS)[number];

/** `retryAfterMs` of a scripted rate limit that does not set one. */
export const DEFAULT_RETRY_AFTER_MS = 1000;

export interface MockErrorSpec {
  readonly kind: MockErrorKind;
  /** @default a message naming the kind */
  readonly message?: string;
  /** Only the retryable kinds carry it. @default DEFAULT_RETRY_AFTER_MS for `rate-limit`, else none */
  readonly retryAfterMs?: number;
}

export function isMockErrorKind(value: unknown): value is MockErrorKind {
  return typeof value === 'string' && (MOCK_ERROR_KINDS as readonly string[]).includes(value);
}

const provider = 'mock';

function scripted(kind: MockErrorKind, what: string): string {
  return `The mock provider returned a scripted ${what} (MockResponse.error('${kind}')).`;
}

/** A fresh error per call, so every rejection has its own stack. Retryability comes from the core class. */
export function createMockError(spec: MockErrorSpec): HyperAgentError {
  const retryAfterMs = spec.retryAfterMs;
  switch (spec.kind) {
    case 'rate-limit': {
      const wait = retryAfterMs ?? DEFAULT_RETRY_AFTER_MS;
      return new RateLimitError(spec.message ?? `${scripted(spec.kind, 'rate limit (429)')} Retry after ${wait} ms.`, {
        provider,
        status: 429,
        retryAfterMs: wait,
        providerCode: 'rate_limit_exceeded',
      });
    }
    case 'auth':
      return new AuthenticationError(spec.message ?? `${scripted(spec.kind, 'authentication failure (401)')} Check the API key.`, {
        provider,
        status: 401,
        providerCode: 'invalid_api_key',
      });
    case 'server':
      return new ServerError(spec.message ?? scripted(spec.kind, 'server error (500)'), { provider, status: 500, retryAfterMs, providerCode: 'server_error' });
    case 'overloaded':
      return new OverloadedError(spec.message ?? scripted(spec.kind, 'overloaded error (529)'), {
        provider,
        status: 529,
        retryAfterMs,
        providerCode: 'overloaded_error',
      });
    case 'timeout':
      return new TimeoutError(spec.message ?? scripted(spec.kind, 'timeout'), { provider, retryAfterMs });
    case 'network':
      return new NetworkError(spec.message ?? scripted(spec.kind, 'network failure (connection reset)'), { provider, retryAfterMs, providerCode: 'ECONNRESET' });
    case 'context-length':
      return new ContextLengthError(spec.message ?? `${scripted(spec.kind, 'context length error (400)')} Shorten the conversation.`, {
        provider,
        status: 400,
        providerCode: 'context_length_exceeded',
      });
    case 'invalid-request':
      return new InvalidRequestError(spec.message ?? scripted(spec.kind, 'invalid request error (400)'), {
        provider,
        status: 400,
        providerCode: 'invalid_request_error',
      });
  }
}
