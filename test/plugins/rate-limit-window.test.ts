// The rate limiter's sliding window: reserve (pending) → stamp → settle → release, stamped entries
// in a ring of typed arrays addressed by sequence number.
import { describe, expect, it } from 'vitest';
import { RELEASED, SlidingWindow, type WindowReservation } from '../../plugins/rate-limit/sliding-window.js';

describe('SlidingWindow', () => {
  it('counts what was stamped in the last window, growing past its first capacity and wrapping around', () => {
    const window = new SlidingWindow(1000);
    const entries: WindowReservation[] = [];
    // 300 requests, 10 ms apart: the ring starts at 64 slots, so it grows while entries also expire.
    for (let i = 0; i < 300; i += 1) {
      window.prune(i * 10);
      const reservation = window.reserve(i);
      window.stamp(reservation, i * 10);
      entries.push(reservation);
      const live = Math.min(i + 1, 100); // (now - 1000, now]: the last 100 stamps
      expect(window.requests).toBe(live);
      let sum = 0;
      for (let j = i - live + 1; j <= i; j += 1) sum += j;
      expect(window.tokens).toBe(sum);
    }
    // An entry still in the window can be settled; one that left cannot, and changes nothing.
    window.settle(entries[299], 1000);
    expect(window.tokensOf(entries[299])).toBe(1000);
    const before = window.tokens;
    window.settle(entries[0], 5000);
    expect(window.tokensOf(entries[0])).toBeUndefined();
    expect(window.tokens).toBe(before);
  });

  it('says when the oldest request that must expire does, for rpm and for tpm', () => {
    const window = new SlidingWindow(60_000);
    for (const [at, tokens] of [[0, 100], [1000, 200], [2000, 300]]) window.stamp(window.reserve(tokens), at);
    expect(window.blockedFor(1, { rpm: 3 }, 2500)).toEqual({ waitMs: 57_500, reason: 'rpm' });
    expect(window.blockedFor(1, { rpm: 4 }, 2500)).toBeUndefined();
    // 600 counted: 450 more under a 1,000 tpm limit needs the first (100 tokens) gone, at 60,000;
    // 550 more needs the first two (300 tokens) gone, at 61,000.
    expect(window.blockedFor(450, { tpm: 1000 }, 2500)).toEqual({ waitMs: 57_500, reason: 'tpm' });
    expect(window.blockedFor(550, { tpm: 1000 }, 2500)).toEqual({ waitMs: 58_500, reason: 'tpm' });
    window.prune(60_000);
    expect(window.requests).toBe(2);
    expect(window.tokens).toBe(500);
  });

  it('counts a pending reservation in every window and never expires it; stamped late, it expires a window after its stamp', () => {
    const window = new SlidingWindow(60_000);
    const early = window.reserve(100);
    window.stamp(window.reserve(200), 0);
    window.prune(10 * 60_000);
    expect(window.requests).toBe(1);
    expect(window.pending).toBe(1);
    // Pending requests must leave for one more to fit: they expire a full window after their stamp at the earliest.
    expect(window.blockedFor(1, { rpm: 1 }, 10 * 60_000)).toEqual({ waitMs: 60_000, reason: 'rpm' });
    expect(window.blockedFor(950, { tpm: 1000 }, 10 * 60_000)).toEqual({ waitMs: 60_000, reason: 'tpm' });
    window.settle(early, 40);
    expect(window.tokens).toBe(40);
    window.stamp(early, 10 * 60_000 + 5);
    expect(window.pending).toBe(0);
    expect(window.blockedFor(1, { rpm: 1 }, 10 * 60_000 + 5)).toEqual({ waitMs: 60_000, reason: 'rpm' });
    window.prune(11 * 60_000 + 5);
    expect(window.requests).toBe(0);
  });

  it('keeps stamps in order when reservations are stamped out of the order they were made in', () => {
    const window = new SlidingWindow(1000);
    const a = window.reserve(1);
    const b = window.reserve(2);
    window.stamp(b, 100);
    window.stamp(a, 50);
    window.prune(1099);
    expect(window.requests).toBe(2);
    window.prune(1100);
    expect(window.requests).toBe(0);
  });

  it('drops a reservation released before it was stamped; one stamped stays until it expires', () => {
    const window = new SlidingWindow(1000);
    const never = window.reserve(10);
    const sent = window.reserve(20);
    window.release(never);
    expect(never.entry).toBe(RELEASED);
    expect(window.tokensOf(never)).toBeUndefined();
    window.stamp(never, 0);
    window.stamp(sent, 0);
    window.release(sent);
    expect({ requests: window.requests, tokens: window.tokens }).toEqual({ requests: 1, tokens: 20 });
  });
});
