import type { FinishReason } from '../../core/types.js';

/** Chat Completions `finish_reason` → ours. `function_call` is the pre-tools spelling; `error` is OpenRouter's. */
export function mapOpenAIFinishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'stop':
      return 'stop';
    case 'length':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool-calls';
    case 'content_filter':
      return 'content-filter';
    case 'error':
      return 'error';
    default:
      return 'other';
  }
}
