// Loopback HTTP server that misbehaves on purpose: error statuses, connection resets at any point,
// stalls, bodies split across TCP writes, gzip, huge bodies. Real sockets on 127.0.0.1, bounded
// (requests, body size, lifetime), every timer unref'd, every socket destroyed on stop().
import { EventEmitter } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';

/** Milliseconds, or until the client hangs up (or the server stops). */
export type Stall = number | 'forever';

/** Where the connection is cut, and how: `reset` sends a TCP RST, `close` a FIN (an orderly close mid-response). */
export interface Cut {
  readonly at: 'before-headers' | 'after-headers' | number;
  /** @default 'reset' */
  readonly how?: 'reset' | 'close';
}

/** One scripted answer. Everything is optional: `{}` is an empty 200. */
export interface FaultPlan {
  /** @default 200 */
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
  /**
   * How the body is written: in one write, one byte per write, or split at these byte offsets.
   * Each write waits for the previous one to reach the socket, with Nagle off, so pieces leave as
   * separate TCP segments.
   * @default 'whole'
   */
  readonly writes?: 'whole' | 'each-byte' | readonly number[];
  /** Gzip the body and say so with `content-encoding: gzip`, whatever the client asked for. @default false */
  readonly gzip?: boolean;
  /** Wait this long before the status line. */
  readonly stallBeforeHeaders?: Stall;
  /** After this many body bytes, wait. */
  readonly stall?: { readonly afterBytes: number; readonly ms: Stall };
  /** Cut the connection instead of finishing the response. */
  readonly cut?: Cut;
}

export interface FaultRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** Parsed JSON when the body was JSON, else the text. */
  readonly body: unknown;
  /** Resolves when the connection this request came on is closed, by either side. */
  readonly connectionClosed: Promise<void>;
}

export interface FaultServerOptions {
  /** Requests answered before the server refuses more (503 and close). @default 20000 */
  readonly maxRequests?: number;
  /** Largest request body read; larger ones are answered 413. @default 1048576 */
  readonly maxRequestBytes?: number;
  /** The server stops itself after this long, so a forgotten one cannot keep a test run alive. @default 300000 */
  readonly lifetimeMs?: number;
}

const NOTHING_QUEUED: FaultPlan = {
  status: 400,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ error: { message: 'fault server: nothing queued for this request', type: 'invalid_request_error' } }),
};

