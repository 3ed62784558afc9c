import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, MissingApiKeyError } from '../../core/errors.js';
import { registerSecret } from '../../core/redact.js';
import { GOOGLE_APPLICATION_CREDENTIALS_ENV, VERTEX_PROVIDER } from './vertex-errors.js';
import type { ServiceAccountCredentials } from './vertex-options.js';

/**
 * The service-account key from `options.credentials` (an object, its JSON text, or a file path)
 * or the file GOOGLE_APPLICATION_CREDENTIALS names. Read when the backend is first called; the
 * private key and its id are registered as secrets as soon as they are read.
 */
export function loadServiceAccount(given: ServiceAccountCredentials | string | undefined, env: Readonly<Record<string, string | undefined>>): ServiceAccountCredentials {
  const source = given ?? env[GOOGLE_APPLICATION_CREDENTIALS_ENV];
  if (source === undefined || source === '') {
    throw new MissingApiKeyError(
      `No Vertex AI credentials: set options.credentials (a service-account key) or ${GOOGLE_APPLICATION_CREDENTIALS_ENV} to the key file's path, or give options.accessToken.`,
      { provider: VERTEX_PROVIDER },
    );
  }
  const parsed = typeof source === 'string' ? parseSource(source) : source;
  if (typeof parsed !== 'object' || parsed === null || typeof parsed.client_email !== 'string' || typeof parsed.private_key !== 'string') {
    throw new ConfigError('The Vertex AI credentials are not a service-account key: "client_email" and "private_key" are required. Download a JSON key for a service account (IAM > Service accounts > Keys).', [
      { path: '/options/credentials', message: 'not a service-account key' },
    ]);
  }
  registerSecret(parsed.private_key);
  registerSecret(parsed.private_key_id);
  return parsed;
}

function parseSource(source: string): ServiceAccountCredentials {
  const text = source.trimStart().startsWith('{') ? source : readKeyFile(source);
  registerSecret(text);
  try {
    return JSON.parse(text) as ServiceAccountCredentials;
  } catch {
    throw new ConfigError('The Vertex AI credentials are not valid JSON. Give the service-account key file as downloaded.', [{ path: '/options/credentials', message: 'not JSON' }]);
  }
}

function readKeyFile(path: string): string {
  try {
    return readFileSync(resolve(path), 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'unreadable';
    throw new ConfigError(`The Vertex AI credentials file ${JSON.stringify(path)} could not be read (${code}). Check ${GOOGLE_APPLICATION_CREDENTIALS_ENV} or options.credentials.`, [
      { path: '/options/credentials', message: code },
    ]);
  }
}
