import { Pool, type Dispatcher } from 'undici';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { AbortError, HyperAgentError, InvalidResponseError, NetworkError, TimeoutError } from './errors.js';
import { errorFromResponse } from './http-errors.js';
import { parseRateLimitHeaders, parseRequestId, type HeaderMap } from './rate-limit-headers.js';
import type { RateLimitInfo } from './errors.js';

export interface HttpRequest {
  /** Provider name, for error messages. */
  readonly provider: string;
  readonly url: string;
  /** @default 'POST' when `body` is set, else 'GET' */
  readonly method?: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  /** Serialised as JSON. */
  readonly body?: unknown;
  readonly signal?: AbortSignal;
  /** Whole-request timeout. @default 600000 */
  readonly timeoutMs?: number;
  /** Longest silence between two chunks of a streamed body. @default 120000 */
  readonly idleTimeoutMs?: number;
  /** Named in the authentication error's advice. */
  readonly apiKeyEnv?: string;
}

export interface HttpResponseInfo {
  readonly status: number;
  readonly headers: HeaderMap;
  readonly requestId: string | undefined;
  readonly rateLimit: RateLimitInfo | undefined;
}

export interface JsonResponse<T> extends HttpResponseInfo {
  readonly body: T;
}

export interface SseEvent {
  readonly event: string | undefined;
  readonly data: string;
}

export interface SseResponse extends HttpResponseInfo {
  /** Parsed SSE events. Stop iterating to cancel the request. */
  readonly events: AsyncIterable<SseEvent>;
}

const DEFAULT_TIMEOUT_MS = 600_000;
const DEFAULT_IDLE_TIMEOUT_MS = 120_000;
const pools = new Map<string, Pool>();

/** One keep-alive pool per origin, shared by every backend in the process. */
export function poolFor(origin: string): Pool {
  let pool = pools.get(origin);
  if (!pool) {
    pool = new Pool(origin, { connections: 128, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000, connectTimeout: 30_000 });
    pools.set(origin, pool);
  }
  return pool;
}

/** Close every pool (tests, graceful shutdown). */
export async function closeAllPools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((pool) => pool.close().catch(() => undefined)));
}

interface Opened {
  readonly data: Dispatcher.ResponseData;
  readonly info: HttpResponseInfo;
  readonly cleanup: () => void;
  readonly timeoutSignal: AbortSignal;
}

async function open(request: HttpRequest, stream: boolean): Promise<Opened> {
  if (request.signal?.aborted) throw new AbortError(undefined, { provider: request.provider });
  const url = new URL(request.url);
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeoutController = new AbortController();
  const timer = setTimeout(() => timeoutController.abort(), timeoutMs);
  timer.unref?.();
  const signal = request.signal ? AbortSignal.any([request.signal, timeoutController.signal]) : timeoutController.signal;
  const cleanup = (): void => clearTimeout(timer);
  const method = request.method ?? (request.body === undefined ? 'GET' : 'POST');
  const headers: Record<string, string> = { accept: stream ? 'text/event-stream' : 'application/json', ...request.headers };
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  let data: Dispatcher.ResponseData;
  try {
    data = await poolFor(url.origin).request({
      path: `${url.pathname}${url.search}`,
      method,
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal,
      headersTimeout: timeoutMs,
      bodyTimeout: stream ? (request.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS) : timeoutMs,
    });
  } catch (error) {
    cleanup();
    throw transportError(error, request, timeoutController.signal);
  }
  const responseHeaders = data.headers as HeaderMap;
  const info: HttpResponseInfo = {
    status: data.statusCode,
    headers: responseHeaders,
    requestId: parseRequestId(responseHeaders),
    rateLimit: parseRateLimitHeaders(responseHeaders),
  };
  if (data.statusCode >= 400) {
    let text = '';
    try {
      text = await data.body.text();
    } catch {
      // The error body is a courtesy; the status alone still tells what happened.
    } finally {
      cleanup();
    }
    throw errorFromResponse({ provider: request.provider, status: data.statusCode, headers: responseHeaders, body: text, apiKeyEnv: request.apiKeyEnv });
  }
  return { data, info, cleanup, timeoutSignal: timeoutController.signal };
}

/** POST/GET a JSON endpoint. Non-2xx responses throw the typed error they mean. */
export async function requestJson<T>(request: HttpRequest): Promise<JsonResponse<T>> {
  const { data, info, cleanup, timeoutSignal } = await open(request, false);
  let text: string;
  try {
    text = await data.body.text();
  } catch (error) {
    throw transportError(error, request, timeoutSignal);
  } finally {
    cleanup();
  }
  try {
    // JSON.parse skips leading whitespace, which OpenRouter sends as keep-alive before the body.
    return { ...info, body: JSON.parse(text) as T };
  } catch {
    const snippet = text.trim().slice(0, 200);
    throw new InvalidResponseError(
      `${request.provider} answered HTTP ${info.status} with a body that is not JSON${snippet ? `: ${snippet}` : ' (empty body)'}. Check the backend's "baseURL".`,
      { provider: request.provider, status: info.status, requestId: info.requestId, retryable: info.status >= 500 },
    );
  }
}

/** POST a request whose answer is a server-sent event stream. */
export async function requestSse(request: HttpRequest): Promise<SseResponse> {
  const { data, info, cleanup, timeoutSignal } = await open(request, true);
  return { ...info, events: sseEvents(data.body, request, timeoutSignal, cleanup) };
}

async function* sseEvents(
  body: Dispatcher.ResponseData['body'],
  request: HttpRequest,
  timeoutSignal: AbortSignal,
  cleanup: () => void,
): AsyncGenerator<SseEvent> {
  const pending: SseEvent[] = [];
  const parser = createParser({
    onEvent(message: EventSourceMessage) {
      pending.push({ event: message.event, data: message.data });
    },
  });
  const decoder = new TextDecoder();
  let completed = false;
  try {
    for await (const chunk of body) {
      parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
      while (pending.length > 0) yield pending.shift() as SseEvent;
    }
    parser.feed(decoder.decode());
    // A final event without its blank line is still an event.
    parser.feed('\n\n');
    while (pending.length > 0) yield pending.shift() as SseEvent;
    completed = true;
  } catch (error) {
    throw transportError(error, request, timeoutSignal);
  } finally {
    cleanup();
    if (!completed && !body.destroyed) body.destroy();
  }
}

/** Translate undici/network failures into our typed errors. */
export function transportError(error: unknown, request: HttpRequest, timeoutSignal?: AbortSignal): HyperAgentError {
  if (error instanceof HyperAgentError) return error;
  const provider = request.provider;
  const code = (error as { code?: string } | null)?.code ?? '';
  const name = (error as { name?: string } | null)?.name ?? '';
  const message = error instanceof Error ? error.message : String(error);
  if (request.signal?.aborted) return new AbortError(undefined, { provider, cause: error });
  if (timeoutSignal?.aborted || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    const which = code === 'UND_ERR_BODY_TIMEOUT' ? 'the stream went silent' : code === 'UND_ERR_CONNECT_TIMEOUT' ? 'connecting timed out' : 'no answer in time';
    return new TimeoutError(`${provider} request to ${new URL(request.url).origin} timed out (${which}). Retry, or raise the backend's "timeoutMs".`, {
      provider,
      cause: error,
    });
  }
  if (name === 'AbortError') return new AbortError(undefined, { provider, cause: error });
  return new NetworkError(
    `Could not reach ${provider} at ${new URL(request.url).origin}: ${message}${code ? ` (${code})` : ''}. Check the network and the backend's "baseURL".`,
    { provider, cause: error },
  );
}
