import type { HyperAgentError } from '../../core/errors.js';
import type { ErrorResponse } from '../../core/http-errors.js';
import { bedrockErrorFromResponse } from '../../protocols/bedrock-converse/index.js';
import { AWS_CREDENTIALS_HINT } from './bedrock-credentials.js';

/** The name every Bedrock backend, error and stream metadata carries. */
export const BEDROCK_PROVIDER = 'bedrock';

/** An error response of a Bedrock endpoint → its typed error, by `x-amzn-errortype` (undefined: by status). */
export function mapBedrockError(response: ErrorResponse): HyperAgentError | undefined {
  return bedrockErrorFromResponse(response, { provider: BEDROCK_PROVIDER, credentialsHint: AWS_CREDENTIALS_HINT });
}
