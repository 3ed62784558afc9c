import type { WindowEntryId, WindowReservation, WindowUsage } from './state-store.js';

interface PendingEntry {
  tokens: number;
  readonly expiresAt: number;
}

/**
 * One sliding window of the memory store. Stamped entries are a ring of Float64Arrays (stamp time,
 * tokens) in stamp order — stamps take the store's monotonic clock, so appending keeps the order —
 * not an object each: at thousands of requests a second a window holds hundreds of thousands of
 * entries, and as objects each was copied by the young-generation GC and kept a minute in the old
 * one. Pending entries are few (admitted, not yet sent) and short-lived: a Map of small objects.
 */
export class MemoryWindow {
  private times = new Float64Array(64);
  private counted = new Float64Array(64);
  /** The entry id of each slot: a settle of an entry settled before is found here (rare: the limiter settles once). */
  private ids = new Float64Array(64);
  /** Sequence numbers of the ring: `first` is the oldest stamped entry still in the window. */
  private first = 0;
  private next = 0;
  /**
   * Entry id → ring sequence number of the stamped entries not settled yet. A settle takes its entry
   * out: the map holds about as many entries as requests are in flight, not a minute's worth of
   * them (hundreds of thousands at thousands of requests a second, each a hash-table slot to grow,
   * copy and sweep).
   */
  private readonly stamped = new Map<WindowEntryId, number>();
  /** No entry of `stamped` is older than this sequence (it may be stale low after a settle): the map is looked at once the ring passed it. */
  private oldestUnsettled = Number.POSITIVE_INFINITY;
  private readonly pending = new Map<WindowEntryId, PendingEntry>();
  private nextPendingExpiry = Number.POSITIVE_INFINITY;
  private tokenSum = 0;
  private lastId = 0;

  constructor(readonly windowMs: number) {}

  reserve(now: number, requestLimit: number | undefined, tokenLimit: number | undefined, tokens: number, pendingTtlMs: number): WindowReservation {
    this.prune(now);
    const requests = this.next - this.first + this.pending.size;
    let blocked = false;
    let retryAfterMs = 0;
    let reason: 'requests' | 'tokens' = 'requests';
    if (requestLimit !== undefined && requests + 1 > requestLimit) {
      blocked = true;
      retryAfterMs = this.expiryOfRank(requests - requestLimit, now) - now;
    }
    if (tokenLimit !== undefined && this.tokenSum + tokens > tokenLimit) {
      const wait = tokens > tokenLimit ? Number.POSITIVE_INFINITY : this.tokensFreedAt(this.tokenSum + tokens - tokenLimit, now) - now;
      if (!blocked || wait > retryAfterMs) {
        retryAfterMs = wait;
        reason = 'tokens';
      }
      blocked = true;
    }
    // Whole milliseconds, at least one: a caller that sleeps that long finds the entry gone.
    if (blocked) return { admitted: false, retryAfterMs: Math.max(1, Math.ceil(retryAfterMs)), reason, requests, tokens: this.tokenSum };
    const id = ++this.lastId;
    const expiresAt = now + pendingTtlMs;
    this.pending.set(id, { tokens, expiresAt });
    if (expiresAt < this.nextPendingExpiry) this.nextPendingExpiry = expiresAt;
    this.tokenSum += tokens;
    return { admitted: true, id, requests: requests + 1, tokens: this.tokenSum };
  }

  stamp(now: number, id: WindowEntryId): boolean {
    this.prune(now);
    const entry = this.pending.get(id);
    if (entry === undefined) return false;
    this.pending.delete(id);
    if (this.next - this.first === this.times.length) this.grow();
    const slot = this.next % this.times.length;
    this.times[slot] = now;
    this.counted[slot] = entry.tokens;
    this.ids[slot] = id;
    if (this.stamped.size === 0) this.oldestUnsettled = this.next;
    this.stamped.set(id, this.next);
    this.next += 1;
    return true;
  }

