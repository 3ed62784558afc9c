import { definePlugin } from '../../core/define.js';
import { Stage, type CallContext } from '../../core/hooks.js';
import type { Kernel } from '../../core/kernel.js';
import { approvalOptionsSchema, PLUGIN_NAME, resolveApprovalOptions, type ApprovalOptions } from './approval-options.js';
import { ApprovalPolicy } from './approval-policy.js';
import { approveRequestCost } from './approve-request-cost.js';
import { approveToolCall } from './approve-tool-calls.js';
import { getApprover, setApprover } from './approver-registry.js';
import type { Verdict } from './ask-approver.js';

export { PLUGIN_NAME, approvalOptionsSchema, type ApprovalOptions } from './approval-options.js';
export type { ApprovalDecision, ApprovalRequest, Approver, DeniedToolCall, RequestApprovalRequest, ToolCallApprovalRequest, ToolPolicy } from './approval-types.js';
export { REASON_ABORTED, REASON_NO_APPROVER, REASON_TIMED_OUT } from './ask-approver.js';
export { REQUEST_SUBJECT } from './approve-request-cost.js';
export { getApprover, setApprover } from './approver-registry.js';
export { DENIED_RESULT_PREFIX, deniedToolCalls, deniedToolResults, proposedToolCalls } from './denied-tool-results.js';
export { createTerminalApprover, type TerminalApproverOptions } from './terminal-approver.js';

/**
 * Human in the loop. Each tool call the model proposes is allowed, denied, or put to an approver
 * (which may also rewrite its arguments) according to a per-tool policy, before any consumer sees
 * it — streamed or not; denied calls leave `toolCalls` for `metadata.deniedToolCalls` and are
 * answered with `deniedToolResults(output)`.
 * With `maxEstimatedCostUsd`, costly requests are put to the approver before they are sent.
 * The approver comes from the options or, for JSON config, from `setApprover(kernel, approver)`.
 */
export default definePlugin<ApprovalOptions>({
  name: PLUGIN_NAME,
  optionsSchema: approvalOptionsSchema,
  apply(kernel: Kernel, options: ApprovalOptions) {
    const resolved = resolveApprovalOptions(options);
    if (resolved.approver) setApprover(kernel, resolved.approver);
    const approver = () => getApprover(kernel);
    const notify = (toolName: string, decision: Verdict['decision'], reason: string | undefined, context: CallContext): void => {
      kernel.hooks.onNotice.call(reason === undefined ? { type: 'approval', toolName, decision } : { type: 'approval', toolName, decision, reason }, context);
    };
    const tap = { name: PLUGIN_NAME, stage: Stage.APPROVAL };

    const policy = new ApprovalPolicy(resolved.tools, resolved.default);
    const approval = { policy, timeoutMs: resolved.timeoutMs, approver, notify };
    // The kernel holds each streamed tool call until this decided it, so a denied call never reaches a consumer.
    kernel.hooks.reviewToolCall.tapPromise(tap, (review, context) => approveToolCall(review, context, approval));

    const maxEstimatedCostUsd = resolved.maxEstimatedCostUsd;
    if (maxEstimatedCostUsd !== undefined) {
      kernel.hooks.beforeInfer.tapPromise(tap, (request, context) =>
        approveRequestCost(request, context, { maxEstimatedCostUsd, timeoutMs: resolved.timeoutMs, approver, notify }),
      );
    }
  },
});
