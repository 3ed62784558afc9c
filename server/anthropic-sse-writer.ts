import type { ServerResponse } from 'node:http';
import { safeHeaders } from './header-value.js';
import { toJsonText, type HeaderValues } from './respond.js';

/** Writes Anthropic's server-sent events (`event: <name>` + `data: <json>`), waiting for a slow client to drain. */
export class AnthropicSseWriter {
  constructor(private readonly response: ServerResponse) {}

  get closed(): boolean {
    return this.response.destroyed || this.response.writableEnded;
  }

  open(headers: HeaderValues): void {
    this.response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      ...safeHeaders(headers),
    });
    this.response.flushHeaders();
  }

  /** One event; `data` is JSON text as it came, or a value to serialise. Resolves false once the client is gone. */
  send(name: string, data: unknown): Promise<boolean> {
    const text = typeof data === 'string' ? data : toJsonText(data);
    return this.write(`event: ${name}\ndata: ${text.includes('\n') ? text.split('\n').join('\ndata: ') : text}\n\n`);
  }

  end(): void {
    if (!this.closed) this.response.end();
  }

  private async write(text: string): Promise<boolean> {
    if (this.closed) return false;
    if (this.response.write(text)) return true;
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
}
