/** Provider limits are per minute; their windows slide. */
export const WINDOW_MS = 60_000;

/** A reservation's place in the window: `PENDING` until stamped, then its sequence number in the ring. */
export type WindowEntry = number;

/** Not stamped yet: the request may not have reached the upstream. */
export const PENDING: WindowEntry = -1;
/** Released before it was stamped: it never reached the upstream and counts nowhere. */
export const RELEASED: WindowEntry = -2;

/** One request in a window, from `reserve` to `release`. The window updates it; callers only hold it. */
export interface WindowReservation {
  entry: WindowEntry;
  tokens: number;
}

export interface WindowLimits {
  readonly rpm?: number;
  readonly tpm?: number;
}

export interface Blocked {
  /** How long until it fits; for a wait on requests not yet stamped, the least it can be (a full window). */
  readonly waitMs: number;
  readonly reason: string;
}

/**
 * Requests and tokens in the last `lengthMs`, as the upstream may have seen them. A request is
 * `reserve`d at admission and counts at once; it is `stamp`ed when its attempt settled (the upstream
 * received it no later than that), then counts in `(stamp - lengthMs, stamp]`; `settle` replaces
 * its tokens with the real count; `release` drops one that was never stamped. Until it is stamped it
 * counts in every window and never expires. The four operations are the state store's
 * (`core/store`: windowReserve, windowStamp, windowSettle, windowRelease), so the limiter can move onto it.
 *
 * Stamped entries are a ring of two Float64Arrays (stamp, tokens) indexed by sequence number, not an
 * object each: at thousands of requests a second a minute's window holds hundreds of thousands of
 * entries, and as objects every one was copied by the young-generation GC and then kept in the old
 * generation for a minute. Stamps are taken from one monotonic clock, so the ring stays in order;
 * pending requests are two sums, not entries.
 */
export class SlidingWindow {
  private starts = new Float64Array(64);
  private counted = new Float64Array(64);
  /** Sequence numbers: `first` is the oldest entry still in the window, `next` the one `stamp` gives. */
  private first = 0;
  private next = 0;
  private stampedTokens = 0;
  private lastStamp = Number.NEGATIVE_INFINITY;
  private pendingRequests = 0;
  private pendingTokens = 0;

  constructor(readonly lengthMs: number = WINDOW_MS) {}

  /** Requests counted now: stamped in the window, and pending. Call `prune(now)` first. */
  get requests(): number {
    return this.next - this.first + this.pendingRequests;
  }

  get tokens(): number {
    return this.stampedTokens + this.pendingTokens;
  }

  /** Requests reserved and not stamped yet. */
  get pending(): number {
    return this.pendingRequests;
  }

  // Remainder, not a bit mask: sequence numbers pass 2^31 after two billion requests, in a long-lived gateway.
  private slot(entry: WindowEntry): number {
    return entry % this.starts.length;
  }

  prune(now: number): void {
    const cutoff = now - this.lengthMs;
    while (this.first < this.next && this.starts[this.slot(this.first)] <= cutoff) {
      this.stampedTokens -= this.counted[this.slot(this.first)];
      this.first += 1;
    }
  }

  /** Count a request that may reach the upstream from now on. */
  reserve(tokens: number): WindowReservation {
    this.pendingRequests += 1;
    this.pendingTokens += tokens;
    return { entry: PENDING, tokens };
  }

  /** The request has reached the upstream by `at`: from then on it expires `lengthMs` later. */
  stamp(reservation: WindowReservation, at: number): void {
    if (reservation.entry !== PENDING) return;
    this.pendingRequests -= 1;
    this.pendingTokens -= reservation.tokens;
    reservation.entry = this.add(Math.max(at, this.lastStamp), reservation.tokens);
  }

  /** Count what the request really used instead of its estimate (nothing changes once it left the window). */
  settle(reservation: WindowReservation, tokens: number): void {
    const { entry } = reservation;
    if (entry === PENDING) this.pendingTokens += tokens - reservation.tokens;
    else if (entry >= this.first && entry < this.next) {
      this.stampedTokens += tokens - this.counted[this.slot(entry)];
      this.counted[this.slot(entry)] = tokens;
    }
    reservation.tokens = tokens;
  }

  /** Drop a request that never reached the upstream; one already stamped stays until it expires. */
  release(reservation: WindowReservation): void {
    if (reservation.entry !== PENDING) return;
    this.pendingRequests -= 1;
    this.pendingTokens -= reservation.tokens;
    reservation.entry = RELEASED;
  }

  /** The tokens counted for a reservation now: `undefined` once it expired or was released. */
  tokensOf(reservation: WindowReservation): number | undefined {
    const { entry } = reservation;
    if (entry === PENDING) return reservation.tokens;
    return entry >= this.first && entry < this.next ? this.counted[this.slot(entry)] : undefined;
  }

  private add(at: number, tokens: number): WindowEntry {
    if (this.next - this.first === this.starts.length) this.grow();
    const entry = this.next;
    this.starts[this.slot(entry)] = at;
    this.counted[this.slot(entry)] = tokens;
    this.stampedTokens += tokens;
    this.lastStamp = at;
    this.next += 1;
    return entry;
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

  /**
   * How long until one more request of `tokens` fits; `undefined` when it fits now. Call `prune(now)`
   * first. When pending requests must leave for it to fit, they expire a full window after they are
   * stamped at the earliest, so the wait is at least `lengthMs` (a settle to fewer tokens, or a
   * release, can end a token wait sooner: the limiter wakes its waiters then).
   */
  blockedFor(tokens: number, limits: WindowLimits, now: number): Blocked | undefined {
    let blocked: Blocked | undefined;
    const { rpm, tpm } = limits;
    const stamped = this.next - this.first;
    if (rpm !== undefined && stamped + this.pendingRequests >= rpm) {
      // The oldest stamped entries that must expire for one more to fit.
      const mustExpire = stamped + this.pendingRequests - rpm + 1;
      const waitMs = mustExpire <= stamped ? this.starts[this.slot(this.first + mustExpire - 1)] + this.lengthMs - now : this.lengthMs;
      blocked = { waitMs, reason: 'rpm' };
    }
    if (tpm !== undefined && stamped + this.pendingRequests > 0 && this.tokens + tokens > tpm) {
      let excess = this.tokens + tokens - tpm;
      let entry = this.first;
      while (entry < this.next - 1 && excess > this.counted[this.slot(entry)]) {
        excess -= this.counted[this.slot(entry)];
        entry += 1;
      }
      // An empty window takes any request within tpm, so once every stamped entry expired it fits, unless some are pending.
      const fitsAfter = entry < this.next && (excess <= this.counted[this.slot(entry)] || this.pendingRequests === 0);
      const waitMs = fitsAfter ? this.starts[this.slot(entry)] + this.lengthMs - now : this.lengthMs;
      if (blocked === undefined || waitMs > blocked.waitMs) blocked = { waitMs, reason: 'tpm' };
    }
    return blocked;
  }
}
