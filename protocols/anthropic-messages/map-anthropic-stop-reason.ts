import type { FinishReason } from '../../core/types.js';

/** Anthropic `stop_reason` → our finish reason. Unknown or missing reasons are `other`. */
export function mapAnthropicStopReason(stopReason: string | null | undefined): FinishReason {
  switch (stopReason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool-calls';
    case 'refusal':
      return 'content-filter';
    case 'pause_turn':
    default:
      return 'other';
  }
}
