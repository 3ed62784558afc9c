import type { Kernel } from '../core/kernel.js';
import { registerSecret } from '../core/redact.js';
import type { BodyLimits } from './read-body.js';

/** Where the gateway logs; pino's `logger.info(object, message)` shape, so a pino logger fits. */
export interface GatewayLogger {
  info(data: Record<string, unknown>, message: string): void;
  warn(data: Record<string, unknown>, message: string): void;
  error(data: Record<string, unknown>, message: string): void;
}

export interface CorsOptions {
  /** Origins allowed to call the gateway from a browser, e.g. `https://app.example.com`; `*` allows any. */
  readonly origins: readonly string[];
}

export interface GatewayOptions {
  /** The kernel whose named backends answer; the request's `model` is a backend name. */
  readonly kernel: Kernel;
  /** Address to bind. @default '127.0.0.1' (loopback only) */
  readonly host?: string;
  /** Port to bind; 0 picks a free one. @default 8787 */
  readonly port?: number;
  /**
   * Keys clients must send as `Authorization: Bearer <key>`, added to those in the
   * `HYPERAGENT_API_KEY` environment variable (comma-separated). @default [] (no auth)
   */
  readonly apiKeys?: readonly string[];
  /**
   * Largest request body accepted; larger ones get 413. Images come inline as base64 (4/3 of the
   * file): one full-screen retina screenshot is 5-10 MB as a PNG, so a request with a few of them
   * needs tens of MB. 32 MiB is what Anthropic's Messages API itself accepts per request; a body
   * is held in memory while it is parsed, so lower this where many such requests run at once.
   * @default 33554432 (32 MiB)
   */
  readonly maxBodyBytes?: number;
  /**
   * How much of a refused body (over `maxBodyBytes`, or compressed) is read and thrown away, in
   * all, before the refusal is answered, so that the client sees the 413/415 rather than a reset
   * connection. Nothing discarded is kept. A larger body is answered at once and the connection
   * closed (the client may then see a reset). @default 2 × maxBodyBytes, at least 64 MiB
   */
  readonly maxDiscardBytes?: number;
  /** CORS for browser clients. @default false (no CORS headers, no preflight) */
  readonly cors?: false | CorsOptions;
  /** Longest a client may take to send one whole request, headers and body (Node's `requestTimeout`). @default 30000 */
  readonly requestTimeoutMs?: number;
  /** Longest a client may take to send the request headers (Node's `headersTimeout`). @default 10000 */
  readonly headersTimeoutMs?: number;
  /** How long `close()` lets requests in flight finish before it aborts them. @default 10000 */
  readonly shutdownGraceMs?: number;
  /** @default a logger that drops everything */
  readonly logger?: GatewayLogger;
  /** Where `HYPERAGENT_API_KEY` is read from. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * How long a stored Responses API response (`store: true`) can be fetched and continued with
   * `previous_response_id`. @default 2592000000 (30 days, as OpenAI)
   */
  readonly responsesTtlMs?: number;
  /**
   * A request field the backend cannot honour (e.g. `seed` towards Anthropic) is a 400 naming it,
   * instead of an answer with an `x-hyperagent-warnings` header naming it. @default false
   */
  readonly strictParams?: boolean;
}

export interface ResolvedGatewayOptions {
  readonly kernel: Kernel;
  readonly host: string;
  readonly port: number;
  readonly apiKeys: readonly string[];
  readonly maxBodyBytes: number;
  readonly bodyLimits: BodyLimits;
  readonly cors: false | CorsOptions;
  readonly requestTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly shutdownGraceMs: number;
  readonly logger: GatewayLogger;
  readonly responsesTtlMs: number;
  readonly strictParams: boolean;
}

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 8787;
export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;
const MIN_DEFAULT_DISCARD_BYTES = 64 * 1024 * 1024;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;
export const API_KEY_ENV = 'HYPERAGENT_API_KEY';
export const DEFAULT_RESPONSES_TTL_MS = 30 * 24 * 60 * 60 * 1000;

const silent: GatewayLogger = { info() {}, warn() {}, error() {} };

function checkInteger(name: string, value: number | undefined, minimum: number, maximum = Number.MAX_SAFE_INTEGER): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < minimum || value > maximum) {
    throw new TypeError(`createGateway: option \`${name}\` must be an integer from ${minimum} to ${maximum}, received ${String(value)}.`);
  }
}

/** Defaults applied and every option checked once; a bad one is a TypeError naming it. */
export function resolveGatewayOptions(options: GatewayOptions): ResolvedGatewayOptions {
  if (!options || typeof options.kernel?.backend !== 'function') throw new TypeError('createGateway: option `kernel` must be a Kernel.');
  checkInteger('port', options.port, 0, 65535);
  checkInteger('maxBodyBytes', options.maxBodyBytes, 1);
  checkInteger('maxDiscardBytes', options.maxDiscardBytes, 0);
  checkInteger('requestTimeoutMs', options.requestTimeoutMs, 1);
  checkInteger('headersTimeoutMs', options.headersTimeoutMs, 1);
  checkInteger('shutdownGraceMs', options.shutdownGraceMs, 0);
  checkInteger('responsesTtlMs', options.responsesTtlMs, 1);
  if (options.strictParams !== undefined && typeof options.strictParams !== 'boolean') throw new TypeError('createGateway: option `strictParams` must be true or false.');
  if (options.host !== undefined && (typeof options.host !== 'string' || options.host === '')) {
    throw new TypeError('createGateway: option `host` must be a non-empty string.');
  }
  if (options.apiKeys !== undefined && (!Array.isArray(options.apiKeys) || !options.apiKeys.every((key) => typeof key === 'string'))) {
    throw new TypeError('createGateway: option `apiKeys` must be an array of strings.');
  }
  const cors = options.cors ?? false;
  if (cors !== false && (!Array.isArray(cors.origins) || !cors.origins.every((origin) => typeof origin === 'string'))) {
    throw new TypeError('createGateway: option `cors` must be false or { origins: string[] }.');
  }
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const headersTimeoutMs = options.headersTimeoutMs ?? Math.min(DEFAULT_HEADERS_TIMEOUT_MS, requestTimeoutMs);
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new TypeError(`createGateway: option \`headersTimeoutMs\` (${headersTimeoutMs}) must not exceed \`requestTimeoutMs\` (${requestTimeoutMs}).`);
  }
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const env = options.env ?? process.env;
  const fromEnv = (env[API_KEY_ENV] ?? '').split(',');
  const apiKeys = [...new Set([...(options.apiKeys ?? []), ...fromEnv].map((key) => key.trim()).filter((key) => key !== ''))];
  apiKeys.forEach(registerSecret);
  return Object.freeze({
    kernel: options.kernel,
    host: options.host ?? DEFAULT_HOST,
    port: options.port ?? DEFAULT_PORT,
    apiKeys,
    maxBodyBytes,
    bodyLimits: Object.freeze({ maxBytes: maxBodyBytes, maxDiscardBytes: options.maxDiscardBytes ?? Math.max(2 * maxBodyBytes, MIN_DEFAULT_DISCARD_BYTES) }),
    cors: cors === false ? false : Object.freeze({ origins: [...cors.origins] }),
    requestTimeoutMs,
    headersTimeoutMs,
    shutdownGraceMs: options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS,
    logger: options.logger ?? silent,
    responsesTtlMs: options.responsesTtlMs ?? DEFAULT_RESPONSES_TTL_MS,
    strictParams: options.strictParams ?? false,
  });
}
