import type { ResolvedTarget } from './routing-options.js';
import type { TargetHealth } from './target-health.js';

export interface PlanInput {
  readonly strategy: 'fallback' | 'loadbalance';
  readonly targets: readonly ResolvedTarget[];
  readonly health: ReadonlyMap<string, TargetHealth>;
  readonly now: number;
  readonly random: () => number;
  /** How long a call to the target would wait for rate-limit capacity, in ms (0: none). */
  readonly capacityWaitMs: (backend: string) => number;
}

export interface Plan {
  /** Targets in the order to try them. */
  readonly order: readonly ResolvedTarget[];
  /** True when every target was cooling down and the plan is the one whose cooldown ends first. */
  readonly forced: boolean;
}

/**
 * The order in which one call tries the targets. Targets in cooldown are left out; targets that
 * would have to wait for rate-limit capacity go after those that would not. `fallback` keeps the
 * listed order within each part; `loadbalance` draws by weight, without replacement, so the first
 * target is picked in proportion to its weight and the rest are the fallbacks in drawn order.
 * When every target is cooling down, the plan is the one whose cooldown ends first, alone.
 */
export function planTargets(input: PlanInput): Plan {
  const available = input.targets.filter((target) => input.health.get(target.backend)!.isAvailable(input.now));
  if (available.length === 0) {
    const soonest = [...input.targets].sort((a, b) => endOf(input, a) - endOf(input, b))[0];
    return { order: [soonest], forced: true };
  }
  const ready = available.filter((target) => input.capacityWaitMs(target.backend) <= 0);
  const waiting = available.filter((target) => input.capacityWaitMs(target.backend) > 0);
  if (input.strategy === 'fallback') return { order: [...ready, ...waiting], forced: false };
  return { order: [...weightedOrder(ready, input.random), ...weightedOrder(waiting, input.random)], forced: false };
}

function endOf(input: PlanInput, target: ResolvedTarget): number {
  return input.health.get(target.backend)!.cooldownEndsAt ?? input.now;
}

/** Weighted sampling without replacement. */
function weightedOrder(targets: readonly ResolvedTarget[], random: () => number): ResolvedTarget[] {
  const left = [...targets];
  const order: ResolvedTarget[] = [];
  while (left.length > 0) {
    const total = left.reduce((sum, target) => sum + target.weight, 0);
    let point = random() * total;
    let index = 0;
    while (index < left.length - 1 && point >= left[index].weight) {
      point -= left[index].weight;
      index += 1;
    }
    order.push(left.splice(index, 1)[0]);
  }
  return order;
}
