/** Provider limits are per minute; their windows slide. */
export const WINDOW_MS = 60_000;

/** One request's start in the window and the tokens counted for it. */
export interface WindowEntry {
  readonly at: number;
  tokens: number;
  live: boolean;
}

export interface WindowLimits {
  readonly rpm?: number;
  readonly tpm?: number;
}

export interface Blocked {
  readonly waitMs: number;
  readonly reason: string;
}

/** Requests and tokens started in the last `lengthMs`. An entry counts in `(at - lengthMs, at]`. */
export class SlidingWindow {
  private readonly entries: WindowEntry[] = [];
  private head = 0;
  private tokenSum = 0;

  constructor(readonly lengthMs: number = WINDOW_MS) {}

  get requests(): number {
    return this.entries.length - this.head;
  }

  get tokens(): number {
    return this.tokenSum;
  }

  prune(now: number): void {
    const cutoff = now - this.lengthMs;
    while (this.head < this.entries.length && this.entries[this.head].at <= cutoff) {
      const entry = this.entries[this.head];
      entry.live = false;
      this.tokenSum -= entry.tokens;
      this.head += 1;
    }
    // Compact now and then instead of shifting on every expiry.
    if (this.head > 64 && this.head * 2 > this.entries.length) {
      this.entries.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Record a request starting at `at` (not before the last one). */
  add(at: number, tokens: number): WindowEntry {
    const entry: WindowEntry = { at, tokens, live: true };
    this.entries.push(entry);
    this.tokenSum += tokens;
    return entry;
  }

  /** Count what a request really used instead of its estimate. */
  settle(entry: WindowEntry, tokens: number): void {
    if (entry.live) this.tokenSum += tokens - entry.tokens;
    entry.tokens = tokens;
  }

  /** How long until one more request of `tokens` fits; `undefined` when it fits now. Call `prune(now)` first. */
  blockedFor(tokens: number, limits: WindowLimits, now: number): Blocked | undefined {
    let blocked: Blocked | undefined;
    const { rpm, tpm } = limits;
    if (rpm !== undefined && this.requests >= rpm) {
      const oldestToExpire = this.entries[this.entries.length - rpm];
      blocked = { waitMs: oldestToExpire.at + this.lengthMs - now, reason: 'rpm' };
    }
    if (tpm !== undefined && this.requests > 0 && this.tokenSum + tokens > tpm) {
      let excess = this.tokenSum + tokens - tpm;
      let index = this.head;
      while (index < this.entries.length - 1 && excess > this.entries[index].tokens) {
        excess -= this.entries[index].tokens;
        index += 1;
      }
      const waitMs = this.entries[index].at + this.lengthMs - now;
      if (blocked === undefined || waitMs > blocked.waitMs) blocked = { waitMs, reason: 'tpm' };
    }
    return blocked;
  }
}
