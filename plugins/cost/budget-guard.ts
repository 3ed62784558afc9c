import { AbortError, BudgetExceededError } from '../../core/errors.js';
import type { CallContext, CostEvent, KernelNotice } from '../../core/hooks.js';
import type { RequestCostEstimate } from '../../core/estimate.js';
import { isPromise, whenReady, type MaybePromise } from '../../core/store/maybe-promise.js';
import type { BudgetReservation, BudgetTotals, ReservationId, StateStore } from '../../core/store/state-store.js';
import { isStoreUnavailable, storeErrorPolicy, storeUnavailableNotice } from '../../core/store/store-failure.js';
import { unpricedRefusal } from './unpriced-refusal.js';
import { AdmissionQueue, type Admission } from './admission-queue.js';
import { budgetExceededMessage, type BudgetRefusal } from './budget-message.js';
import { fromNano, toNano } from './cost-totals.js';
import { StoreBudget } from './store-budget.js';

export const UNKNOWN_PRICING_NOTICE = 'cost.unknown-pricing';

export interface BudgetGuardOptions {
  /** Where the budgets live: the kernel's state store. */
  readonly store: StateStore;
  /** The budget over every backend, if any. */
  readonly budgetUsd: number | undefined;
  /** Budgets of single backends, by backend name. */
  readonly budgets: Readonly<Record<string, number>>;
  readonly warnAtFraction: number;
  readonly whenExceeded: 'refuse' | 'wait';
  readonly maxWaitMs: number;
  /** How many calls with unknown pricing the ledger holds, for the refusal message. */
  readonly unknownPricingCalls: () => number;
  /** A call to a model with no price: refused, or let through uncounted. */
  readonly unpricedCalls: 'refuse' | 'allow';
  readonly notify: (notice: KernelNotice, context: CallContext) => void;
}

/** A call waiting for room (only with `whenExceeded: "wait"`). */
interface Pending {
  readonly amountNano: number;
  readonly estimate: RequestCostEstimate;
  readonly context: CallContext;
  readonly model: string;
  readonly backend: StoreBudget | undefined;
}

/** What one call holds, in `context.state`: its reservation ids, until its charge settles them. */
interface Held {
  amountNano: number;
  total: ReservationId | undefined;
  backend: ReservationId | undefined;
  /** A settle still on its way to a remote store: the call's end waits for it (a release first would lose the charge). */
  settling: Promise<unknown> | undefined;
}

const HELD = Symbol('cost.held');
const PLUGIN = 'cost';
/** With a remote store, other instances free room without telling us: waiting calls look again this often. */
const REMOTE_POLL_MS = 250;

/**
 * Keeps spending within the budgets, in the kernel's state store (so instances sharing a store
 * share the budgets): a call reserves its worst-case cost at admission (or is refused, or waits),
 * settles to its real cost when charged, and gives back what is left when it ends. Sends one notice
 * when total spending reaches `warnAtFraction` of `budgetUsd` and one when it crosses it.
 * With the memory store every step is synchronous (no promise on the hot path).
 */
export class BudgetGuard {
  private readonly total: StoreBudget | undefined;
  private readonly backends = new Map<string, StoreBudget>();
  private readonly queue: AdmissionQueue<Pending> | undefined;
  private readonly warnNano: number;
  private warned = false;
  private crossed = false;
  private readonly unpricedModelsNoticed = new Set<string>();
  /** The memory store answers at once: admission, charge and end then take paths without closures or arrays. */
  private readonly synchronous: boolean;

  constructor(private readonly options: BudgetGuardOptions) {
    const { store } = options;
    this.synchronous = store.kind === 'memory';
    this.total = options.budgetUsd === undefined ? undefined : new StoreBudget(store, 'cost:budget', toNano(options.budgetUsd));
    for (const [name, usd] of Object.entries(options.budgets)) this.backends.set(name, new StoreBudget(store, `cost:budget:backend:${name}`, toNano(usd)));
    this.warnNano = toNano((options.budgetUsd ?? 0) * options.warnAtFraction);
    if (options.whenExceeded === 'wait') {
      this.queue = new AdmissionQueue<Pending>({
        tryAdmit: (pending) => this.tryAdmit(pending),
        maxWaitMs: options.maxWaitMs,
        pollMs: store.kind === 'memory' ? undefined : REMOTE_POLL_MS,
        timedOut: (pending, waitedMs) => this.timedOut(pending, waitedMs),
        aborted: (pending, signal) =>
          new AbortError(`The call to ${pending.context.backendName} was aborted by its AbortSignal while it waited for room in the budget; it was not sent.`, {
            provider: pending.context.provider,
            cause: signal.reason,
          }),
      });
    }
  }

