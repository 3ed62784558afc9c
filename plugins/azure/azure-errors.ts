import { InvalidRequestError } from '../../core/errors.js';
import { readErrorBody, type ProviderErrorMapper } from '../../core/http-errors.js';

interface AzureErrorBody {
  readonly error?: { readonly code?: unknown; readonly innererror?: { readonly code?: unknown; readonly content_filter_result?: Record<string, { filtered?: boolean }> } };
}

/**
 * A prompt Azure's content filter refused: HTTP 400 with `code: "content_filter"` (inner
 * `ResponsibleAIPolicyViolation`). Not retryable, and the message names the categories that
 * fired. Other errors (string codes such as `"401"`, `RateLimitReached` with `Retry-After`) read
 * as any OpenAI-shaped error.
 */
export const mapAzureError: ProviderErrorMapper = (response) => {
  const body = readErrorBody(response.body);
  const error = (body.parsed as AzureErrorBody | undefined)?.error;
  if (error?.code !== 'content_filter' && error?.innererror?.code !== 'ResponsibleAIPolicyViolation') return undefined;
  const results = error?.innererror?.content_filter_result ?? {};
  const fired = Object.keys(results).filter((category) => results[category]?.filtered);
  return new InvalidRequestError(
    `${response.provider} refused the prompt: Azure's content filter flagged it${fired.length > 0 ? ` (${fired.join(', ')})` : ''}. Rephrase the request or adjust the deployment's content filter; retrying will not help.`,
    { provider: response.provider, status: response.status, providerCode: 'content_filter', body: body.parsed, rateLimit: response.readRateLimit?.(response.headers), retryable: false },
  );
};