  settle(now: number, id: WindowEntryId, tokens: number): boolean {
    this.prune(now);
    const entry = this.pending.get(id);
    if (entry !== undefined) {
      this.tokenSum += tokens - entry.tokens;
      entry.tokens = tokens;
      return true;
    }
    let sequence = this.stamped.get(id);
    if (sequence === undefined) sequence = this.settledBefore(id);
    else this.stamped.delete(id);
    if (sequence === undefined) return false;
    const slot = sequence % this.times.length;
    this.tokenSum += tokens - this.counted[slot];
    this.counted[slot] = tokens;
    return true;
  }

  /** The sequence of a stamped entry settled before and still in the window, newest first (stamps and settles come close together). */
  private settledBefore(id: WindowEntryId): number | undefined {
    if (typeof id !== 'number') return undefined;
    for (let sequence = this.next - 1; sequence >= this.first; sequence -= 1) {
      if (this.ids[sequence % this.ids.length] === id) return sequence;
    }
    return undefined;
  }

  release(now: number, id: WindowEntryId): boolean {
    this.prune(now);
    const entry = this.pending.get(id);
    if (entry === undefined) return false;
    this.pending.delete(id);
    this.tokenSum -= entry.tokens;
    return true;
  }

  usage(now: number): WindowUsage {
    this.prune(now);
    return { requests: this.next - this.first + this.pending.size, tokens: this.tokenSum, pending: this.pending.size };
  }

  /** Nothing counted: the store may forget this window. */
  get isEmpty(): boolean {
    return this.next === this.first && this.pending.size === 0;
  }

  private prune(now: number): void {
    const cutoff = now - this.windowMs;
    while (this.first < this.next) {
      const slot = this.first % this.times.length;
      if (this.times[slot] > cutoff) break;
      this.tokenSum -= this.counted[slot];
      this.first += 1;
    }
    // Stamped entries that left the window unsettled: the map's oldest (Map order is stamp order).
    if (this.first > this.oldestUnsettled) {
      this.oldestUnsettled = Number.POSITIVE_INFINITY;
      for (const [id, sequence] of this.stamped) {
        if (sequence >= this.first) {
          this.oldestUnsettled = sequence;
          break;
        }
        this.stamped.delete(id);
      }
    }
    if (now >= this.nextPendingExpiry) this.expirePending(now);
  }

  private expirePending(now: number): void {
    let nextExpiry = Number.POSITIVE_INFINITY;
    for (const [id, entry] of this.pending) {
      if (entry.expiresAt <= now) {
        this.pending.delete(id);
        this.tokenSum -= entry.tokens;
      } else if (entry.expiresAt < nextExpiry) {
        nextExpiry = entry.expiresAt;
      }
    }
    this.nextPendingExpiry = nextExpiry;
  }

  /**
   * When the entry of `rank` (0 = first to leave) leaves the window: stamped entries leave in stamp
   * order, pending ones at the earliest a window after now (as if stamped now), after all of them.
   */
  private expiryOfRank(rank: number, now: number): number {
    const stampedCount = this.next - this.first;
    if (rank < stampedCount) return this.times[(this.first + rank) % this.times.length] + this.windowMs;
    return now + this.windowMs;
  }

  /** When at least `excess` tokens will have left the window, in the same order. */
  private tokensFreedAt(excess: number, now: number): number {
    let left = excess;
    for (let sequence = this.first; sequence < this.next; sequence += 1) {
      const slot = sequence % this.times.length;
      left -= this.counted[slot];
      if (left <= 0) return this.times[slot] + this.windowMs;
    }
    return now + this.windowMs;
  }

  private grow(): void {
    const times = new Float64Array(this.times.length * 2);
    const counted = new Float64Array(this.counted.length * 2);
    const ids = new Float64Array(this.ids.length * 2);
    for (let sequence = this.first; sequence < this.next; sequence += 1) {
      times[sequence % times.length] = this.times[sequence % this.times.length];
      counted[sequence % counted.length] = this.counted[sequence % this.counted.length];
      ids[sequence % ids.length] = this.ids[sequence % this.ids.length];
    }
    this.times = times;
    this.counted = counted;
    this.ids = ids;
  }
}
