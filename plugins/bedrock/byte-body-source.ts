import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { PullSource } from '../../core/pull-source.js';

const ignore = (): void => {};
/** Past this many bytes, the rest of a stream that is no longer read is cut off rather than drained. */
const DRAIN_LIMIT_BYTES = 64 * 1024;

/**
 * A response body's byte chunks as a pull source: `take()` hands out what was already read without
 * waiting. Read with `read()` in paused mode, as core/http.ts reads SSE, so a body whose last event
 * we have can still be drained and its connection kept. `onEnd` runs once, however it ends.
 */
export class ByteBodySource implements PullSource<Uint8Array> {
  private pending: Uint8Array | undefined;
  private open = true;
  private ended = false;

  constructor(
    private readonly body: Dispatcher.ResponseData['body'],
    private readonly wrapError: (error: unknown) => unknown,
    private readonly onEnd: () => void,
  ) {}

  take(): Uint8Array | undefined {
    const chunk = this.pending;
    this.pending = undefined;
    return chunk;
  }

  async fill(): Promise<boolean> {
    while (this.pending === undefined) {
      if (!this.open) return false;
      const chunk = this.body.read() as Uint8Array | null;
      if (chunk !== null) {
        if (chunk.length > 0) this.pending = chunk;
      } else if (this.ended) {
        this.finish(true);
        return false;
      } else {
        try {
          await this.readable();
        } catch (error) {
          this.finish(false);
          throw this.wrapError(error);
        }
      }
    }
    return true;
  }

  async close(): Promise<void> {
    if (this.open) this.finish(false);
  }

  async release(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    this.onEnd();
    const body = this.body as Partial<Dispatcher.ResponseData['body']> & Readable;
    if (body.destroyed) return;
    if (typeof body.dump === 'function') await body.dump({ limit: DRAIN_LIMIT_BYTES }).catch(ignore);
    else body.on('error', ignore).destroy();
  }

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
    this.onEnd();
    if (!completed && !this.body.destroyed) this.body.on('error', ignore).destroy();
  }
}
