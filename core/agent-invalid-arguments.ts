import { EMPTY_USAGE } from './cost.js';
import { ToolArgumentsError } from './errors.js';
import type { InferenceOutput, TokenUsage, ToolCall } from './types.js';

/**
 * The step an answer becomes when its tool-call arguments are not a JSON object (`{"a": `).
 * Providers parse arguments where the answer is read (`parseToolArguments`, core/tool-call-assembler.ts)
 * and fail the whole call with a ToolArgumentsError; the agent turns that into one tool call with
 * `{}` arguments whose result is the error, so the model can call again instead of the run ending.
 * Nothing else from that answer is run: it never passed the `afterInfer` policy (approval).
 */
export interface InvalidArgumentsStep {
  readonly output: InferenceOutput;
  readonly toolCall: ToolCall;
  /** What the model is told. */
  readonly content: string;
}

export function isInvalidToolArguments(error: unknown): error is ToolArgumentsError {
  return error instanceof ToolArgumentsError;
}

/** `usage` is what the stream reported before it failed (a plain `infer` reports none). */
export function invalidArgumentsStep(error: ToolArgumentsError, usage: TokenUsage | undefined): InvalidArgumentsStep {
  // Sent back as `{}`: replaying the broken text would make some servers reject the next request.
  const toolCall: ToolCall = { id: error.toolCallId, name: error.toolName, arguments: {}, rawArguments: '{}' };
  const shown = error.rawArguments.length > 500 ? `${error.rawArguments.slice(0, 500)}…` : error.rawArguments;
  const content =
    `Error: the arguments for "${error.toolName}" are not a JSON object: ${shown}. ` +
    'Nothing from that answer was run. Call the tool again with a JSON object that matches its schema.';
  const output: InferenceOutput = {
    content: '',
    toolCalls: [toolCall],
    confidence: 1,
    tokenUsage: usage ?? EMPTY_USAGE,
    finishReason: 'tool-calls',
    // The price of a failed call is not known here (the ledger charges it): the run's costUsd becomes undefined.
    metadata: { provider: error.provider ?? 'unknown', model: 'unknown', invalidToolArguments: error.code, ...(error.requestId ? { requestId: error.requestId } : {}) },
  };
  return { output, toolCall, content };
}
