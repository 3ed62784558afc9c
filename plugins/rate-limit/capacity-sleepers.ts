import type { Clock } from './clock.js';

/**
 * Callers asleep until capacity may be there: each until its time passed, or until `wakeAll` (a
 * settle freed tokens, a reservation was dropped, new provider headers came), whichever is first.
 */
export class CapacitySleepers {
  private readonly wakers = new Set<() => void>();

  constructor(private readonly clock: Clock) {}

  /** Resolves after `ms` or at `wakeAll`; rejects with the signal's reason when it aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let cancel = (): void => {};
      const finish = (): void => {
        cancel();
        this.wakers.delete(wake);
        signal.removeEventListener('abort', onAbort);
      };
      const wake = (): void => {
        finish();
        resolve();
      };
      const onAbort = (): void => {
        finish();
        reject(signal.reason);
      };
      this.wakers.add(wake);
      signal.addEventListener('abort', onAbort, { once: true });
      cancel = this.clock.setTimer(wake, ms);
    });
  }

  wakeAll(): void {
    if (this.wakers.size === 0) return;
    for (const wake of [...this.wakers]) wake();
  }
}
