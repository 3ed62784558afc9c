import { mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DestinationStream } from 'pino';

/** Past this many characters waiting, lines are written without waiting for a call to end. */
const MAX_PENDING_CHARS = 64 * 1024;
/** Lines of a call that is still running (a long stream) reach the file at least this often. */
const FLUSH_INTERVAL_MS = 100;
/**
 * While other calls are running, the lines of those that ended wait at most this long: a write per
 * event-loop turn was one system call for every two or three lines under load, which cost more than
 * making the lines.
 */
const BUSY_FLUSH_MS = 20;

const openFiles = new Set<CallBatchedFile>();
let flushAtExit = false;

/**
 * A log file written synchronously, in batches: lines wait in memory until the plugin flushes them
 * (when a call ends and no other is running, right after that turn of the event loop; else within
 * 20 ms), then go out in one write.
 * The system call is most of what a line costs. Lines of a running stream reach the file within
 * 100 ms, and everything at exit.
 */
export class CallBatchedFile implements DestinationStream {
  private pending = '';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private failed = false;
  private soon: ReturnType<typeof setTimeout> | undefined;
  private afterTurn = false;

  private constructor(private readonly fd: number) {
    openFiles.add(this);
    if (!flushAtExit) {
      flushAtExit = true;
      process.once('exit', () => {
        for (const file of openFiles) file.flush();
      });
    }
  }

  /** Opens `path` for appending, creating its folder. */
  static open(path: string): CallBatchedFile {
    mkdirSync(dirname(path), { recursive: true });
    return new CallBatchedFile(openSync(path, 'a'));
  }

  write(line: string): void {
    this.pending += line;
    if (this.pending.length >= MAX_PENDING_CHARS) this.flush();
    else if (this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, FLUSH_INTERVAL_MS);
      this.timer.unref();
    }
  }

  /**
   * Writes the waiting lines once this turn of the event loop is over, after the caller has its
   * result — unless by then `busy()` says another call has started (a caller calling in a loop
   * starts its next one in the same turn): then within 20 ms, with that call's lines, so a
   * sequential caller pays one system call per batch instead of one per call.
   */
  flushAfterTurn(busy: () => boolean): void {
    if (this.afterTurn || this.pending === '') return;
    this.afterTurn = true;
    setImmediate(() => {
      this.afterTurn = false;
      if (busy()) this.flushSoon();
      else this.flush();
    });
  }

  /** Writes the waiting lines within 20 ms, with whatever else comes meanwhile. */
  flushSoon(): void {
    if (this.soon !== undefined || this.pending === '') return;
    this.soon = setTimeout(() => {
      this.soon = undefined;
      this.flush();
    }, BUSY_FLUSH_MS);
    this.soon.unref();
  }

  /** Writes every waiting line now. */
  flush(): void {
    if (this.pending === '') return;
    const text = this.pending;
    this.pending = '';
    try {
      const bytes = Buffer.byteLength(text);
      let written = writeSync(this.fd, text);
      if (written < bytes) {
        const buffer = Buffer.from(text);
        while (written < bytes) written += writeSync(this.fd, buffer, written);
      }
    } catch (error) {
      // A full disk must not fail the calls being logged; say so once.
      if (!this.failed) process.emitWarning(`hyperagent logging: cannot write the log file: ${(error as Error).message}`);
      this.failed = true;
    }
  }
}
