import { InvalidResponseError, ModelNotFoundError, ServerError, type HyperAgentError } from '../../core/errors.js';
import { redactSecrets } from '../../core/redact.js';

/** A line that is not the JSON object Ollama sends. */
export function ollamaInvalidJson(provider: string, text: string, cause?: unknown): HyperAgentError {
  const snippet = redactSecrets(text.slice(0, 4096)).slice(0, 200);
  return new InvalidResponseError(`${provider} sent a line that is not a JSON object: ${snippet}. Check the backend's "baseURL" points at Ollama (http://127.0.0.1:11434).`, {
    provider,
    cause,
    retryable: true,
  });
}

/** `{"error": "…"}` on HTTP 200 (a line of a stream, or a whole answer): the failure it names. */
export function ollamaErrorLine(provider: string, message: string): HyperAgentError {
  if (/model .*not found|try pulling it/i.test(message)) {
    return new ModelNotFoundError(`${provider} returned an error: ${message}. Pull the model first (\`ollama pull <model>\`) or check the backend's "model".`, { provider, retryable: false });
  }
  return new ServerError(`${provider} returned an error: ${message}. Retrying may help.`, { provider, retryable: true });
}
