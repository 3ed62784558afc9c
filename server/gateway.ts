import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { AbortError, isHyperAgentError } from '../core/errors.js';
import { redactSecrets } from '../core/redact.js';
import { shuttingDown, type Exchange } from './exchange.js';
import type { ResolvedGatewayOptions } from './gateway-options.js';
import { toErrorResponse } from './errors.js';
import { sendError, sendJson } from './respond.js';
import { refusalBeforeReading } from './read-body.js';
import { createRouter, type Router } from './routes.js';

export interface GatewayAddress {
  readonly host: string;
  readonly port: number;
  /** The server's root, e.g. `http://127.0.0.1:8787`; OpenAI clients take `${url}/v1` as their base URL. */
  readonly url: string;
}

interface InFlight {
  readonly controller: AbortController;
  abortedByShutdown: boolean;
}

/** After the grace period, how long aborted requests get to write their last event. */
const ABORT_SETTLE_MS = 2_000;
// How often Node checks connections against `headersTimeout`/`requestTimeout`; its 30 s default
// would let a slowloris client hold a socket for up to that long past the limit.
const MAX_CONNECTION_CHECK_INTERVAL_MS = 1_000;

/** An OpenAI-compatible HTTP server over a kernel's backends. Made by `createGateway`. */
export class Gateway {
  private readonly server: Server;
  private readonly router: Router;
  private readonly inFlight = new Set<InFlight>();
  private drainWaiters: (() => void)[] = [];
  private closing: Promise<void> | undefined;
  private bound: GatewayAddress | undefined;

  constructor(private readonly options: ResolvedGatewayOptions) {
    this.router = createRouter(options);
    this.server = createServer(
      {
        requestTimeout: options.requestTimeoutMs,
        headersTimeout: options.headersTimeoutMs,
        connectionsCheckingInterval: Math.min(MAX_CONNECTION_CHECK_INTERVAL_MS, options.headersTimeoutMs),
      },
      (request, response) => this.handle(request, response),
    );
    // curl and others ask before sending a large body: a body we would refuse is then never sent.
    this.server.on('checkContinue', (request: IncomingMessage, response: ServerResponse) => {
      if (!refusalBeforeReading(request, options.bodyLimits)) response.writeContinue();
      this.handle(request, response);
    });
  }

  /** The bound address, once `listen()` resolved. */
  get address(): GatewayAddress | undefined {
    return this.bound;
  }

  listen(): Promise<GatewayAddress> {
    if (this.closing) return Promise.reject(new Error('This gateway was closed; create a new one.'));
    if (this.bound) return Promise.resolve(this.bound);
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      this.server.once('error', onError);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', onError);
        const address = this.server.address() as AddressInfo;
        const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
        this.bound = Object.freeze({ host: address.address, port: address.port, url: `http://${host}:${address.port}` });
        if (this.options.apiKeys.length === 0 && !isLoopback(address.address)) {
          this.options.logger.warn({ host: address.address }, 'The gateway listens beyond loopback without API keys: anyone who can reach it can spend your provider credit.');
        }
        resolve(this.bound);
      });
    });
  }

  /**
   * Stops accepting connections, lets requests in flight (streams included) finish for up to
   * `shutdownGraceMs`, then aborts the rest (their clients get a `server_shutting_down` error) and
   * closes every connection. Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    if (!(await this.drained(this.options.shutdownGraceMs))) {
      for (const request of this.inFlight) {
        request.abortedByShutdown = true;
        request.controller.abort(new AbortError('The gateway is shutting down.'));
      }
      await this.drained(ABORT_SETTLE_MS);
    }
    this.server.closeAllConnections();
    await closed;
  }

  /** Resolves true once no request is in flight, false if `timeoutMs` passes first. */
  private drained(timeoutMs: number): Promise<boolean> {
    if (this.inFlight.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.drainWaiters = this.drainWaiters.filter((other) => other !== waiter);
        resolve(false);
      }, timeoutMs);
      this.drainWaiters.push(waiter);
    });
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const startedAt = performance.now();
    const requestId = clientRequestId(request.headers['x-request-id']) ?? `req_${randomUUID().replace(/-/g, '')}`;
    const flight: InFlight = { controller: new AbortController(), abortedByShutdown: false };
    const [path = '/'] = (request.url ?? '/').split('?', 1);
    const exchange: Exchange = {
      request,
      response,
      method: request.method ?? 'GET',
      path,
      requestId,
      signal: flight.controller.signal,
      options: this.options,
      abortedByShutdown: () => flight.abortedByShutdown,
      backendName: undefined,
    };
    this.inFlight.add(flight);
    // A failed write (the client left mid-answer) is reported here; unheard, it would crash the process.
    response.on('error', (error) => this.options.logger.warn({ requestId, message: redactSecrets(error.message) }, 'the answer could not be written'));
    response.setHeader('x-request-id', requestId);
    response.once('close', () => {
      // 'close' before 'finish' means the client went away: cancel the upstream call.
      const disconnected = !response.writableFinished;
      if (disconnected) flight.controller.abort(new AbortError('The client closed the connection.'));
      this.settle(flight);
      this.options.logger.info(
        { requestId, method: exchange.method, path, status: response.headersSent ? response.statusCode : undefined, backend: exchange.backendName, durationMs: Math.round(performance.now() - startedAt), disconnected },
        'request',
      );
    });
    if (this.closing) {
      sendError(response, shuttingDown());
      return;
    }
    this.router(exchange).catch((error: unknown) => this.fail(exchange, error));
  }

  private fail(exchange: Exchange, error: unknown): void {
    const { response } = exchange;
    const reported = exchange.abortedByShutdown() ? shuttingDown() : error;
    const mapped = toErrorResponse(reported);
    if (mapped.status >= 500) {
      const message = reported instanceof Error ? redactSecrets(reported.message) : redactSecrets(String(reported));
      const code = isHyperAgentError(reported) ? reported.code : mapped.body.error.code;
      this.options.logger.error({ requestId: exchange.requestId, backend: exchange.backendName, status: mapped.status, code, message }, 'request failed');
    }
    if (response.headersSent) {
      // Mid-stream failures are written by the stream itself; anything else can only cut the connection.
      response.destroy();
      return;
    }
    sendJson(response, mapped.status, mapped.body, mapped.headers, (writeError) =>
      this.options.logger.warn({ requestId: exchange.requestId, message: redactSecrets(String(writeError)) }, 'the answer could not be written'),
    );
  }

  private settle(flight: InFlight): void {
    this.inFlight.delete(flight);
    if (this.inFlight.size > 0) return;
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const waiter of waiters) waiter();
  }
}

// A client's own request id is kept (its traces then match ours) when it is a plain token of sane length.
const CLIENT_REQUEST_ID = /^[\w.:@-]{1,128}$/;

function clientRequestId(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' && CLIENT_REQUEST_ID.test(value) ? value : undefined;
}

function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address === 'localhost' || address === '::ffff:127.0.0.1';
}
