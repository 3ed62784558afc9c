/**
 * Before a backend reported any real usage, reservations are this many times the estimate. It
 * covers what a characters-based estimate is known to miss (Japanese, code, emoji: 2–3× under), so
 * TPM holds from a cold start too; the first settled call replaces it with what was observed.
 */
export const COLD_START_FACTOR = 4;

/** How far one observation below the factor pulls it down: an outlier is forgotten over about this many calls. */
const DECAY_CALLS = 8;

/**
 * What a backend's token estimates are worth, learned from its calls: the factor by which real usage
 * exceeded the reservation. It rises at once to any larger ratio observed (later admissions reserve
 * that much more), falls slowly towards smaller ones, and never goes below 1: settling already frees
 * what a call did not use, so scaling down would only let a call that uses its full reservation overrun.
 */
export class EstimateCalibration {
  private current: number;
  private observed = false;

  /** @param coldStartFactor the factor until the first observation (see `COLD_START_FACTOR`) */
  constructor(coldStartFactor: number = COLD_START_FACTOR) {
    this.current = coldStartFactor;
  }

  /** Real usage per estimated token that reservations assume now. */
  get factor(): number {
    return this.current;
  }

  /** The tokens to reserve for a request estimated at `estimate`: scaled, at most `cap` (so it still fits an empty window). */
  reserve(estimate: number, cap: number): number {
    if (this.current === 1) return estimate;
    return Math.min(Math.ceil(estimate * this.current), Math.max(cap, estimate));
  }

  /** A call estimated at `estimate` really used `used` tokens. */
  observe(estimate: number, used: number): void {
    if (!(estimate > 0 && used >= 0)) return;
    const ratio = used / estimate;
    if (!this.observed) {
      this.observed = true;
      this.current = Math.max(1, ratio);
    } else if (ratio >= this.current) {
      this.current = ratio;
    } else {
      const lowered = this.current + (ratio - this.current) / DECAY_CALLS;
      // Snapped to 1 near it, so `reserve` takes its shortcut again.
      this.current = lowered < 1.01 ? 1 : lowered;
    }
  }
}
