import type { FinishReason } from '../../core/types.js';

const CONTENT_FILTER = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY', 'IMAGE_PROHIBITED_CONTENT', 'IMAGE_RECITATION']);

/**
 * Google `finishReason` → our finish reason. Gemini says `STOP` also when the turn ends with
 * function calls (google/stream-function-call.sse), so `hasToolCalls` decides that case. Every
 * safety and policy stop is `content-filter`; a malformed or unexpected tool call is `error`.
 */
export function mapGoogleFinishReason(finishReason: string | undefined, hasToolCalls: boolean): FinishReason {
  if (finishReason === undefined || finishReason === 'STOP') return hasToolCalls ? 'tool-calls' : 'stop';
  if (finishReason === 'MAX_TOKENS') return 'length';
  if (CONTENT_FILTER.has(finishReason)) return 'content-filter';
  if (finishReason === 'MALFORMED_FUNCTION_CALL' || finishReason === 'UNEXPECTED_TOOL_CALL' || finishReason === 'TOO_MANY_TOOL_CALLS') return 'error';
  return hasToolCalls ? 'tool-calls' : 'other';
}

/** A prompt blocked before any candidate (`promptFeedback.blockReason`) is a content filter too. */
export function mapGooglePromptBlock(blockReason: string | undefined): FinishReason | undefined {
  return blockReason === undefined || blockReason === 'BLOCK_REASON_UNSPECIFIED' ? undefined : 'content-filter';
}
