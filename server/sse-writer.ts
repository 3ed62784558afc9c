import type { ServerResponse } from 'node:http';
import { safeHeaders } from './header-value.js';
import { toJsonText, type HeaderValues } from './respond.js';

/** Writes server-sent events `data: <json>\n\n`, waiting for the client to drain when it reads slowly. */
export class SseWriter {
  constructor(private readonly response: ServerResponse) {}

  /** True once the client is gone: nothing written after that reaches anyone. */
  get closed(): boolean {
    return this.response.destroyed || this.response.writableEnded;
  }

  open(headers: HeaderValues): void {
    this.response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      // Tell nginx-style proxies not to buffer the stream.
      'x-accel-buffering': 'no',
      ...safeHeaders(headers),
    });
    this.response.flushHeaders();
  }

  /**
   * Send one event, named by `event` when given (`event: <name>` — the Responses and Anthropic
   * streams name theirs); `data` is JSON text as it came, or a value to serialise. Resolves false
   * if the client went away.
   */
  async send(data: unknown, event?: string): Promise<boolean> {
    if (this.closed) return false;
    // Text passed as it came (an upstream's event relayed) may hold line breaks: each line is a `data:` line.
    const text = typeof data === 'string' ? (data.includes('\n') ? data.split('\n').join('\ndata: ') : data) : toJsonText(data);
    if (this.response.write(event === undefined ? `data: ${text}\n\n` : `event: ${event}\ndata: ${text}\n\n`)) return true;
    return new Promise((resolve) => {
      const settle = (open: boolean): void => {
        this.response.off('drain', onDrain);
        this.response.off('close', onClose);
        resolve(open);
      };
      const onDrain = (): void => settle(true);
      const onClose = (): void => settle(false);
      this.response.on('drain', onDrain);
      this.response.on('close', onClose);
    });
  }

  end(): void {
    if (!this.closed) this.response.end();
  }
}
