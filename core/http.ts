import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import type { Dispatcher, Pool } from 'undici';
import { createParser, type EventSourceParser } from 'eventsource-parser';
import { AbortError, HyperAgentError, InvalidRequestError, InvalidResponseError, NetworkError, TimeoutError } from './errors.js';
import { mapErrorResponse, type ProviderErrorMapper } from './http-errors.js';
import { SourceIterator, type PullSource } from './pull-source.js';
import { header, parseRequestId, type HeaderMap, type RateLimitHeaderReader } from './rate-limit-headers.js';
import type { RateLimitInfo } from './errors.js';
import { redactSecrets } from './redact.js';
import { secretRegistry } from './secret-registry.js';
import { timerDelay } from './timer-delay.js';

/**
 * What a provider brings to the HTTP layer of its own: how its rate-limit headers read and how its
 * error bodies map. Protocol clients take these and pass them to every request and every error
 * found inside a 2xx body or a stream, so a third-party provider does what a built-in does.
 */
export interface ProviderWireHooks {
  /** The provider's rate-limit headers, read into `rateLimit` (and an error's). @default none read */
  readonly readRateLimit?: RateLimitHeaderReader;
  /** The provider's own error mapping, tried before the generic one. */
  readonly mapError?: ProviderErrorMapper;
}

export interface HttpRequest extends ProviderWireHooks {
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
  readonly event?: string | undefined;
  readonly data: string;
}

export interface SseResponse extends HttpResponseInfo {
  /** Parsed SSE events, read once: with `for await`, or as a pull source. Stop early to cancel the request. */
  readonly events: AsyncIterable<SseEvent> & PullSource<SseEvent>;
}

const DEFAULT_TIMEOUT_MS = 600_000;
const DEFAULT_IDLE_TIMEOUT_MS = 120_000;
const pools = new Map<string, Pool>();

// undici takes longer to load than the rest of a cold start together, so it loads with the first
// pool, when the first request goes out, not when a program merely imports HyperAgent.
const require = createRequire(import.meta.url);
let PoolClass: typeof Pool | undefined;

/** One keep-alive pool per origin, shared by every backend in the process. */
export function poolFor(origin: string): Pool {
  let pool = pools.get(origin);
  if (!pool) {
    PoolClass ??= (require('undici') as typeof import('undici')).Pool;
    pool = new PoolClass(origin, { connections: 128, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000, connectTimeout: 30_000 });
    pools.set(origin, pool);
  }
  return pool;
}

/** Close every pool (tests, graceful shutdown). */
export async function closeAllPools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  targets.clear();
  await Promise.all(all.map((pool) => pool.close().catch(() => undefined)));
}

interface Opened {
  readonly data: Dispatcher.ResponseData;
  readonly info: HttpResponseInfo;
  readonly deadline: RequestDeadline;
}

/**
 * Cancels a request when the caller's signal aborts or its whole-request timeout passes. undici
 * takes any EventTarget-like signal, and this costs a timer and an object per request where an
 * AbortController plus `AbortSignal.any` cost several, with listeners to match.
 */
class RequestDeadline {
  aborted = false;
  reason: unknown = undefined;
  /** True when the timeout, not the caller, aborted the request. */
  timedOut = false;
  private listener: (() => void) | undefined;
  private readonly timer: ReturnType<typeof setTimeout>;
  private readonly onCallerAbort: (() => void) | undefined;

  constructor(
    timeoutMs: number,
    private readonly caller: AbortSignal | undefined,
  ) {
    this.timer = setTimeout(() => this.abort(true, new DOMException('The request timed out.', 'TimeoutError')), timerDelay(timeoutMs));
    this.timer.unref?.();
    if (caller) {
      this.onCallerAbort = () => this.abort(false, caller.reason);
      caller.addEventListener('abort', this.onCallerAbort, { once: true });
    }
  }

  addEventListener(_type: 'abort', listener: () => void): void {
    this.listener = listener;
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    if (this.listener === listener) this.listener = undefined;
  }

  /** The request is over: stop the timer and stop listening to the caller. */
  dispose(): void {
    clearTimeout(this.timer);
    if (this.onCallerAbort) this.caller?.removeEventListener('abort', this.onCallerAbort);
  }

  private abort(timedOut: boolean, reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.timedOut = timedOut;
    this.reason = reason;
    this.dispose();
    this.listener?.();
  }
}

interface Target {
  readonly pool: Pool;
  readonly path: string;
  /** `Basic …` from the URL's `user:password@`, which the pool (one per origin) would otherwise drop. */
  readonly authorization: string | undefined;
}

const targets = new Map<string, Target>();
const MAX_TARGETS = 256;

