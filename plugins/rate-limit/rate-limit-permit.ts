/** Capacity granted for one attempt: one request and an estimate of its tokens, plus a concurrency slot. */
export class RateLimitPermit {
  private released = false;

  constructor(
    /** Tokens reserved: the estimate until `settle` is called. */
    readonly reservedTokens: number,
    /** How long the attempt waited for capacity. */
    readonly waitedMs: number,
    /** What it waited for: `rpm`, `tpm`, `maxConcurrent`, `retry-after`, `provider-requests`, `provider-tokens`; `undefined` when it did not wait. */
    readonly reason: string | undefined,
    private readonly onSettle: (tokens: number) => void,
    private readonly onRelease: () => void,
  ) {}

  /** Count the tokens the attempt really used instead of the estimate, freeing the rest of the window. */
  settle(tokens: number): void {
    this.onSettle(Math.max(0, Math.round(tokens)));
  }

  /** Free the concurrency slot. Safe to call more than once. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.onRelease();
  }

  get isReleased(): boolean {
    return this.released;
  }
}
