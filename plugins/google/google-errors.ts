import type { GoogleErrorContext } from '../../protocols/google-generative-ai/index.js';
import { GOOGLE_PROVIDER } from './google-models.js';

export const GEMINI_API_KEY_ENV = 'GEMINI_API_KEY';
/** Read when `GEMINI_API_KEY` is not set, as Google's own SDKs do. */
export const GOOGLE_API_KEY_ENV = 'GOOGLE_API_KEY';

/**
 * How the Gemini API's errors are named and what they advise: a refused key is a 400
 * INVALID_ARGUMENT with `API_KEY_INVALID` (google/error-400-api-key-invalid.json), mapped to an
 * authentication error that names the variables the key is read from.
 */
export const GOOGLE_ERROR_CONTEXT: GoogleErrorContext = Object.freeze({
  provider: GOOGLE_PROVIDER,
  credentialAdvice: `set ${GEMINI_API_KEY_ENV} (or ${GOOGLE_API_KEY_ENV}) or "apiKey" on the backend; keys are made at aistudio.google.com/apikey`,
  apiKeyEnv: GEMINI_API_KEY_ENV,
});