/** The pool and path of a URL, parsed once: backends call the same few URLs over and over. */
function targetOf(url: string): Target {
  let target = targets.get(url);
  if (target === undefined) {
    const parsed = new URL(url);
    const userInfo = parsed.username || parsed.password ? `${decodeURL(parsed.username)}:${decodeURL(parsed.password)}` : undefined;
    const authorization = userInfo === undefined ? undefined : `Basic ${Buffer.from(userInfo).toString('base64')}`;
    target = { pool: poolFor(parsed.origin), path: `${parsed.pathname}${parsed.search}`, authorization };
    if (targets.size >= MAX_TARGETS) targets.clear();
    targets.set(url, target);
  }
  return target;
}

async function open(request: HttpRequest, stream: boolean): Promise<Opened> {
  if (request.signal?.aborted) throw new AbortError(undefined, { provider: request.provider });
  const target = targetOf(request.url);
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = new RequestDeadline(timeoutMs, request.signal);
  const method = request.method ?? (request.body === undefined ? 'GET' : 'POST');
  // Without accept-encoding any coding is acceptable (RFC 9110): ask for none, so SSE is never held back by a compressor.
  const headers: Record<string, string> = { accept: stream ? 'text/event-stream' : 'application/json', 'accept-encoding': 'identity', ...request.headers };
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  if (target.authorization !== undefined && !hasHeader(headers, 'authorization')) headers.authorization = target.authorization;
  let data: Dispatcher.ResponseData;
  try {
    data = await target.pool.request({
      path: target.path,
      method,
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: deadline,
      headersTimeout: timeoutMs,
      bodyTimeout: stream ? (request.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS) : timeoutMs,
    });
  } catch (error) {
    deadline.dispose();
    throw transportError(error, request, deadline);
  }
  data = decodeContent(data);
  const responseHeaders = data.headers as HeaderMap;
  const requestId = parseRequestId(responseHeaders);
  const info: HttpResponseInfo = {
    status: data.statusCode,
    headers: responseHeaders,
    // An id is shown to people (metadata, errors): one that echoes a credential is not.
    requestId: requestId !== undefined && secretRegistry.foundIn(requestId) ? redactSecrets(requestId) : requestId,
    rateLimit: request.readRateLimit?.(responseHeaders),
  };
  if (data.statusCode >= 300 && data.statusCode < 400) {
    await discard(data.body);
    deadline.dispose();
    throw redirectError(request, info);
  }
  if (data.statusCode >= 400) {
    let text = '';
    try {
      text = await data.body.text();
    } catch {
      // The error body is a courtesy; the status alone still tells what happened.
    } finally {
      deadline.dispose();
    }
    throw mapErrorResponse(
      { provider: request.provider, status: data.statusCode, headers: responseHeaders, body: text, apiKeyEnv: request.apiKeyEnv, readRateLimit: request.readRateLimit },
      request.mapError,
    );
  }
  return { data, info, deadline };
}

