// A manual clock for the rate limiter, and the window arithmetic the rate-limit tests assert with.
import { WINDOW_MS, type Clock } from '../../plugins/rate-limit/index.js';

interface Timer {
  readonly at: number;
  readonly callback: () => void;
}

/** A clock that only moves when told to; timers fire in order as it passes them. Records every delay asked for. */
export class ManualClock implements Clock {
  private time = 0;
  private readonly timers: Timer[] = [];
  /** Every `ms` passed to `setTimer`, in order. */
  readonly delays: number[] = [];

  now(): number {
    return this.time;
  }

  setTimer(callback: () => void, ms: number): () => void {
    this.delays.push(ms);
    const timer = { at: this.time + ms, callback };
    this.timers.push(timer);
    return () => {
      const index = this.timers.indexOf(timer);
      if (index >= 0) this.timers.splice(index, 1);
    };
  }

  get pendingTimers(): number {
    return this.timers.length;
  }

  get nextTimerAt(): number | undefined {
    const finite = this.timers.filter((timer) => Number.isFinite(timer.at));
    return finite.length === 0 ? undefined : Math.min(...finite.map((timer) => timer.at));
  }

  /** Move time forward by `ms`, firing due timers one by one and letting promises settle after each. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    await settle();
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (next === undefined || next.at > target) break;
      this.timers.shift();
      this.time = Math.max(this.time, next.at);
      next.callback();
      await settle();
    }
    this.time = target;
    await settle();
  }

  /** Jump to the earliest timer and fire it (and any due at the same moment); false when none is set. */
  fireNext(): boolean {
    const at = this.nextTimerAt;
    if (at === undefined) return false;
    this.time = Math.max(this.time, at);
    this.timers.sort((a, b) => a.at - b.at);
    while (this.timers[0] !== undefined && this.timers[0].at <= this.time) this.timers.shift()!.callback();
    return true;
  }
}

/** Let promise chains and I/O callbacks already due run. */
export async function settle(turns = 20): Promise<void> {
  for (let turn = 0; turn < turns; turn += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** The most arrivals (or their weights) in any window of WINDOW_MS: every window that opens at an arrival. */
export function busiestWindow(times: readonly number[], weights: readonly number[] = times.map(() => 1)): number {
  let most = 0;
  for (const open of times) {
    let total = 0;
    times.forEach((time, index) => {
      if (time >= open && time < open + WINDOW_MS) total += weights[index];
    });
    most = Math.max(most, total);
  }
  return most;
}
