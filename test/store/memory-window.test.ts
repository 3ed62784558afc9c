import { describe, expect, it } from 'vitest';
import { MemoryWindow } from '../../core/store/memory-window.js';

const admit = (window: MemoryWindow, now: number, tokens: number): number => {
  const result = window.reserve(now, undefined, undefined, tokens, 600_000);
  if (!result.admitted) throw new Error('refused');
  return result.id;
};

describe('MemoryWindow settles stamped entries without a map entry for each of them', () => {
  it('settles a stamped entry again after its first settle, and each settle counts', () => {
    const window = new MemoryWindow(60_000);
    const ids = [admit(window, 0, 10), admit(window, 0, 20), admit(window, 0, 30)];
    for (const id of ids) window.stamp(1, id);
    expect(window.settle(2, ids[1]!, 5)).toBe(true);
    expect(window.usage(2).tokens).toBe(45);
    // The second settle of the same entry finds it in the ring, not in the map of unsettled ones.
    expect(window.settle(3, ids[1]!, 7)).toBe(true);
    expect(window.settle(3, ids[0]!, 1)).toBe(true);
    expect(window.usage(3).tokens).toBe(38);
  });

  it('forgets entries that left the window, settled or not', () => {
    const window = new MemoryWindow(1_000);
    const early = admit(window, 0, 10);
    window.stamp(0, early);
    const settledEarly = admit(window, 0, 10);
    window.stamp(0, settledEarly);
    window.settle(0, settledEarly, 3);
    const late = admit(window, 500, 10);
    window.stamp(500, late);
    expect(window.usage(1_000).tokens).toBe(10);
    expect(window.settle(1_001, early, 99)).toBe(false);
    expect(window.settle(1_001, settledEarly, 99)).toBe(false);
    expect(window.settle(1_001, late, 4)).toBe(true);
    expect(window.usage(1_001)).toEqual({ requests: 1, tokens: 4, pending: 0 });
    expect(window.usage(1_600).requests).toBe(0);
    expect(window.isEmpty).toBe(true);
  });

  it('keeps the ids right as the ring grows past its first size', () => {
    const window = new MemoryWindow(60_000);
    const ids: number[] = [];
    for (let i = 0; i < 300; i += 1) {
      ids.push(admit(window, i, 1));
      window.stamp(i, ids[i]!);
      if (i % 2 === 0) window.settle(i, ids[i]!, 2);
    }
    expect(window.usage(300).tokens).toBe(450);
    for (const id of ids) expect(window.settle(301, id, 0)).toBe(true);
    expect(window.usage(301).tokens).toBe(0);
  });
});
