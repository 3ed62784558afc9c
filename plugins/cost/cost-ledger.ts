import type { CostEvent } from '../../core/hooks.js';
import { fromNano, TotalsAccumulator, type CostTotals } from './cost-totals.js';

export interface CostSummary extends CostTotals {
  readonly byBackend: Readonly<Record<string, CostTotals>>;
  /** Keyed by model id, as the provider reported it. */
  readonly byModel: Readonly<Record<string, CostTotals>>;
}

/** Every call's cost on one kernel: in total, per backend and per model. */
export class CostLedger {
  private total = new TotalsAccumulator();
  private backends = new Map<string, TotalsAccumulator>();
  private models = new Map<string, TotalsAccumulator>();
  private readonly resetListeners: (() => void)[] = [];

  record(event: CostEvent): void {
    this.total.add(event);
    groupOf(this.backends, event.backendName).add(event);
    groupOf(this.models, event.model).add(event);
  }

  /** USD spent so far on calls with known pricing. */
  get spentUsd(): number {
    return fromNano(this.total.totalNano);
  }

  /** Calls whose pricing is unknown (or whose cost came out negative or not a number), so `spentUsd` leaves them out. */
  get unknownPricingCalls(): number {
    return this.total.unknownPricingCalls;
  }

  summary(): CostSummary {
    return {
      ...this.total.snapshot(),
      byBackend: snapshotAll(this.backends),
      byModel: snapshotAll(this.models),
    };
  }

  /** Forget every call, e.g. at the start of a billing period. Budget notices can fire again. */
  reset(): void {
    this.total = new TotalsAccumulator();
    this.backends = new Map();
    this.models = new Map();
    for (const listener of this.resetListeners) listener();
  }

  /** @internal Called after each `reset()`: the budget starts counting spending again. */
  onReset(listener: () => void): void {
    this.resetListeners.push(listener);
  }
}

function groupOf(groups: Map<string, TotalsAccumulator>, key: string): TotalsAccumulator {
  let group = groups.get(key);
  if (!group) {
    group = new TotalsAccumulator();
    groups.set(key, group);
  }
  return group;
}

function snapshotAll(groups: Map<string, TotalsAccumulator>): Record<string, CostTotals> {
  const out: Record<string, CostTotals> = {};
  for (const [key, group] of groups) out[key] = group.snapshot();
  return out;
}
