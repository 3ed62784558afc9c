import type { Kernel } from '../kernel.js';
import { isPromise } from '../store/maybe-promise.js';
import type { TargetHealth } from './target-health.js';

/**
 * Cooldowns as TTL keys in the kernel's state store, so a target one instance took out of rotation
 * is skipped by every instance sharing the store until the key expires. With the memory store the
 * group's own health already is the whole story, so nothing is read or written there.
 * A store that cannot be reached leaves each instance with its own view (routing never fails for it).
 */
export class SharedCooldowns {
  constructor(
    private readonly kernel: Kernel,
    private readonly group: string,
  ) {}

  get shared(): boolean {
    return this.kernel.store.kind !== 'memory';
  }

  private key(target: string): string {
    return `routing:cooldown:${this.group}:${target}`;
  }

  /** This instance started a cooldown of `cooldownMs` on `target`: the first to say so sets the key. */
  publish(target: string, cooldownMs: number): void {
    if (!this.shared || !(cooldownMs > 0)) return;
    const done = this.kernel.store.setIfAbsent(this.key(target), String(cooldownMs), cooldownMs);
    if (isPromise(done)) done.catch(() => undefined);
  }

  /** Before a call is planned: adopt the cooldowns other instances started (one round trip, the reads pipelined). */
  async adopt(health: ReadonlyMap<string, TargetHealth>, now: number): Promise<void> {
    if (!this.shared) return;
    const targets = [...health.keys()];
    const values = await Promise.all(targets.map((target) => Promise.resolve(this.kernel.store.get(this.key(target))).catch(() => undefined)));
    values.forEach((value, index) => {
      if (value !== undefined && Number.isFinite(value.ttlMs)) health.get(targets[index])!.adoptCooldown(now + value.ttlMs);
    });
  }
}
