import type { ToolCall, ToolSchema } from '../../core/types.js';

export type ToolPolicy = 'allow' | 'deny' | 'ask';

interface ApprovalRequestBase {
  readonly callId: string;
  readonly backendName: string;
  readonly model: string;
}

/** The model proposed a tool call whose policy is `ask`. */
export interface ToolCallApprovalRequest extends ApprovalRequestBase {
  readonly kind: 'tool-call';
  readonly toolCall: ToolCall;
  /** The tool as the request declared it; `undefined` when the model named a tool it was not given. */
  readonly tool: ToolSchema | undefined;
  /** Why the approver is asked: a configured pattern, the tool's `dangerous` flag, or the default policy. */
  readonly because: { readonly source: 'pattern'; readonly pattern: string } | { readonly source: 'dangerous' } | { readonly source: 'default' };
}

/** A request estimated to cost more than `maxEstimatedCostUsd`, before it is sent. */
export interface RequestApprovalRequest extends ApprovalRequestBase {
  readonly kind: 'request';
  readonly estimatedCostUsd: number;
  readonly maxEstimatedCostUsd: number;
  readonly estimatedPromptTokens: number;
  readonly estimatedOutputTokens: number;
}

export type ApprovalRequest = ToolCallApprovalRequest | RequestApprovalRequest;

export type ApprovalDecision =
  | { readonly decision: 'approve' }
  | { readonly decision: 'deny'; readonly reason?: string }
  /** Run the tool with these arguments instead. Only for tool calls. */
  | { readonly decision: 'modify'; readonly arguments: Record<string, unknown> };

/**
 * Decides one approval request. `signal` aborts when the wait is over (timeout or the call's own
 * abort): an interactive approver should stop prompting then; its answer is ignored anyway.
 */
export type Approver = (request: ApprovalRequest, signal: AbortSignal) => ApprovalDecision | Promise<ApprovalDecision>;

/** A proposed tool call that was not run, and why. Listed in `output.metadata.deniedToolCalls`. */
export type { DeniedToolCall } from '../../core/hooks.js';
