import type { CallContext, InferRequest } from '../../core/hooks.js';
import { redactSecrets } from '../../core/redact.js';
import type { InferenceOutput, ToolCall, ToolSchema } from '../../core/types.js';
import { describeBecause, type ApprovalPolicy } from './approval-policy.js';
import type { Approver, DeniedToolCall } from './approval-types.js';
import { askApprover, type Verdict } from './ask-approver.js';

export interface ToolCallApproval {
  readonly policy: ApprovalPolicy;
  readonly timeoutMs: number;
  readonly approver: () => Approver | undefined;
  readonly notify: (toolName: string, decision: Verdict['decision'], reason: string | undefined, context: CallContext) => void;
}

/**
 * Decide every tool call the model proposed, one at a time (a person can answer only one prompt
 * at once). Approved calls stay, modified ones carry their new arguments, denied ones move to
 * `metadata.deniedToolCalls` so they can be answered as denied and are never run.
 */
export async function approveToolCalls(output: InferenceOutput, context: CallContext, approval: ToolCallApproval): Promise<InferenceOutput> {
  try {
    return await decideAll(output, context, approval);
  } catch (error) {
    // Fail closed. Throwing is no safe veto here: a stream whose afterInfer throws still
    // resolves `output()` with the unapproved calls (core/kernel-backend.ts finishStream).
    const reason = `approval failed: ${redactSecrets(error instanceof Error ? error.message : String(error))}`;
    return withDecisions(output, [], (output.toolCalls ?? []).map((toolCall) => ({ toolCall, reason })));
  }
}

async function decideAll(output: InferenceOutput, context: CallContext, approval: ToolCallApproval): Promise<InferenceOutput> {
  const proposed = output.toolCalls;
  if (!proposed || proposed.length === 0) return output;
  const tools = new Map<string, ToolSchema>();
  for (const tool of (context.request as InferRequest | undefined)?.tools ?? []) tools.set(tool.name, tool);

  const kept: ToolCall[] = [];
  const denied: DeniedToolCall[] = [];
  for (const toolCall of proposed) {
    const tool = tools.get(toolCall.name);
    const match = approval.policy.decide(toolCall.name, tool);
    if (match.policy === 'allow') {
      approval.notify(toolCall.name, 'approve', `allowed by ${describeBecause(match.because)}`, context);
      kept.push(toolCall);
      continue;
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
    const reason = applied.verdict.decision === 'deny' ? applied.verdict.reason : undefined;
    approval.notify(toolCall.name, applied.verdict.decision, reason, context);
    if (applied.toolCall) kept.push(applied.toolCall);
    else denied.push({ toolCall, reason: reason ?? 'denied' });
  }
  if (denied.length === 0 && kept.every((call, index) => call === proposed[index])) return output;
  return withDecisions(output, kept, denied);
}

function withDecisions(output: InferenceOutput, kept: readonly ToolCall[], denied: readonly DeniedToolCall[]): InferenceOutput {
  const previous = Array.isArray(output.metadata.deniedToolCalls) ? (output.metadata.deniedToolCalls as DeniedToolCall[]) : [];
  const { toolCalls: _dropped, ...rest } = output;
  return {
    ...rest,
    ...(kept.length > 0 ? { toolCalls: kept } : {}),
    metadata: { ...output.metadata, ...(denied.length > 0 || previous.length > 0 ? { deniedToolCalls: [...previous, ...denied] } : {}) },
  };
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
