import type { FinishReason } from '../../core/types.js';
import type { OpenAIResponsesResponse } from './openai-responses-api.js';

/** A response's `status` → our finish reason: `completed` → stop (or tool-calls); `incomplete` → why it stopped. */
export function mapOpenAIResponsesStatus(response: OpenAIResponsesResponse, hasToolCalls: boolean): FinishReason {
  if (response.status === 'incomplete') {
    const reason = response.incomplete_details?.reason;
    return reason === 'max_output_tokens' ? 'length' : reason === 'content_filter' ? 'content-filter' : 'other';
  }
  if (response.status === 'failed') return 'error';
  return hasToolCalls ? 'tool-calls' : 'stop';
}