function decodeURL(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Read and drop a body we do not use, so its connection can be reused. */
async function discard(body: Dispatcher.ResponseData['body']): Promise<void> {
  const readable = body as Partial<Dispatcher.ResponseData['body']> & Readable;
  if (typeof readable.dump === 'function') await readable.dump({ limit: DRAIN_LIMIT_BYTES }).catch(ignore);
  else readable.on('error', ignore).destroy();
}

function hasHeader(headers: Readonly<Record<string, string>>, name: string): boolean {
  for (const key in headers) if (key.toLowerCase() === name) return true;
  return false;
}

/**
 * Redirects are not followed: the request's credentials would go to wherever `Location` points.
 * The `Location` is named (redacted: it may echo a key) so the user can fix the `baseURL`.
 */
function redirectError(request: HttpRequest, info: HttpResponseInfo): HyperAgentError {
  const location = header(info.headers, 'location');
  const where = location === undefined ? 'with no Location' : `to ${redactSecrets(location)}`;
  return new InvalidRequestError(
    `${request.provider} answered HTTP ${info.status}, a redirect ${where}. HyperAgent does not follow redirects (the request's credentials would go along): set the backend's "baseURL" to the address the provider answers at.`,
    { provider: request.provider, status: info.status, requestId: info.requestId, retryable: false },
  );
}

/** POST/GET a JSON endpoint. Non-2xx responses throw the typed error they mean. */
export async function requestJson<T>(request: HttpRequest): Promise<JsonResponse<T>> {
  const { data, info, deadline } = await open(request, false);
  let text: string;
  try {
    text = await data.body.text();
  } catch (error) {
    throw transportError(error, request, deadline);
  } finally {
    deadline.dispose();
  }
  let body: T;
  try {
    // JSON.parse skips leading whitespace, which OpenRouter sends as keep-alive before the body.
    body = JSON.parse(text) as T;
  } catch {
    // Redacted before it is cut: a key across the cut would otherwise leave its first half.
    const snippet = redactSecrets(text.trim().slice(0, 4096)).slice(0, 200);
    throw new InvalidResponseError(
      `${request.provider} answered HTTP ${info.status} with a body that is not JSON${snippet ? `: ${snippet}` : ' (empty body)'}. Check the backend's "baseURL".`,
      { provider: request.provider, status: info.status, requestId: info.requestId, retryable: info.status >= 500 },
    );
  }
  return { status: info.status, headers: info.headers, requestId: info.requestId, rateLimit: info.rateLimit, body };
}

/** POST a request whose answer is a server-sent event stream. */
export async function requestSse(request: HttpRequest): Promise<SseResponse> {
  const { data, info, deadline } = await open(request, true);
  return { status: info.status, headers: info.headers, requestId: info.requestId, rateLimit: info.rateLimit, events: new SseSource(data.body, request, deadline) };
}

/**
 * POST a request whose streamed answer is not SSE (Ollama's NDJSON): its body's byte chunks as a pull
 * source, for a protocol's own synchronous framing transform. Errors, timeouts and redirects as `requestSse`.
 */
export async function requestBytes(request: HttpRequest): Promise<HttpResponseInfo & { readonly bytes: PullSource<Uint8Array> }> {
  const { data, info, deadline } = await open(request, true);
  return { status: info.status, headers: info.headers, requestId: info.requestId, rateLimit: info.rateLimit, bytes: new ByteSource(data.body, request, deadline) };
}

const ignore = (): void => {};

/** Past this many bytes, the rest of a stream that is no longer read is cut off rather than drained. */
const DRAIN_LIMIT_BYTES = 64 * 1024;

/** A body's byte chunks, read as SseSource reads them (paused mode, drained once the reader has its last event). */
class ByteSource implements PullSource<Uint8Array> {
  private pending: Uint8Array | undefined;
  private readonly sse: SseSource;

  constructor(body: Dispatcher.ResponseData['body'], request: HttpRequest, deadline: RequestDeadline) {
    // The SSE source does the reading, waiting, draining and cancelling; its parser is replaced by a byte hand-off.
    this.sse = new SseSource(body, request, deadline, (chunk) => void (this.pending = chunk));
  }

  take(): Uint8Array | undefined {
    const chunk = this.pending;
    this.pending = undefined;
    return chunk;
  }

  async fill(): Promise<boolean> {
    if (this.pending !== undefined) return true;
    await this.sse.fill();
    return this.pending !== undefined;
  }

  close(): Promise<void> {
    return this.sse.close();
  }

  release(): Promise<void> {
    return this.sse.release();
  }
}

/**
 * The SSE events of a response body, parsed as the bytes arrive: `take()` hands out the events of
 * what was already read without waiting. Also an async iterable, for plain `for await`. The body is
 * read with `read()` in paused mode (not its async iterator), so a body whose last event we have
 * can still be drained and its connection kept.
 */
class SseSource implements PullSource<SseEvent>, AsyncIterable<SseEvent> {
  private readonly queue: SseEvent[] = [];
  private head = 0;
  private readonly decoder = new TextDecoder();
  private readonly parser: EventSourceParser;
  private open = true;
  private ended = false;

  constructor(
    private readonly body: Dispatcher.ResponseData['body'],
    private readonly request: HttpRequest,
    private readonly deadline: RequestDeadline,
    /** Byte mode (ByteSource): each chunk goes here, unparsed, and `fill` returns with it. */
    private readonly onBytes?: (chunk: Uint8Array) => void,
  ) {
    // eventsource-parser makes one fresh object per event; it is handed on as is.
    this.parser = createParser({ onEvent: (message) => void this.queue.push(message) });
  }

  [Symbol.asyncIterator](): AsyncIterator<SseEvent> {
    return new SourceIterator(this);
  }

  take(): SseEvent | undefined {
    return this.head < this.queue.length ? this.queue[this.head++] : undefined;
  }

  async fill(): Promise<boolean> {
    while (this.head >= this.queue.length) {
      if (!this.open) return false;
      this.queue.length = 0;
      this.head = 0;
      const chunk = this.body.read() as Uint8Array | null;
      if (chunk !== null && this.onBytes !== undefined) {
        if (chunk.length === 0) continue;
        this.onBytes(chunk);
        return true;
      } else if (chunk !== null) {
        this.parser.feed(this.decoder.decode(chunk, { stream: true }));
      } else if (this.ended) {
        this.parser.feed(this.decoder.decode());
        // A final event without its blank line is still an event.
        this.parser.feed('\n\n');
        this.finish(true);
      } else {
        try {
          await this.readable();
        } catch (error) {
          this.finish(false);
          throw transportError(error, this.request, this.deadline);
        }
      }
    }
    return true;
  }

  /** Stop reading: the request is cancelled. */
  async close(): Promise<void> {
    if (this.open) this.finish(false);
  }

  /** The reader has its terminal event: let the body's last bytes arrive so the connection is reused. */
  async release(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    this.deadline.dispose();
    const body = this.body as Partial<Dispatcher.ResponseData['body']> & Readable;
    if (body.destroyed) return;
    // A decoded (decompressed) body is a plain stream without undici's `dump`: cut it off.
    if (typeof body.dump === 'function') await body.dump({ limit: DRAIN_LIMIT_BYTES }).catch(ignore);
    else body.on('error', ignore).destroy();
  }

  /** Resolves when `read()` may return more, or the body ended; rejects when it failed. */
  private readable(): Promise<void> {
    const body = this.body;
    return new Promise<void>((resolve, reject) => {
      const settle = (error?: unknown): void => {
        body.off('readable', onReadable);
        body.off('end', onEnd);
        body.off('error', settle);
        body.off('close', onClose);
        if (error === undefined) resolve();
        else reject(error);
      };
      const onReadable = (): void => settle();
      const onEnd = (): void => {
        this.ended = true;
        settle();
      };
      const onClose = (): void => {
        if (body.readableEnded) onEnd();
        else settle(body.errored ?? new Error('the response body closed before it ended'));
      };
      body.on('readable', onReadable);
      body.on('end', onEnd);
      body.on('error', settle);
      body.on('close', onClose);
    });
  }

  private finish(completed: boolean): void {
    this.open = false;
    this.deadline.dispose();
    // Cancelling: undici then emits an AbortError on the body, which nobody reads any more.
    if (!completed && !this.body.destroyed) this.body.on('error', ignore).destroy();
  }
}

// node:zlib and node:stream load when a compressed body first arrives: most programs never see one,
// and loading them up front is a measurable part of a cold start.
const zlib = (): typeof import('node:zlib') => require('node:zlib');
const DECODERS: Readonly<Record<string, () => NodeJS.ReadWriteStream>> = {
  gzip: () => zlib().createGunzip(),
  'x-gzip': () => zlib().createGunzip(),
  deflate: () => zlib().createInflate(),
  br: () => zlib().createBrotliDecompress(),
};

/**
 * Undo a `content-encoding` the server applied although we asked for `identity` (some proxies
 * compress anyway); undici's `request` does not. The decoded body keeps the `text()` we use.
 */
function decodeContent(data: Dispatcher.ResponseData): Dispatcher.ResponseData {
  const encoding = header(data.headers as HeaderMap, 'content-encoding')?.trim().toLowerCase();
  const decoder = encoding === undefined ? undefined : DECODERS[encoding];
  if (decoder === undefined) return data;
  const { pipeline } = require('node:stream') as typeof import('node:stream');
  const { text: readText } = require('node:stream/consumers') as typeof import('node:stream/consumers');
  const decoded = pipeline(data.body, decoder(), () => undefined) as unknown as Readable;
  const body = Object.assign(decoded, { text: () => readText(decoded) });
  return { ...data, body: body as unknown as Dispatcher.ResponseData['body'] };
}

/** Translate undici/network failures into our typed errors. */
export function transportError(error: unknown, request: HttpRequest, deadline?: { readonly timedOut: boolean }): HyperAgentError {
  if (error instanceof HyperAgentError) return error;
  const provider = request.provider;
  const code = (error as { code?: string } | null)?.code ?? '';
  const name = (error as { name?: string } | null)?.name ?? '';
  const message = error instanceof Error ? error.message : String(error);
  if (request.signal?.aborted) return new AbortError(undefined, { provider, cause: error });
  if (deadline?.timedOut || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    const which = code === 'UND_ERR_BODY_TIMEOUT' ? 'the stream went silent' : code === 'UND_ERR_CONNECT_TIMEOUT' ? 'connecting timed out' : 'no answer in time';
    return new TimeoutError(`${provider} request to ${new URL(request.url).origin} timed out (${which}). Retry, or raise the backend's "timeoutMs".`, {
      provider,
      cause: error,
    });
  }
  if (name === 'AbortError') return new AbortError(undefined, { provider, cause: error });
  if (code.startsWith('Z_') || code.startsWith('ERR__ERROR')) {
    return new InvalidResponseError(`${provider} sent a compressed body that does not decompress: ${message}. Check the backend's "baseURL".`, { provider, cause: error });
  }
  return new NetworkError(
    `Could not reach ${provider} at ${new URL(request.url).origin}: ${message}${code ? ` (${code})` : ''}. Check the network and the backend's "baseURL".`,
    { provider, cause: error },
  );
}
