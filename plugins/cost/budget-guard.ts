import { AbortError, BudgetExceededError } from '../../core/errors.js';
import type { CallContext, CostEvent, KernelNotice } from '../../core/hooks.js';
import type { RequestCostEstimate } from '../../core/estimate.js';
import { AdmissionQueue, type Admission } from './admission-queue.js';
import { BudgetAccount } from './budget-account.js';
import { budgetExceededMessage, type BudgetRefusal } from './budget-message.js';
import { fromNano, toNano } from './cost-totals.js';

export const UNKNOWN_PRICING_NOTICE = 'cost.unknown-pricing';

export interface BudgetGuardOptions {
  /** The budget over every backend, if any. */
  readonly budgetUsd: number | undefined;
  /** Budgets of single backends, by backend name. */
  readonly budgets: Readonly<Record<string, number>>;
  readonly warnAtFraction: number;
  readonly whenExceeded: 'refuse' | 'wait';
  readonly maxWaitMs: number;
  /** How many calls with unknown pricing the ledger holds, for the refusal message. */
  readonly unknownPricingCalls: () => number;
  readonly notify: (notice: KernelNotice, context: CallContext) => void;
}

/** A call waiting for room (only with `whenExceeded: "wait"`). */
interface Pending {
  readonly amountNano: number;
  readonly estimate: RequestCostEstimate;
  readonly context: CallContext;
  readonly model: string;
  readonly backend: BudgetAccount | undefined;
}

/**
 * Keeps spending within the budgets: a call reserves its worst-case cost at admission (or is
 * refused, or waits), settles to its real cost at each charge, and gives back what is left when it
 * ends. Sends one notice when total spending reaches `warnAtFraction` of `budgetUsd` and one when
 * it crosses it. Reservations are keyed by `context.callId`, unique per kernel, as the guard is.
 */
export class BudgetGuard {
  private readonly total: BudgetAccount | undefined;
  private readonly backends = new Map<string, BudgetAccount>();
  private readonly queue: AdmissionQueue<Pending> | undefined;
  private readonly warnNano: number;
  private warned = false;
  private crossed = false;
  private readonly unpricedModelsNoticed = new Set<string>();

  constructor(private readonly options: BudgetGuardOptions) {
    this.total = options.budgetUsd === undefined ? undefined : new BudgetAccount(toNano(options.budgetUsd));
    for (const [name, usd] of Object.entries(options.budgets)) this.backends.set(name, new BudgetAccount(toNano(usd)));
    this.warnNano = toNano((options.budgetUsd ?? 0) * options.warnAtFraction);
    if (options.whenExceeded === 'wait') {
      this.queue = new AdmissionQueue<Pending>({
        tryAdmit: (pending) => this.tryAdmit(pending),
        maxWaitMs: options.maxWaitMs,
        timedOut: (pending, waitedMs) => this.refusal(pending, this.blocking(pending) ?? this.total ?? pending.backend!, waitedMs),
        aborted: (pending, signal) =>
          new AbortError(`The call to ${pending.context.backendName} was aborted by its AbortSignal while it waited for room in the budget; it was not sent.`, {
            provider: pending.context.provider,
            cause: signal.reason,
          }),
      });
    }
  }

  /**
   * Admits the call now (its reservation taken) or throws `BudgetExceededError`; nothing has been
   * sent yet. Synchronous: admission is one check-and-reserve, so concurrent calls cannot both fit.
   */
  admit(estimate: RequestCostEstimate, context: CallContext, model: string): void {
    const backend = this.backends.get(context.backendName);
    if (this.total === undefined && backend === undefined) return;
    if (estimate.costUsd === undefined) return this.noticeUnknownPricing(context, model);
    // The fast path allocates nothing: a refusal builds its record.
    const amountNano = toNano(estimate.costUsd);
    const key = context.callId;
    if (this.total && !this.total.reserve(key, amountNano)) throw this.refusal({ amountNano, estimate, context, model, backend }, this.total);
    if (backend && !backend.reserve(key, amountNano)) {
      this.total?.release(key);
      throw this.refusal({ amountNano, estimate, context, model, backend }, backend);
    }
  }

  /** `admit`, or with `whenExceeded: "wait"` wait for room: `done` is called once, at once when the call fits. */
  admitOrWait(estimate: RequestCostEstimate, context: CallContext, model: string, done: (error: Error | null) => void): void {
    const pending = this.pending(estimate, context, model);
    if (pending === undefined) return done(null);
    // Calls already waiting go first, so a stream of small calls cannot starve a large one.
    if (this.queue!.length === 0) {
      const admission = this.tryAdmit(pending);
      if (admission !== 'wait') return done(admission === 'admitted' ? null : admission);
    }
    this.queue!.enqueue(pending, context.signal, done);
  }

