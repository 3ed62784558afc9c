import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { AuthenticationError, ConfigError } from '../../core/errors.js';
import { registerSecret } from '../../core/redact.js';

/** AWS credentials for SigV4. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface AwsCredentialSources {
  /** Given in code or config (`options.accessKeyId` …): used as they are. */
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
  readonly sessionToken?: string;
  /** The shared-config profile. @default env.AWS_PROFILE, else 'default' */
  readonly profile?: string;
  readonly region?: string;
  /** @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Where the credentials and region came from, resolved once per backend. */
export interface ResolvedAws {
  readonly credentials: AwsCredentials;
  readonly region: string;
}

/** Names every place we looked, for the error that says none had credentials. */
export const AWS_CREDENTIALS_HINT =
  'the AWS credentials ("options.accessKeyId" and "options.secretAccessKey", AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a profile in ~/.aws/credentials chosen by AWS_PROFILE)';

/**
 * The credentials and region, in the AWS SDK's order: explicit options, then the `AWS_*`
 * environment variables, then the shared files (`~/.aws/credentials` and `~/.aws/config`, or
 * `AWS_SHARED_CREDENTIALS_FILE` / `AWS_CONFIG_FILE`) for `AWS_PROFILE`. Every secret found is
 * registered, so no log or error shows it.
 */
export async function resolveAws(sources: AwsCredentialSources, provider: string): Promise<ResolvedAws> {
  const env = sources.env ?? process.env;
  const profileName = sources.profile ?? env.AWS_PROFILE ?? env.AWS_DEFAULT_PROFILE ?? 'default';
  let profile: Readonly<Record<string, string>> | undefined;
  const loadProfile = async (): Promise<Readonly<Record<string, string>>> => (profile ??= await readProfile(profileName, env));

  let credentials: AwsCredentials | undefined;
  if (sources.accessKeyId !== undefined || sources.secretAccessKey !== undefined) {
    if (!sources.accessKeyId || !sources.secretAccessKey) {
      throw new ConfigError(`${provider}: "options.accessKeyId" and "options.secretAccessKey" go together; set both, or neither to use AWS_* variables or a profile.`);
    }
    credentials = pick(sources.accessKeyId, sources.secretAccessKey, sources.sessionToken);
  } else if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    credentials = pick(env.AWS_ACCESS_KEY_ID, env.AWS_SECRET_ACCESS_KEY, env.AWS_SESSION_TOKEN);
  } else {
    const found = await loadProfile();
    if (found.aws_access_key_id && found.aws_secret_access_key) credentials = pick(found.aws_access_key_id, found.aws_secret_access_key, found.aws_session_token);
  }
  if (!credentials) {
    throw new AuthenticationError(`${provider} has no AWS credentials: profile "${profileName}" has none either. Set ${AWS_CREDENTIALS_HINT}.`, {
      provider,
      retryable: false,
    });
  }
  const region = sources.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? (await loadProfile()).region;
  if (!region) {
    throw new ConfigError(`${provider} has no AWS region: set "options.region" on the backend (e.g. "us-east-1"), AWS_REGION, or "region" in the profile of ~/.aws/config.`);
  }
  return { credentials, region };
}

function pick(accessKeyId: string, secretAccessKey: string, sessionToken: string | undefined): AwsCredentials {
  registerSecret(accessKeyId);
  registerSecret(secretAccessKey);
  registerSecret(sessionToken);
  return sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey };
}

/** The profile's keys from the credentials file, over those of the config file (`[profile name]`, or `[default]`). */
async function readProfile(name: string, env: Readonly<Record<string, string | undefined>>): Promise<Readonly<Record<string, string>>> {
  const home = env.HOME ?? env.USERPROFILE ?? homedir();
  const configFile = env.AWS_CONFIG_FILE ?? join(home, '.aws', 'config');
  const credentialsFile = env.AWS_SHARED_CREDENTIALS_FILE ?? join(home, '.aws', 'credentials');
  const config = parseIni(await readOptional(configFile));
  const credentials = parseIni(await readOptional(credentialsFile));
  const fromConfig = config[name === 'default' ? 'default' : `profile ${name}`] ?? config[name] ?? {};
  return { ...fromConfig, ...(credentials[name] ?? {}) };
}

async function readOptional(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    // A missing file is a source that has nothing, as for the AWS SDK.
    return '';
  }
}

/** The INI dialect of the AWS shared files: `[section]`, `key = value`, `#` and `;` comments. */
export function parseIni(text: string): Record<string, Record<string, string>> {
  const sections: Record<string, Record<string, string>> = {};
  let current: Record<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[([^\]]+)\]$/.exec(line);
    if (section) {
      current = sections[section[1].trim()] ??= {};
      continue;
    }
    const eq = line.indexOf('=');
    if (current && eq > 0) current[line.slice(0, eq).trim().toLowerCase()] = line.slice(eq + 1).trim();
  }
  return sections;
}
