import type { FinishReason } from '../../core/types.js';

/** Cohere's `finish_reason` (`COMPLETE`, `STOP_SEQUENCE`, `MAX_TOKENS`, `TOOL_CALL`, `ERROR`, `TIMEOUT`) → `FinishReason`. */
export function mapCohereV2FinishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'COMPLETE':
    case 'STOP_SEQUENCE':
      return 'stop';
    case 'MAX_TOKENS':
      return 'length';
    case 'TOOL_CALL':
      return 'tool-calls';
    case 'ERROR':
      return 'error';
    default:
      return 'other';
  }
}
