import type { PullSource } from '../../core/pull-source.js';

const NEWLINE = 0x0a;

/**
 * Newline-delimited JSON framing over a body's byte chunks: the lines of what was already read,
 * handed out synchronously, like the SSE parser's events (one HTTP chunk can hold many lines, and
 * a line can span chunks, split anywhere, inside a UTF-8 character too). Blank lines are skipped;
 * a last line without its newline is still a line. Errors of the byte source propagate from `fill`.
 */
export class NdjsonLineSource implements PullSource<string> {
  private readonly lines: string[] = [];
  private head = 0;
  private readonly decoder = new TextDecoder();
  private partial = '';
  private ended = false;

  constructor(private readonly bytes: PullSource<Uint8Array>) {}

  take(): string | undefined {
    while (this.head >= this.lines.length) {
      const chunk = this.bytes.take();
      if (chunk === undefined) return undefined;
      this.split(chunk);
    }
    return this.lines[this.head++];
  }

  async fill(): Promise<boolean> {
    for (;;) {
      if (this.head < this.lines.length) return true;
      const chunk = this.bytes.take();
      if (chunk !== undefined) {
        this.split(chunk);
        continue;
      }
      if (this.ended) return false;
      if (!(await this.bytes.fill())) {
        this.ended = true;
        this.push(this.partial + this.decoder.decode());
        this.partial = '';
      }
    }
  }

  close(): Promise<void> {
    return this.bytes.close();
  }

  async release(): Promise<void> {
    if (this.bytes.release) await this.bytes.release();
    else await this.bytes.close();
  }

  private split(chunk: Uint8Array): void {
    if (this.head >= this.lines.length) {
      this.lines.length = 0;
      this.head = 0;
    }
    let start = 0;
    for (let at = chunk.indexOf(NEWLINE); at !== -1; at = chunk.indexOf(NEWLINE, start)) {
      this.push(this.partial + this.decoder.decode(chunk.subarray(start, at)));
      this.partial = '';
      start = at + 1;
    }
    if (start < chunk.length) this.partial += this.decoder.decode(chunk.subarray(start), { stream: true });
  }

  private push(line: string): void {
    const text = line.trim();
    if (text !== '') this.lines.push(text);
  }
}
