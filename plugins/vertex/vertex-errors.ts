import type { GoogleErrorContext } from '../../protocols/google-generative-ai/index.js';

export const VERTEX_PROVIDER = 'vertex';
export const GOOGLE_APPLICATION_CREDENTIALS_ENV = 'GOOGLE_APPLICATION_CREDENTIALS';

/** Vertex refuses with the Google RPC envelope too (google-vertex/error-400-input-token-limit.json); a refused token means new credentials. */
export const VERTEX_ERROR_CONTEXT: GoogleErrorContext = Object.freeze({
  provider: VERTEX_PROVIDER,
  credentialAdvice: `set options.credentials or ${GOOGLE_APPLICATION_CREDENTIALS_ENV} to a service-account key of a project with Vertex AI enabled, or options.accessToken`,
});
