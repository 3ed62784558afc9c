import { redactSecrets } from '../../core/redact.js';
import type { ApprovalDecision, ApprovalRequest, Approver } from './approval-types.js';

/** A decision with the reason a denial always has. */
export type Verdict =
  | { readonly decision: 'approve' }
  | { readonly decision: 'deny'; readonly reason: string }
  | { readonly decision: 'modify'; readonly arguments: Record<string, unknown> };

export const REASON_TIMED_OUT = 'timed out';
export const REASON_ABORTED = 'aborted';
export const REASON_NO_APPROVER = 'no approver is installed to ask';

export interface AskSettings {
  readonly timeoutMs: number;
  /** The call's own signal: its abort ends the wait too. */
  readonly signal: AbortSignal | undefined;
}

/**
 * Ask `approver`, never waiting past the timeout or the call's abort, and never throwing: a
 * missing approver, a failing one, or an answer that is not a decision all deny.
 */
export async function askApprover(approver: Approver | undefined, request: ApprovalRequest, settings: AskSettings): Promise<Verdict> {
  if (approver === undefined) return { decision: 'deny', reason: REASON_NO_APPROVER };
  if (settings.signal?.aborted) return { decision: 'deny', reason: REASON_ABORTED };
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const waitOver = new Promise<Verdict>((resolve) => {
    timer = setTimeout(() => resolve({ decision: 'deny', reason: REASON_TIMED_OUT }), settings.timeoutMs);
    onAbort = () => resolve({ decision: 'deny', reason: REASON_ABORTED });
    settings.signal?.addEventListener('abort', onAbort, { once: true });
  });
  const answered = (async () => normalize(await approver(request, controller.signal), request))().catch(
    (error: unknown): Verdict => ({ decision: 'deny', reason: `the approver failed: ${redactSecrets(error instanceof Error ? error.message : String(error))}` }),
  );
  try {
    return await Promise.race([answered, waitOver]);
  } finally {
    clearTimeout(timer);
    if (onAbort) settings.signal?.removeEventListener('abort', onAbort);
    controller.abort();
  }
}

function normalize(decision: ApprovalDecision | undefined, request: ApprovalRequest): Verdict {
  switch (decision?.decision) {
    case 'approve':
      return { decision: 'approve' };
    case 'deny':
      return { decision: 'deny', reason: typeof decision.reason === 'string' && decision.reason !== '' ? decision.reason : 'denied by the approver' };
    case 'modify': {
      const args: unknown = decision.arguments;
      if (request.kind !== 'tool-call') return { decision: 'deny', reason: 'the approver tried to modify a request, which only tool calls allow' };
      if (args === null || typeof args !== 'object' || Array.isArray(args)) return { decision: 'deny', reason: 'the approver modified the arguments into something that is not a JSON object' };
      return { decision: 'modify', arguments: args as Record<string, unknown> };
    }
    default:
      return { decision: 'deny', reason: `the approver returned ${JSON.stringify(decision)}, which is not a decision` };
  }
}
