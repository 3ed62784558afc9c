import type { FinishReason } from '../../core/types.js';

/** Ollama's `done_reason` (`stop`, `length`, `load`, `unload`) → `FinishReason`; a stop with tool calls is `tool-calls`. */
export function mapOllamaDoneReason(reason: string | null | undefined, hasToolCalls: boolean): FinishReason {
  if (reason === 'length') return 'length';
  if (hasToolCalls) return 'tool-calls';
  if (reason === 'stop' || reason == null) return 'stop';
  return 'other';
}
