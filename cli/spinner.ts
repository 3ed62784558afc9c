const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const INTERVAL_MS = 80;

/** A one-line spinner on a terminal stream; does nothing when `enabled` is false (not a TTY). */
export class Spinner {
  private timer: NodeJS.Timeout | undefined;
  private frame = 0;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly enabled: boolean,
    private readonly paint: (text: string) => string = (text) => text,
  ) {}

  get spinning(): boolean {
    return this.timer !== undefined;
  }

  start(label = ''): void {
    if (!this.enabled || this.timer) return;
    const draw = (): void => {
      this.stream.write(`\r${this.paint(`${FRAMES[this.frame]} ${label}`)}\u001b[K`);
      this.frame = (this.frame + 1) % FRAMES.length;
    };
    draw();
    this.timer = setInterval(draw, INTERVAL_MS);
    // A spinner must never be what keeps the process alive.
    this.timer.unref();
  }

  stop(): void {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
    this.stream.write('\r\u001b[K');
  }
}
