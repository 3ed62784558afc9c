// Loopback HTTP server that replays recorded provider responses (bodies and headers byte for byte)
// and records what the client sent. Real sockets on 127.0.0.1, no fetch stubbing.
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';

export const FIXTURES_DIR = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'recorded');

export interface RecordedFixture {
  readonly status: number;
  readonly headers: [string, string][];
  readonly body: Buffer;
}

const HOP_BY_HOP = new Set(['content-length', 'transfer-encoding', 'connection', 'content-encoding', 'keep-alive', 'alt-svc']);

/** Read `<name>` body and its `.headers.txt`; the status comes from the headers file (or `fallbackStatus`). */
export function loadFixture(name: string, fallbackStatus = 200): RecordedFixture {
  const body = readFileSync(join(FIXTURES_DIR, name));
  const headersPath = join(FIXTURES_DIR, name.replace(/\.(json|sse|txt|eventstream|ndjson)$/, '.headers.txt'));
  if (!existsSync(headersPath)) return { status: fallbackStatus, headers: [['content-type', name.endsWith('.sse') ? 'text/event-stream' : 'application/json']], body };
  const lines = readFileSync(headersPath, 'utf8').split(/\r?\n/);
  let status = fallbackStatus;
  const headers: [string, string][] = [];
  for (const line of lines) {
    const vcr = /^# status: (\d{3})/.exec(line);
    const httprr = /^HTTP\/[\d.]+ (\d{3})/.exec(line);
    if (vcr || httprr) {
      status = Number((vcr ?? httprr)![1]);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    if (HOP_BY_HOP.has(name.toLowerCase())) continue;
    headers.push([name, line.slice(colon + 1).trim()]);
  }
  return { status, headers, body };
}

export interface ReplayRoute {
  /** Fixture path relative to test/fixtures/recorded, e.g. `openai/chat-completion-text.json`. */
  readonly fixture?: string;
  /** Or a literal response. */
  readonly status?: number;
  readonly body?: string | Buffer;
  readonly headers?: Record<string, string>;
  /** Write the body in pieces of this many bytes, each its own TCP write. */
  readonly chunkSize?: number;
  /** Pause between pieces (ms). */
  readonly delayMs?: number;
  /** Cut the body after this many bytes and destroy the socket (a dropped connection). */
  readonly truncateAt?: number;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
  readonly rawBody: string;
}

/** Serves queued routes in order (per path, or any path with `*`), and records every request. */
export class ReplayServer {
  readonly requests: RecordedRequest[] = [];
  /** Paths of responses the client hung up on before they were fully written (not counting `truncateAt` cuts). */
  readonly hangUps: string[] = [];
  private readonly queues = new Map<string, ReplayRoute[]>();
  private server: Server | undefined;
  private readonly sockets = new Set<import('node:net').Socket>();
  port = 0;

  get baseURL(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Queue a response for requests to `path` (`*` matches any path). */
  enqueue(path: string, route: ReplayRoute): this {
    const queue = this.queues.get(path) ?? [];
    queue.push(route);
    this.queues.set(path, queue);
    return this;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const rawBody = Buffer.concat(chunks).toString('utf8');
        let body: unknown = undefined;
        try {
          body = rawBody ? JSON.parse(rawBody) : undefined;
        } catch {
          body = rawBody;
        }
        const path = req.url ?? '/';
        this.requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body, rawBody });
        const route = this.next(path.split('?')[0]);
        if (!route) {
          res.writeHead(599, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `replay server: nothing queued for ${path}` } }));
          return;
        }
        void this.respond(res, route, path);
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  private next(path: string): ReplayRoute | undefined {
    for (const key of [path, '*']) {
      const queue = this.queues.get(key);
      if (queue && queue.length > 0) return queue.length === 1 && key === '*' ? queue[0] : queue.shift();
    }
    return undefined;
  }

  private async respond(res: ServerResponse, route: ReplayRoute, path: string): Promise<void> {
    let cut = false;
    res.on('close', () => {
      if (!res.writableFinished && !cut) this.hangUps.push(path);
    });
    const fixture = route.fixture ? loadFixture(route.fixture, route.status ?? 200) : undefined;
    const status = route.status ?? fixture?.status ?? 200;
    const body = fixture?.body ?? (typeof route.body === 'string' ? Buffer.from(route.body) : (route.body ?? Buffer.alloc(0)));
    const headers: [string, string][] = [...(fixture?.headers ?? []), ...Object.entries(route.headers ?? {})];
    for (const [name, value] of headers) res.appendHeader(name, value);
    res.statusCode = status;
    const end = route.truncateAt === undefined ? body.length : Math.min(route.truncateAt, body.length);
    const size = route.chunkSize ?? end;
    let flushed: Promise<void> = Promise.resolve();
    for (let offset = 0; offset < end; offset += Math.max(1, size)) {
      const piece = body.subarray(offset, Math.min(end, offset + Math.max(1, size)));
      flushed = new Promise<void>((resolve) => res.write(piece, () => resolve()));
      if (route.delayMs) await new Promise((resolve) => setTimeout(resolve, route.delayMs));
      if (res.destroyed) return;
    }
    if (route.truncateAt !== undefined) {
      // Destroying at once would discard the buffered bytes (headers included): let them reach the client first.
      await flushed;
      cut = true;
      res.socket?.destroy();
      return;
    }
    res.end();
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
