import { errorFromResponse, type ErrorResponse, type ProviderErrorMapper } from '../../core/http-errors.js';

type Detail = string | readonly { readonly msg?: unknown; readonly loc?: unknown }[];

/** `{"detail": "Invalid API Key"}` or FastAPI's `{"detail": [{loc, msg}]}` (a 422), also nested as `message.detail`. */
function detailText(detail: Detail): string | undefined {
  if (typeof detail === 'string') return detail;
  if (!Array.isArray(detail)) return undefined;
  const parts = detail.map((item) => {
    const where = Array.isArray(item?.loc) ? (item.loc as unknown[]).filter((part) => part !== 'body').join('.') : '';
    const msg = typeof item?.msg === 'string' ? item.msg : JSON.stringify(item);
    return where ? `${where}: ${msg}` : msg;
  });
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/**
 * Mistral's error bodies are not OpenAI's envelope: `{"detail": …}` (fixture
 * mistral/error-401-invalid-api-key.json) or `{"object":"error","message":{"detail":[…]}}`. The text is
 * moved to `message` and the generic mapping decides the type from the status, as for every provider.
 */
export const mapMistralError: ProviderErrorMapper = (response: ErrorResponse) => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const root = parsed as Record<string, unknown>;
  const nested = typeof root.message === 'object' && root.message !== null ? (root.message as Record<string, unknown>).detail : undefined;
  const detail = root.detail ?? nested;
  if (detail === undefined) return undefined;
  const message = detailText(detail as Detail);
  if (message === undefined) return undefined;
  return errorFromResponse({ ...response, body: JSON.stringify({ ...root, message }) });
};
