import { AbortError, ApprovalDeniedError } from '../../core/errors.js';
import type { CallContext, InferRequest } from '../../core/hooks.js';
import type { Approver } from './approval-types.js';
import { askApprover, REASON_ABORTED, type Verdict } from './ask-approver.js';
import { estimateInferCost } from '../../core/estimate.js';

/** Shown as `toolName` in approval notices about a whole request; no provider allows it as a tool name. */
export const REQUEST_SUBJECT = '(request)';

export interface RequestCostApproval {
  readonly maxEstimatedCostUsd: number;
  readonly timeoutMs: number;
  readonly approver: () => Approver | undefined;
  readonly notify: (toolName: string, decision: Verdict['decision'], reason: string | undefined, context: CallContext) => void;
}

/** Before a request goes out: if it may cost more than allowed, ask; a denial vetoes the call. */
export async function approveRequestCost(request: InferRequest, context: CallContext, approval: RequestCostApproval): Promise<InferRequest> {
  const estimate = estimateInferCost(request, context);
  // Unknown pricing cannot be compared with a limit; the cost plugin reports such calls apart.
  if (estimate.costUsd === undefined || estimate.costUsd <= approval.maxEstimatedCostUsd) return request;
  const verdict = await askApprover(
    approval.approver(),
    {
      kind: 'request',
      callId: context.callId,
      backendName: context.backendName,
      model: request.options.model ?? context.model,
      estimatedCostUsd: estimate.costUsd,
      maxEstimatedCostUsd: approval.maxEstimatedCostUsd,
      estimatedPromptTokens: estimate.promptTokens,
      estimatedOutputTokens: estimate.outputTokens,
    },
    { timeoutMs: approval.timeoutMs, signal: context.signal },
  );
  const reason = verdict.decision === 'deny' ? verdict.reason : undefined;
  approval.notify(REQUEST_SUBJECT, verdict.decision, reason, context);
  if (verdict.decision !== 'deny') return request;
  if (reason === REASON_ABORTED) throw new AbortError(undefined, { provider: context.provider });
  throw new ApprovalDeniedError(
    `The request to ${context.backendName} (${context.model}) was estimated at $${estimate.costUsd.toFixed(4)}, above the ` +
      `approval limit of $${approval.maxEstimatedCostUsd}, and was not approved: ${reason}. Lower maxTokens, shorten the prompt, or raise maxEstimatedCostUsd.`,
    reason,
  );
}
