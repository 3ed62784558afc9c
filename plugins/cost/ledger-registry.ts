import type { Kernel } from '../../core/kernel.js';
import { CostLedger } from './cost-ledger.js';

const ledgers = new WeakMap<Kernel, CostLedger>();

/** The ledger of `kernel`, or `undefined` when the cost plugin was not applied to it. */
export function getCostLedger(kernel: Kernel): CostLedger | undefined {
  return ledgers.get(kernel);
}

/** A new ledger for `kernel`. A second one would mean every call is counted twice, so that throws. */
export function createLedger(kernel: Kernel, pluginName: string): CostLedger {
  if (ledgers.has(kernel)) throw new Error(`The ${pluginName} plugin is already applied to this kernel; apply it once so each call is counted once.`);
  const ledger = new CostLedger();
  ledgers.set(kernel, ledger);
  return ledger;
}