  /**
   * Admits the call (its reservation taken) or throws `BudgetExceededError`; nothing has been sent
   * yet. Synchronous with the memory store: one check-and-reserve, so concurrent calls cannot both fit.
   */
  admit(estimate: RequestCostEstimate, context: CallContext, model: string): MaybePromise<void> {
    const pending = this.pending(estimate, context, model);
    if (pending === undefined) return;
    if (this.synchronous) {
      const admission = this.tryAdmitNow(pending, false);
      if (admission !== 'admitted') throw admission;
      return;
    }
    return whenReady(this.tryAdmit(pending, false), (admission) => {
      if (admission !== 'admitted') throw admission;
    });
  }

  /** `admit`, or with `whenExceeded: "wait"` wait for room: `done` is called once, at once when the call fits. */
  admitOrWait(estimate: RequestCostEstimate, context: CallContext, model: string, done: (error: Error | null) => void): void {
    let pending: Pending | undefined;
    try {
      pending = this.pending(estimate, context, model);
    } catch (refusal) {
      return done(refusal as Error);
    }
    if (pending === undefined) return done(null);
    // Calls already waiting go first, so a stream of small calls cannot starve a large one.
    if (this.queue!.length > 0) return this.queue!.enqueue(pending, context.signal, done);
    const first = (admission: Admission): void => {
      if (admission === 'wait') this.queue!.enqueue(pending, context.signal, done);
      else done(admission === 'admitted' ? null : admission);
    };
    const admission = this.tryAdmit(pending);
    if (isPromise(admission)) admission.then(first, (error: Error) => done(error));
    else first(admission);
  }

  /** A charge of the call: spending goes up by its cost, its reservation ends. Never throws: the call already reached the provider. */
  charge(event: CostEvent, context: CallContext): void {
    const backend = this.backends.get(context.backendName);
    if (this.total === undefined && backend === undefined) return;
    const held = context.state.get(HELD) as Held | undefined;
    const costUsd = event.costUsd;
    // Usage without a price (a model whose price is not known) of a call that reserved at known
    // prices: its real cost is unknown, so the budget counts the worst case.
    const priced = costUsd !== undefined && costUsd >= 0 && Number.isFinite(costUsd);
    const nano = priced ? toNano(costUsd) : (held?.amountNano ?? 0);
    const totalId = held?.total;
    const backendId = held?.backend;
    if (totalId === undefined && backendId === undefined && nano === 0) return;
    if (held) {
      held.total = undefined;
      held.backend = undefined;
    }
    if (this.synchronous) {
      if (this.total) {
        const totals = this.now(this.total, 'settle', totalId, nano, context);
        if (totals) this.notifySpending(totals.spentNano, context);
      }
      if (backend) this.now(backend, 'settle', backendId, nano, context);
      if (this.queue && this.queue.length > 0) this.queue.drain();
      return;
    }
    const settles: Promise<unknown>[] = [];
    if (this.total) {
      const settled = this.guarded(() => this.total!.settle(totalId, nano), context);
      if (isPromise(settled)) settles.push(settled.then((totals) => totals && this.notifySpending(totals.spentNano, context)));
      else if (settled) this.notifySpending(settled.spentNano, context);
    }
    if (backend) {
      const settled = this.guarded(() => backend.settle(backendId, nano), context);
      if (isPromise(settled)) settles.push(settled);
    }
    const settled = settles.length > 0 ? Promise.all(settles) : undefined;
    if (held && settled) held.settling = settled;
    // A settle ends the whole reservation: what the call did not spend is room for waiting calls.
    if (this.queue && this.queue.length > 0) {
      if (settled) void settled.then(() => this.queue!.drain());
      else this.queue.drain();
    }
  }

