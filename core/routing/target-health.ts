/** `healthy`: in rotation. `cooling`: skipped until `cooldownEndsAt`. `half-open`: cooldown over, the next call is a trial. */
export type TargetStatus = 'healthy' | 'cooling' | 'half-open';

export interface CooldownPolicy {
  /** Failures in a row, each within `windowMs` of the first, that take a target out of rotation. */
  readonly failures: number;
  readonly windowMs: number;
  /** How long a failing target stays out before one trial call. */
  readonly cooldownMs: number;
}

/** What a health change means for notices: a target went out of rotation, or came back. */
export type HealthChange = 'cooldown' | 'recovered' | undefined;

/**
 * One target's circuit breaker. A success resets the count, so only a target that keeps failing
 * cools down. After the cooldown it is half-open: one call at a time may try it; success puts it
 * back in rotation, failure starts a new cooldown. Times come from the group's clock.
 */
export class TargetHealth {
  /** Start times of the failures in a row, within the window. */
  private failureTimes: number[] = [];
  private cooldownUntil: number | undefined;
  private trial = false;

  constructor(private readonly policy: CooldownPolicy) {}

  status(now: number): TargetStatus {
    if (this.cooldownUntil === undefined) return 'healthy';
    return now < this.cooldownUntil ? 'cooling' : 'half-open';
  }

  /** Whether a call may use this target now (a half-open one only when no trial is running). */
  isAvailable(now: number): boolean {
    const status = this.status(now);
    return status === 'healthy' || (status === 'half-open' && !this.trial);
  }

  get cooldownEndsAt(): number | undefined {
    return this.cooldownUntil;
  }

  get trialInFlight(): boolean {
    return this.trial;
  }

  recentFailures(now: number): number {
    return this.failureTimes.filter((time) => now - time < this.policy.windowMs).length;
  }

  /** An attempt starts. On a half-open target it is the trial. */
  begin(now: number): void {
    if (this.status(now) === 'half-open') this.trial = true;
  }

  succeeded(): HealthChange {
    const wasOut = this.cooldownUntil !== undefined;
    this.failureTimes = [];
    this.cooldownUntil = undefined;
    this.trial = false;
    return wasOut ? 'recovered' : undefined;
  }

  /** The target failed in a way that says it is unwell (the errors a group falls back on). */
  failed(now: number): HealthChange {
    if (this.trial) {
      this.trial = false;
      this.cooldownUntil = now + this.policy.cooldownMs;
      return 'cooldown';
    }
    // Tried while cooling (every target was): the cooldown it is serving stands.
    if (this.status(now) === 'cooling') return undefined;
    this.failureTimes = [...this.failureTimes.filter((time) => now - time < this.policy.windowMs), now];
    if (this.failureTimes.length < this.policy.failures) return undefined;
    this.failureTimes = [];
    this.cooldownUntil = now + this.policy.cooldownMs;
    return 'cooldown';
  }

  /**
   * Another instance sharing the store cooled this target down until `until`: honour it here too.
   * A cooldown already longer stays; a trial running here finishes on its own.
   */
  adoptCooldown(until: number): void {
    if (this.cooldownUntil !== undefined && this.cooldownUntil >= until) return;
    this.failureTimes = [];
    this.cooldownUntil = until;
  }

  /** The attempt ended with no verdict on the target (aborted, or the request was at fault). */
  released(): void {
    this.trial = false;
  }
}
