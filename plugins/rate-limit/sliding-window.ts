/** Provider limits are per minute; their windows slide. */
export const WINDOW_MS = 60_000;

/**
 * A request counted in a window, as `add` returned it: its sequence number there. Expired or never
 * recorded (`NOT_RECORDED`), settling it changes nothing.
 */
export type WindowEntry = number;

/** The entry of a request that was not recorded (no rpm or tpm limit to count it against). */
export const NOT_RECORDED: WindowEntry = -1;

export interface WindowLimits {
  readonly rpm?: number;
  readonly tpm?: number;
}

export interface Blocked {
  readonly waitMs: number;
  readonly reason: string;
}

/**
 * Requests and tokens started in the last `lengthMs`. An entry counts in `(at - lengthMs, at]`.
 *
 * The entries are a ring of two Float64Arrays (start time, tokens) indexed by sequence number, not
 * an object each: at thousands of requests a second a minute's window holds hundreds of thousands
 * of entries, and as objects every one of them was copied by the young-generation GC and then kept
 * in the old generation for a minute.
 */
export class SlidingWindow {
  private starts = new Float64Array(64);
  private counted = new Float64Array(64);
  /** Sequence numbers: `first` is the oldest entry still in the window, `next` the one `add` gives. */
  private first = 0;
  private next = 0;
  private tokenSum = 0;

  constructor(readonly lengthMs: number = WINDOW_MS) {}

  get requests(): number {
    return this.next - this.first;
  }

  get tokens(): number {
    return this.tokenSum;
  }

  // Remainder, not a bit mask: sequence numbers pass 2^31 after two billion requests, in a long-lived gateway.
  private slot(entry: WindowEntry): number {
    return entry % this.starts.length;
  }

  prune(now: number): void {
    const cutoff = now - this.lengthMs;
    while (this.first < this.next && this.starts[this.slot(this.first)] <= cutoff) {
      this.tokenSum -= this.counted[this.slot(this.first)];
      this.first += 1;
    }
  }

  /** Record a request starting at `at` (not before the last one). */
  add(at: number, tokens: number): WindowEntry {
    if (this.next - this.first === this.starts.length) this.grow();
    const entry = this.next;
    this.starts[this.slot(entry)] = at;
    this.counted[this.slot(entry)] = tokens;
    this.tokenSum += tokens;
    this.next += 1;
    return entry;
  }

  /** The tokens counted for `entry`, while it is in the window. */
  tokensOf(entry: WindowEntry): number | undefined {
    return entry >= this.first && entry < this.next ? this.counted[this.slot(entry)] : undefined;
  }

  /** Count what a request really used instead of its estimate (nothing, once it left the window). */
  settle(entry: WindowEntry, tokens: number): void {
    if (entry < this.first || entry >= this.next) return;
    this.tokenSum += tokens - this.counted[this.slot(entry)];
    this.counted[this.slot(entry)] = tokens;
  }

  private grow(): void {
    const starts = new Float64Array(this.starts.length * 2);
    const counted = new Float64Array(this.counted.length * 2);
    for (let entry = this.first; entry < this.next; entry += 1) {
      starts[entry % starts.length] = this.starts[this.slot(entry)];
      counted[entry % counted.length] = this.counted[this.slot(entry)];
    }
    this.starts = starts;
    this.counted = counted;
  }

  /** How long until one more request of `tokens` fits; `undefined` when it fits now. Call `prune(now)` first. */
  blockedFor(tokens: number, limits: WindowLimits, now: number): Blocked | undefined {
    let blocked: Blocked | undefined;
    const { rpm, tpm } = limits;
    if (rpm !== undefined && this.requests >= rpm) {
      const oldestToExpire = this.next - rpm;
      blocked = { waitMs: this.starts[this.slot(oldestToExpire)] + this.lengthMs - now, reason: 'rpm' };
    }
    if (tpm !== undefined && this.requests > 0 && this.tokenSum + tokens > tpm) {
      let excess = this.tokenSum + tokens - tpm;
      let entry = this.first;
      while (entry < this.next - 1 && excess > this.counted[this.slot(entry)]) {
        excess -= this.counted[this.slot(entry)];
        entry += 1;
      }
      const waitMs = this.starts[this.slot(entry)] + this.lengthMs - now;
      if (blocked === undefined || waitMs > blocked.waitMs) blocked = { waitMs, reason: 'tpm' };
    }
    return blocked;
  }
}