  /** The call ended: what it still holds goes back, and waiting calls may now fit. Never throws. */
  end(context: CallContext): void {
    const held = context.state.get(HELD) as Held | undefined;
    if (held === undefined) return;
    context.state.delete(HELD);
    if (this.synchronous && held.settling === undefined) {
      const backend = held.backend === undefined ? undefined : this.backends.get(context.backendName);
      const released = held.total !== undefined || backend !== undefined;
      if (held.total !== undefined) this.now(this.total!, 'release', held.total, 0, context);
      if (backend !== undefined) this.now(backend, 'release', held.backend, 0, context);
      if (released && this.queue && this.queue.length > 0) this.queue.drain();
      return;
    }
    const release = (): void => {
      const releases: MaybePromise<unknown>[] = [];
      if (held.total !== undefined) releases.push(this.guarded(() => this.total!.release(held.total!), context));
      const backend = this.backends.get(context.backendName);
      if (held.backend !== undefined && backend) releases.push(this.guarded(() => backend.release(held.backend!), context));
      if (releases.length === 0 || !this.queue || this.queue.length === 0) return;
      if (releases.some(isPromise)) void Promise.all(releases).then(() => this.queue!.drain());
      else this.queue.drain();
    };
    if (held.settling) void held.settling.then(release);
    else release();
  }

  /** The ledger was reset: spending starts at zero again (in the store: for every instance sharing it). */
  resetSpent(): void {
    for (const account of [this.total, ...this.backends.values()]) {
      if (account === undefined) continue;
      const reset = account.resetSpent();
      if (isPromise(reset)) reset.catch(() => undefined);
    }
    this.queue?.drain();
  }

  /** What the call must reserve, or `undefined` when no budget applies to it. */
  private pending(estimate: RequestCostEstimate, context: CallContext, model: string): Pending | undefined {
    const backend = this.backends.get(context.backendName);
    if (this.total === undefined && backend === undefined) return undefined;
    if (estimate.costUsd === undefined) {
      if (this.options.unpricedCalls === 'refuse') throw unpricedRefusal(context, model, this.options.budgetUsd ?? this.options.budgets[context.backendName]);
      this.noticeUnknownPricing(context, model);
      return undefined;
    }
    return { amountNano: toNano(estimate.costUsd), estimate, context, model, backend };
  }

  /**
   * Reserves in every budget the call counts against, or in none. `wait` when the call could fit
   * once calls in flight settle (and `canWait`), else the refusal. A store failure follows the
   * store's `onStoreError`: the typed error (fail-closed), or admitted with nothing reserved (fail-open).
   */
  private tryAdmit(pending: Pending, canWait = true): MaybePromise<Admission> {
    const held: Held = { amountNano: pending.amountNano, total: undefined, backend: undefined, settling: undefined };
    const backendStep = (): MaybePromise<Admission> => {
      if (pending.backend === undefined) return this.admitted(pending, held);
      return whenReady(pending.backend.reserve(pending.amountNano), (reservation) => {
        if (reservation.ok) {
          held.backend = reservation.id;
          return this.admitted(pending, held);
        }
        if (held.total !== undefined) this.guarded(() => this.total!.release(held.total!), pending.context);
        return this.refusedBy(pending, pending.backend!, reservation, canWait);
      });
    };
    const step = (): MaybePromise<Admission> => {
      if (this.total === undefined) return backendStep();
      return whenReady(this.total.reserve(pending.amountNano), (reservation) => {
        if (!reservation.ok) return this.refusedBy(pending, this.total!, reservation, canWait);
        held.total = reservation.id;
        return backendStep();
      });
    };
    try {
      const admission = step();
      return isPromise(admission) ? admission.catch((error: unknown) => this.storeFailed(error, pending, held)) : admission;
    } catch (error) {
      return this.storeFailed(error, pending, held);
    }
  }