/** A scripted, misbehaving HTTP server on 127.0.0.1. Plans are served first in, first out. */
export class FaultServer {
  readonly requests: FaultRequest[] = [];
  private readonly queue: FaultPlan[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly events = new EventEmitter();
  private readonly stalls = new Set<() => void>();
  private readonly closing = new WeakMap<Socket, Promise<void>>();
  private readonly maxRequests: number;
  private readonly maxRequestBytes: number;
  private readonly lifetimeMs: number;
  private server: Server | undefined;
  private lifetime: NodeJS.Timeout | undefined;
  private stopping: Promise<void> | undefined;
  /** Connections accepted since start. */
  connectionsSeen = 0;
  port = 0;

  constructor(options: FaultServerOptions = {}) {
    this.maxRequests = options.maxRequests ?? 20_000;
    this.maxRequestBytes = options.maxRequestBytes ?? 1024 * 1024;
    this.lifetimeMs = options.lifetimeMs ?? 300_000;
    this.events.setMaxListeners(0);
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Sockets open now, counted on the server's side. */
  get openConnections(): number {
    return this.sockets.size;
  }

  /** Plans not served yet. */
  get pending(): number {
    return this.queue.length;
  }

  /** Queue answers for the next requests, whatever their path. */
  enqueue(...plans: readonly FaultPlan[]): this {
    this.queue.push(...plans);
    return this;
  }

  /** Drop what is still queued (after a test that failed halfway). */
  clearQueue(): void {
    this.queue.length = 0;
  }

  async start(): Promise<this> {
    const server = createServer((request, response) => this.receive(request, response));
    server.on('connection', (socket: Socket) => {
      this.connectionsSeen += 1;
      this.sockets.add(socket);
      socket.once('close', () => {
        this.sockets.delete(socket);
        if (this.sockets.size === 0) this.events.emit('idle');
      });
    });
    // A client that resets mid-request, or sends garbage, is dropped instead of raising an error event.
    server.on('clientError', (_error, socket: Socket) => socket.destroy());
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.lifetime = setTimeout(() => void this.stop(), this.lifetimeMs);
    this.lifetime.unref();
    return this;
  }

  /** Resolves once `count` requests in total have arrived (their bodies read). */
  waitForRequests(count: number, timeoutMs = 10_000): Promise<FaultRequest> {
    return this.waitFor(() => this.requests.length >= count, 'request', timeoutMs, `${count} request(s)`).then(() => this.requests[count - 1]!);
  }

  /** Resolves once the connection request `index` (0-based) came on is closed. */
  whenConnectionClosed(index: number, timeoutMs = 10_000): Promise<void> {
    const request = this.requests[index];
    if (!request) return Promise.reject(new Error(`fault server: no request #${index}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`fault server: the connection of request #${index} is still open after ${timeoutMs} ms`)), timeoutMs);
      timer.unref();
      void request.connectionClosed.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Resolves once no connection is open: every socket the client opened has been closed. */
  whenIdle(timeoutMs = 10_000): Promise<void> {
    return this.waitFor(() => this.sockets.size === 0, 'idle', timeoutMs, 'no open connection');
  }

  private waitFor(done: () => boolean, event: string, timeoutMs: number, what: string): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!done()) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`fault server: still waiting for ${what} after ${timeoutMs} ms (${this.sockets.size} open connection(s), ${this.requests.length} request(s))`));
      }, timeoutMs);
      timer.unref();
      const cleanup = (): void => {
        clearTimeout(timer);
        this.events.off(event, check);
      };
      this.events.on(event, check);
    });
  }

  /** Destroys every socket, ends every stall and closes the server. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      if (this.lifetime) clearTimeout(this.lifetime);
      for (const end of [...this.stalls]) end();
      for (const socket of this.sockets) socket.destroy();
      const server = this.server;
      if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    })();
    return this.stopping;
  }

  private receive(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= this.maxRequestBytes) chunks.push(chunk);
    });
    const connectionClosed = this.closedPromise(request.socket);
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        // Not JSON: keep the text.
      }
      this.requests.push({ method: request.method ?? 'GET', path: request.url ?? '/', headers: request.headers, body, connectionClosed });
      this.events.emit('request');
      if (this.stopping) {
        response.destroy();
        return;
      }
      if (this.requests.length > this.maxRequests) {
        response.writeHead(503, { connection: 'close' }).end('fault server: request limit reached');
        return;
      }
      if (size > this.maxRequestBytes) {
        response.writeHead(413, { connection: 'close' }).end('fault server: request body too large');
        return;
      }
      void this.play(response, this.queue.shift() ?? NOTHING_QUEUED);
    });
  }

  /** One promise per socket, however many requests it carried (one listener, not one per request). */
  private closedPromise(socket: Socket): Promise<void> {
    let closed = this.closing.get(socket);
    if (!closed) {
      closed = socket.destroyed ? Promise.resolve() : new Promise<void>((resolve) => socket.once('close', () => resolve()));
      this.closing.set(socket, closed);
    }
    return closed;
  }

  private async play(response: ServerResponse, plan: FaultPlan): Promise<void> {
    const socket = response.socket;
    if (!socket) return;
    socket.setNoDelay(true);
    const cut = plan.cut;
    if (plan.stallBeforeHeaders !== undefined) await this.pause(plan.stallBeforeHeaders, response);
    if (response.destroyed) return;
    if (cut?.at === 'before-headers') return this.cutNow(socket, cut);

    let body = typeof plan.body === 'string' ? Buffer.from(plan.body, 'utf8') : (plan.body ?? Buffer.alloc(0));
    const headers: Record<string, string> = { ...plan.headers };
    if (plan.gzip) {
      body = gzipSync(body);
      headers['content-encoding'] = 'gzip';
    }
    response.writeHead(plan.status ?? 200, headers);
    if (cut?.at === 'after-headers') {
      response.flushHeaders();
      await flushed(socket);
      return this.cutNow(socket, cut);
    }

    const end = typeof cut?.at === 'number' ? Math.min(cut.at, body.length) : body.length;
    const stops = new Set<number>([end]);
    if (plan.writes === 'each-byte') for (let offset = 1; offset < end; offset += 1) stops.add(offset);
    else if (Array.isArray(plan.writes)) for (const offset of plan.writes) if (offset > 0 && offset < end) stops.add(offset);
    if (plan.stall && plan.stall.afterBytes < end) stops.add(plan.stall.afterBytes);
    let offset = 0;
    for (const stop of [...stops].sort((a, b) => a - b)) {
      if (stop > offset) {
        await write(response, body.subarray(offset, stop));
        offset = stop;
      }
      if (response.destroyed) return;
      if (plan.stall && plan.stall.afterBytes === offset) {
        await this.pause(plan.stall.ms, response);
        if (response.destroyed) return;
      }
    }
    if (cut) {
      await flushed(socket);
      return this.cutNow(socket, cut);
    }
    response.end();
  }

  private cutNow(socket: Socket, cut: Cut): void {
    if ((cut.how ?? 'reset') === 'reset') socket.resetAndDestroy();
    else socket.destroy();
  }

  /** Wait `stall`, or until the response closes or the server stops. */
  private pause(stall: Stall, response: ServerResponse): Promise<void> {
    return new Promise((resolve) => {
      const end = (): void => {
        if (timer) clearTimeout(timer);
        response.off('close', end);
        this.stalls.delete(end);
        resolve();
      };
      const timer = stall === 'forever' ? undefined : setTimeout(end, stall);
      timer?.unref();
      response.once('close', end);
      this.stalls.add(end);
    });
  }
}

/** Write one piece and wait until it reached the socket, then let the loop turn so pieces do not coalesce. */
function write(response: ServerResponse, piece: Buffer): Promise<void> {
  return new Promise((resolve) => {
    if (response.destroyed) return resolve();
    response.write(piece, () => setImmediate(resolve));
  });
}

/** Resolves once everything written so far was handed to the kernel. */
function flushed(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve();
    socket.write(Buffer.alloc(0), () => resolve());
  });
}
