import type { Kernel } from '../../core/kernel.js';
import type { Approver } from './approval-types.js';

const approvers = new WeakMap<Kernel, Approver>();

/**
 * Install (or with `undefined`, remove) the approver that decides this kernel's `ask`s. Front ends
 * call it after config load, when the approval plugin was applied from JSON config that cannot
 * hold a function: `setApprover(agent.kernel, createTerminalApprover())`. It may be called before
 * or after the plugin is applied and replaces any approver given in the plugin's options.
 */
export function setApprover(kernel: Kernel, approver: Approver | undefined): void {
  if (approver !== undefined && typeof approver !== 'function') throw new TypeError(`setApprover: the approver must be a function (got ${typeof approver}).`);
  if (approver === undefined) approvers.delete(kernel);
  else approvers.set(kernel, approver);
}

/** The approver installed on `kernel`, if any. */
export function getApprover(kernel: Kernel): Approver | undefined {
  return approvers.get(kernel);
}
