import type { HyperAgentError } from '../../core/errors.js';
// The Responses API reports errors in the same object as Chat Completions: one mapping for both wires.
import { errorFromErrorObject, type ErrorObjectContext } from '../openai-chat/index.js';
import type { OpenAIResponsesErrorObject } from './openai-responses-api.js';

/** An error object in a 200 response, an `error` event or `response.failed` → the typed error the same failure raises over HTTP. */
export function errorFromResponsesError(error: OpenAIResponsesErrorObject, context: ErrorObjectContext): HyperAgentError {
  return errorFromErrorObject({ code: error.code ?? undefined, type: error.type ?? undefined, message: error.message }, context);
}
