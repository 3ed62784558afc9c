import type { CallContext, InferRequest, ToolCallReview } from '../../core/hooks.js';
import { redactSecrets } from '../../core/redact.js';
import type { ToolCall, ToolSchema } from '../../core/types.js';
import { describeBecause, type ApprovalPolicy } from './approval-policy.js';
import type { Approver } from './approval-types.js';
import { askApprover, type Verdict } from './ask-approver.js';

export interface ToolCallApproval {
  readonly policy: ApprovalPolicy;
  readonly timeoutMs: number;
  readonly approver: () => Approver | undefined;
  readonly notify: (toolName: string, decision: Verdict['decision'], reason: string | undefined, context: CallContext) => void;
}

/**
 * Decide one tool call the model proposed (the kernel's `reviewToolCall` hands them over one at a
 * time, in order, for `infer` and for streams alike): allowed calls pass, modified ones carry
 * their new arguments, denied ones are marked so the kernel never lets them reach the consumer.
 */
export async function approveToolCall(review: ToolCallReview, context: CallContext, approval: ToolCallApproval): Promise<ToolCallReview> {
  if (review.denied !== undefined) return review;
  try {
    return await decide(review.toolCall, context, approval);
  } catch (error) {
    // Fail closed: a decision that could not be made is a denial.
    const reason = `approval failed: ${redactSecrets(error instanceof Error ? error.message : String(error))}`;
    try {
      approval.notify(review.toolCall.name, 'deny', reason, context);
    } catch {
      // The notice is for observers; the denial stands without it.
    }
    return { toolCall: review.toolCall, denied: { reason } };
  }
}

async function decide(toolCall: ToolCall, context: CallContext, approval: ToolCallApproval): Promise<ToolCallReview> {
  const tool = toolNamed((context.request as InferRequest | undefined)?.tools, toolCall.name);
  const match = approval.policy.decide(toolCall.name, tool);
  if (match.policy === 'allow') {
    approval.notify(toolCall.name, 'approve', `allowed by ${describeBecause(match.because)}`, context);
    return { toolCall };
  }
  const verdict: Verdict =
    match.policy === 'deny'
      ? { decision: 'deny', reason: `denied by ${describeBecause(match.because)}` }
      : await askApprover(
          approval.approver(),
          { kind: 'tool-call', callId: context.callId, backendName: context.backendName, model: context.model, toolCall, tool, because: match.because },
          { timeoutMs: approval.timeoutMs, signal: context.signal },
        );
  const applied = applyVerdict(toolCall, verdict);
  const reason = applied.verdict.decision === 'deny' ? (applied.verdict.reason ?? 'denied') : undefined;
  approval.notify(toolCall.name, applied.verdict.decision, reason, context);
  return applied.toolCall === undefined ? { toolCall, denied: { reason: reason ?? 'denied' } } : { toolCall: applied.toolCall };
}

function toolNamed(tools: readonly ToolSchema[] | undefined, name: string): ToolSchema | undefined {
  if (tools === undefined) return undefined;
  for (const tool of tools) if (tool.name === name) return tool;
  return undefined;
}

function applyVerdict(toolCall: ToolCall, verdict: Verdict): { toolCall: ToolCall | undefined; verdict: Verdict } {
  if (verdict.decision === 'approve') return { toolCall, verdict };
  if (verdict.decision === 'deny') return { toolCall: undefined, verdict };
  let rawArguments: string;
  try {
    rawArguments = JSON.stringify(verdict.arguments);
  } catch {
    return { toolCall: undefined, verdict: { decision: 'deny', reason: 'the approver modified the arguments into something that cannot be written as JSON' } };
  }
  return { toolCall: { ...toolCall, arguments: verdict.arguments, rawArguments }, verdict };
}
