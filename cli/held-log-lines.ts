/**
 * The logging plugin's lines on a terminal, where they share the screen with the answer: held while
 * an answer is being written (the answer's line is open, and a JSON line would land in its middle),
 * then written to stderr, each on its own line, once the answer is over.
 */
export class HeldLogLines {
  private held: string[] | undefined;

  constructor(private readonly stderr: NodeJS.WritableStream) {}

  write(line: string): void {
    const text = line.endsWith('\n') ? line : `${line}\n`;
    if (this.held) this.held.push(text);
    else this.stderr.write(text);
  }

  /** From the start of an answer: keep lines back. */
  hold(): void {
    this.held ??= [];
  }

  /** After the answer ended (its last line closed): write what was held, in order. */
  release(): void {
    const lines = this.held;
    this.held = undefined;
    if (lines && lines.length > 0) this.stderr.write(lines.join(''));
  }
}
