import type { Dispatcher } from 'undici';
import { AbortError, InvalidRequestError, InvalidResponseError } from '../../core/errors.js';
import { errorFromResponse, type ErrorResponse } from '../../core/http-errors.js';
import { poolFor, transportError } from '../../core/http.js';
import type { PullSource } from '../../core/pull-source.js';
import type { HeaderMap } from '../../core/rate-limit-headers.js';
import { redactSecrets } from '../../core/redact.js';
import { timerDelay } from '../../core/timer-delay.js';
import type { HyperAgentError } from '../../core/errors.js';
import { bedrockRequestId } from '../../protocols/bedrock-converse/index.js';
import { ByteBodySource } from './byte-body-source.js';

/**
 * One request to Bedrock. It goes out on core's keep-alive pool but not through `requestJson`:
 * a SigV4 signature covers the exact body bytes, so the body is sent as the string that was
 * signed, and a ConverseStream answer is binary event-stream, read as bytes rather than SSE.
 */
export interface BedrockHttpRequest {
  readonly provider: string;
  readonly url: string;
  readonly method: 'GET' | 'POST';
  /** Signed headers and the rest, sent as they are. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly signal?: AbortSignal;
  /** @default 600000 */
  readonly timeoutMs?: number;
  /** Longest silence between two chunks of a streamed body. @default 120000 */
  readonly idleTimeoutMs?: number;
  readonly mapError: (response: ErrorResponse) => HyperAgentError | undefined;
}

export interface BedrockResponseInfo {
  readonly status: number;
  readonly headers: HeaderMap;
  readonly requestId: string | undefined;
}

const DEFAULT_TIMEOUT_MS = 600_000;
const DEFAULT_IDLE_TIMEOUT_MS = 120_000;

interface Opened {
  readonly data: Dispatcher.ResponseData;
  readonly info: BedrockResponseInfo;
  readonly done: () => void;
  readonly timedOut: () => boolean;
}

async function open(request: BedrockHttpRequest, stream: boolean): Promise<Opened> {
  const http = { provider: request.provider, url: request.url, signal: request.signal };
  if (request.signal?.aborted) throw new AbortError(undefined, { provider: request.provider });
  const url = new URL(request.url);
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException('The request timed out.', 'TimeoutError'));
  }, timerDelay(timeoutMs));
  timer.unref?.();
  const onCallerAbort = (): void => controller.abort(request.signal?.reason);
  request.signal?.addEventListener('abort', onCallerAbort, { once: true });
  const done = (): void => {
    clearTimeout(timer);
    request.signal?.removeEventListener('abort', onCallerAbort);
  };
  const deadline = { get timedOut() { return timedOut; } };
  let data: Dispatcher.ResponseData;
  try {
    data = await poolFor(url.origin).request({
      path: `${url.pathname}${url.search}`,
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: controller.signal,
      headersTimeout: timeoutMs,
      bodyTimeout: stream ? (request.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS) : timeoutMs,
    });
  } catch (error) {
    done();
    throw transportError(error, http, deadline);
  }
  const headers = data.headers as HeaderMap;
  const requestId = bedrockRequestId(headers);
  const info: BedrockResponseInfo = { status: data.statusCode, headers, requestId: requestId === undefined ? undefined : redactSecrets(requestId) };
  if (data.statusCode >= 300) {
    let text = '';
    try {
      text = await data.body.text();
    } catch {
      // The error body is a courtesy; the status and the error type header still tell what happened.
    } finally {
      done();
    }
    if (data.statusCode < 400) {
      throw new InvalidRequestError(`${request.provider} answered HTTP ${data.statusCode}, a redirect. HyperAgent does not follow redirects (the signed request would go along): set the backend's "baseURL" to the Bedrock runtime endpoint.`, {
        provider: request.provider,
        status: data.statusCode,
        requestId: info.requestId,
      });
    }
    const response: ErrorResponse = { provider: request.provider, status: data.statusCode, headers, body: text };
    throw request.mapError(response) ?? errorFromResponse(response);
  }
  return { data, info, done, timedOut: () => timedOut };
}

/** A JSON answer (Converse, InvokeModel). */
export async function requestBedrockJson<T>(request: BedrockHttpRequest): Promise<BedrockResponseInfo & { readonly body: T }> {
  const { data, info, done, timedOut } = await open(request, false);
  let text: string;
  try {
    text = await data.body.text();
  } catch (error) {
    throw transportError(error, request, { timedOut: timedOut() });
  } finally {
    done();
  }
  try {
    return { ...info, body: JSON.parse(text) as T };
  } catch {
    const snippet = redactSecrets(text.trim().slice(0, 4096)).slice(0, 200);
    throw new InvalidResponseError(`${request.provider} answered HTTP ${info.status} with a body that is not JSON${snippet ? `: ${snippet}` : ' (empty body)'}. Check the backend's "baseURL".`, {
      provider: request.provider,
      status: info.status,
      requestId: info.requestId,
    });
  }
}

/** A streamed answer as raw byte chunks (ConverseStream's event-stream frames). */
export async function requestBedrockBytes(request: BedrockHttpRequest): Promise<BedrockResponseInfo & { readonly bytes: PullSource<Uint8Array> }> {
  const { data, info, done, timedOut } = await open(request, true);
  const bytes = new ByteBodySource(data.body, (error) => transportError(error, request, { timedOut: timedOut() }), done);
  return { ...info, bytes };
}
