import type { FinishReason, TokenUsage } from '../../core/types.js';

/** Anthropic's usage object as the gateway writes it. */
export interface AnthropicWireUsage {
  readonly input_tokens: number;
  readonly output_tokens: number;
  readonly cache_creation_input_tokens: number;
  readonly cache_read_input_tokens: number;
}

/**
 * Our usage → Anthropic's convention, the reverse of `convertAnthropicUsage`: `input_tokens` counts
 * only what was neither read from nor written to the cache, which are reported beside it.
 */
export function toAnthropicUsage(usage: TokenUsage | undefined): AnthropicWireUsage {
  const cacheRead = usage?.cachedTokens ?? 0;
  const cacheWrite = usage?.cacheWriteTokens ?? 0;
  return {
    input_tokens: Math.max(0, (usage?.promptTokens ?? 0) - cacheRead - cacheWrite),
    output_tokens: usage?.completionTokens ?? 0,
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
  };
}

const STOP_REASONS = new Set(['end_turn', 'max_tokens', 'stop_sequence', 'tool_use', 'pause_turn', 'refusal', 'model_context_window_exceeded']);

/**
 * Our finish reason → Anthropic's `stop_reason`. `raw` is the provider's own reason: an Anthropic one
 * is kept when it still means the same (`stop_sequence`, `pause_turn`), anything else is mapped.
 */
export function toAnthropicStopReason(reason: FinishReason, raw?: unknown): string {
  if (typeof raw === 'string' && STOP_REASONS.has(raw)) {
    if (reason === 'stop' && (raw === 'stop_sequence' || raw === 'end_turn')) return raw;
    if (reason === 'other' && raw === 'pause_turn') return raw;
    if (reason === 'length') return raw === 'model_context_window_exceeded' ? raw : 'max_tokens';
  }
  switch (reason) {
    case 'length':
      return 'max_tokens';
    case 'tool-calls':
      return 'tool_use';
    case 'content-filter':
      return 'refusal';
    default:
      return 'end_turn';
  }
}
