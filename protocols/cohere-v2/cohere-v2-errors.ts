import { InvalidResponseError, ServerError, type HyperAgentError } from '../../core/errors.js';
import { redactSecrets } from '../../core/redact.js';
import { errorFromResponse, type ErrorResponse, type ProviderErrorMapper } from '../../core/http-errors.js';

/**
 * Cohere's error bodies are flat, `{"id","message"}` (fixture cohere/error-401-invalid-api-key.json)
 * or `{"error_type":"TOO_MANY_TOKENS","id","message"}`: `error_type` becomes the code, and
 * TOO_MANY_TOKENS a context-length error, through the generic mapping.
 */
export const mapCohereV2Error: ProviderErrorMapper = (response: ErrorResponse) => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const root = parsed as Record<string, unknown>;
  if (typeof root.error_type !== 'string') return undefined;
  const code = root.error_type === 'TOO_MANY_TOKENS' ? 'context_length_exceeded' : root.error_type;
  return errorFromResponse({ ...response, body: JSON.stringify({ ...root, code, request_id: root.id }) });
};

/** A `message-end` whose finish_reason is ERROR (or that carries `error`): the stream failed on Cohere's side. */
export function cohereV2StreamError(provider: string, message: string | null | undefined): HyperAgentError {
  return new ServerError(`${provider} ended the stream with an error: ${message || '(no message)'}. Retrying may help.`, { provider, retryable: true });
}

/** A body or stream event that is not the JSON object Cohere sends. */
export function cohereV2InvalidJson(provider: string, what: string, text: string, cause?: unknown): HyperAgentError {
  const snippet = redactSecrets(text.slice(0, 4096)).slice(0, 200);
  return new InvalidResponseError(`${provider} sent ${what} that is not a JSON object: ${snippet}. Retry the request.`, { provider, cause, retryable: true });
}
