import type { FinishReason } from '../../core/types.js';

/** Converse `stopReason` → `FinishReason`. A guardrail or a content filter stopping the answer is `content-filter`. */
export function mapBedrockConverseStopReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool-calls';
    case 'guardrail_intervened':
    case 'content_filtered':
      return 'content-filter';
    default:
      return 'other';
  }
}