  /** A charge of the call: spending goes up by its cost, its reservation down as much. */
  charge(event: CostEvent, context: CallContext): void {
    const key = context.callId;
    const costUsd = event.costUsd;
    const backend = this.backends.get(context.backendName);
    if (costUsd === undefined || !(costUsd >= 0) || !Number.isFinite(costUsd)) {
      // Usage without a price (the provider answered for a model whose price is not known) of a call
      // that reserved at known prices: its real cost is unknown, so the budget counts the worst case.
      if (this.total) this.total.settle(key, this.total.heldBy(key));
      if (backend) backend.settle(key, backend.heldBy(key));
    } else {
      const nano = toNano(costUsd);
      this.total?.settle(key, nano);
      backend?.settle(key, nano);
    }
    if (this.total) this.notifySpending(context);
  }

  /** The call ended: what it still holds goes back, and waiting calls may now fit. */
  end(context: CallContext): void {
    const released = (this.total?.release(context.callId) ?? 0) + (this.backends.get(context.backendName)?.release(context.callId) ?? 0);
    if (released > 0 && this.queue && this.queue.length > 0) this.queue.drain();
  }

  /** The ledger was reset: spending starts at zero again, and budget notices can fire again. */
  resetSpent(): void {
    this.total?.resetSpent();
    for (const account of this.backends.values()) account.resetSpent();
    this.queue?.drain();
  }

  /** What the call must reserve, or `undefined` when no budget applies to it. */
  private pending(estimate: RequestCostEstimate, context: CallContext, model: string): Pending | undefined {
    const backend = this.backends.get(context.backendName);
    if (this.total === undefined && backend === undefined) return undefined;
    if (estimate.costUsd === undefined) {
      this.noticeUnknownPricing(context, model);
      return undefined;
    }
    return { amountNano: toNano(estimate.costUsd), estimate, context, model, backend };
  }

  /** Reserves in every budget the call counts against, or in none: the account that had no room. */
  private reserve(pending: Pending): BudgetAccount | undefined {
    const key = pending.context.callId;
    if (this.total && !this.total.reserve(key, pending.amountNano)) return this.total;
    if (pending.backend && !pending.backend.reserve(key, pending.amountNano)) {
      this.total?.release(key);
      return pending.backend;
    }
    return undefined;
  }

  private tryAdmit(pending: Pending): Admission {
    const refusedBy = this.reserve(pending);
    if (refusedBy === undefined) return 'admitted';
    // Waiting helps only if calls in flight hold what this one lacks.
    return pending.amountNano > refusedBy.limitNano - refusedBy.spent ? this.refusal(pending, refusedBy) : 'wait';
  }

  /** The account that has no room for the call now, if any (without reserving). */
  private blocking(pending: Pending): BudgetAccount | undefined {
    if (this.total && this.total.available < pending.amountNano) return this.total;
    if (pending.backend && pending.backend.available < pending.amountNano) return pending.backend;
    return undefined;
  }

  private refusal(pending: Pending, account: BudgetAccount, waitedMs?: number): BudgetExceededError {
    const { context, estimate, model } = pending;
    const refusal: BudgetRefusal = {
      backendName: context.backendName,
      model,
      scope: account === this.total ? 'total' : 'backend',
      budgetUsd: fromNano(account.limitNano),
      spentUsd: fromNano(account.spent),
      reservedUsd: fromNano(account.reserved),
      leftUsd: fromNano(account.available),
      holders: account.holders,
      estimate,
      neededUsd: fromNano(pending.amountNano),
      canFitLater: pending.amountNano <= account.limitNano - account.spent,
      waiting: this.options.whenExceeded === 'wait',
      waitedMs,
      unknownPricingCalls: this.options.unknownPricingCalls(),
    };
    return new BudgetExceededError(budgetExceededMessage(refusal), refusal.budgetUsd, refusal.spentUsd, refusal.neededUsd, refusal.reservedUsd);
  }

  private noticeUnknownPricing(context: CallContext, model: string): void {
    const key = `${context.backendName}\u0000${model}`;
    if (this.unpricedModelsNoticed.has(key)) return;
    this.unpricedModelsNoticed.add(key);
    this.options.notify(
      { type: 'custom', name: UNKNOWN_PRICING_NOTICE, data: { backend: context.backendName, model, message: `Pricing of ${model} is unknown: its calls are let through without a budget check.` } },
      context,
    );
  }

  /** After each charge: notify once at the warning threshold and once past the total budget. */
  private notifySpending(context: CallContext): void {
    const total = this.total!;
    const spentNano = total.spent;
    const crossed = spentNano > total.limitNano;
    const warn = spentNano > 0 && spentNano >= this.warnNano;
    // Spending below a threshold again can only follow a ledger reset: arm that notice again.
    if (!crossed) this.crossed = false;
    if (!warn) this.warned = false;
    const budgetUsd = this.options.budgetUsd!;
    if (crossed && !this.crossed) {
      this.crossed = true;
      this.warned = true;
      this.options.notify({ type: 'budget', spentUsd: fromNano(spentNano), budgetUsd, crossed: true }, context);
    } else if (warn && !this.warned) {
      this.warned = true;
      this.options.notify({ type: 'budget', spentUsd: fromNano(spentNano), budgetUsd, crossed: false }, context);
    }
  }
}