  /** `tryAdmit` on the memory store: the same steps, answered at once. */
  private tryAdmitNow(pending: Pending, canWait: boolean): Admission {
    const held: Held = { amountNano: pending.amountNano, total: undefined, backend: undefined, settling: undefined };
    try {
      if (this.total !== undefined) {
        const reservation = this.total.reserve(pending.amountNano) as BudgetReservation;
        if (!reservation.ok) return this.refusedBy(pending, this.total, reservation, canWait);
        held.total = reservation.id;
      }
      if (pending.backend !== undefined) {
        const reservation = pending.backend.reserve(pending.amountNano) as BudgetReservation;
        if (!reservation.ok) {
          if (held.total !== undefined) this.now(this.total!, 'release', held.total, 0, pending.context);
          return this.refusedBy(pending, pending.backend, reservation, canWait);
        }
        held.backend = reservation.id;
      }
      return this.admitted(pending, held);
    } catch (error) {
      return this.storeFailed(error, pending, held);
    }
  }

  /** A settle or release on the memory store, `guarded` without its closures. */
  private now(account: StoreBudget, action: 'settle' | 'release', id: ReservationId | undefined, nano: number, context: CallContext): BudgetTotals | undefined {
    try {
      return (action === 'settle' ? account.settle(id, nano) : account.release(id!)) as BudgetTotals;
    } catch (error) {
      if (isStoreUnavailable(error)) this.options.notify(storeUnavailableNotice(PLUGIN, error, 'not recorded'), context);
      return undefined;
    }
  }

  private admitted(pending: Pending, held: Held): Admission {
    pending.context.state.set(HELD, held);
    return 'admitted';
  }

  private storeFailed(error: unknown, pending: Pending, held: Held): Admission {
    if (!isStoreUnavailable(error)) throw error;
    const closed = storeErrorPolicy(this.options.store) === 'fail-closed';
    this.options.notify(storeUnavailableNotice(PLUGIN, error, closed ? 'refused' : 'admitted uncounted'), pending.context);
    if (closed) {
      if (held.total !== undefined) this.guarded(() => this.total!.release(held.total!), pending.context);
      return error;
    }
    return this.admitted(pending, held);
  }

  /** Waiting helps only if calls in flight hold what this one lacks. */
  private refusedBy(pending: Pending, account: StoreBudget, totals: BudgetReservation, canWait: boolean): Admission {
    if (canWait && pending.amountNano <= account.limitNano - totals.spentNano) return 'wait';
    return this.refusal(pending, account, totals);
  }

  private timedOut(pending: Pending, waitedMs: number): MaybePromise<Error> {
    const account = this.total ?? pending.backend!;
    return whenReady(account.totals(), (totals) => this.refusal(pending, account, totals, waitedMs));
  }

  private refusal(pending: Pending, account: StoreBudget, totals: BudgetTotals, waitedMs?: number): BudgetExceededError {
    const { context, estimate, model } = pending;
    const refusal: BudgetRefusal = {
      backendName: context.backendName,
      model,
      scope: account === this.total ? 'total' : 'backend',
      budgetUsd: fromNano(account.limitNano),
      spentUsd: fromNano(totals.spentNano),
      reservedUsd: fromNano(totals.reservedNano),
      leftUsd: fromNano(Math.max(0, account.limitNano - totals.spentNano - totals.reservedNano)),
      holders: totals.reservations,
      estimate,
      neededUsd: fromNano(pending.amountNano),
      canFitLater: pending.amountNano <= account.limitNano - totals.spentNano,
      waiting: this.options.whenExceeded === 'wait',
      waitedMs,
      unknownPricingCalls: this.options.unknownPricingCalls(),
    };
    return new BudgetExceededError(budgetExceededMessage(refusal), refusal.budgetUsd, refusal.spentUsd, refusal.neededUsd, refusal.reservedUsd);
  }

  /**
   * A settle or release: a store failure is told (notice) and swallowed, for the call already
   * reached the provider or ended. What it held stays reserved until its TTL — the safe side.
   */
  private guarded<T>(operation: () => MaybePromise<T>, context: CallContext): MaybePromise<T | undefined> {
    const failed = (error: unknown): undefined => {
      if (isStoreUnavailable(error)) this.options.notify(storeUnavailableNotice(PLUGIN, error, 'not recorded'), context);
      return undefined;
    };
    try {
      const result = operation();
      return isPromise(result) ? result.catch(failed) : result;
    } catch (error) {
      return failed(error);
    }
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
  private notifySpending(spentNano: number, context: CallContext): void {
    const total = this.total!;
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
