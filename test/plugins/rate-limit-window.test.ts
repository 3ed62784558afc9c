// The rate limiter's sliding window: a ring of typed arrays addressed by sequence number.
import { describe, expect, it } from 'vitest';
import { NOT_RECORDED, SlidingWindow } from '../../plugins/rate-limit/sliding-window.js';

describe('SlidingWindow', () => {
  it('counts what started in the last window, growing past its first capacity and wrapping around', () => {
    const window = new SlidingWindow(1000);
    const entries = [];
    // 300 requests, 10 ms apart: the ring starts at 64 slots, so it grows while entries also expire.
    for (let i = 0; i < 300; i += 1) {
      window.prune(i * 10);
      entries.push(window.add(i * 10, i));
      const live = Math.min(i + 1, 100); // (now - 1000, now]: the last 100 starts
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
    window.settle(NOT_RECORDED, 7);
    expect(window.tokens).toBe(before);
  });

  it('says when the oldest request that must expire does, for rpm and for tpm', () => {
    const window = new SlidingWindow(60_000);
    window.add(0, 100);
    window.add(1000, 200);
    window.add(2000, 300);
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
});
