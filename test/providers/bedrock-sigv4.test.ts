// SigV4 signing against AWS's published test vectors, and where the Bedrock credentials come from.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuthenticationError, ConfigError } from '../../core/errors.js';
import { redactSecrets } from '../../core/redact.js';
import { parseIni, resolveAws, signRequest } from '../../plugins/bedrock/index.js';
import { verifySigV4 } from './bedrock-sigv4-verify.js';

// The AWS SigV4 test suite's example credentials and time (aws-sig-v4-test-suite, "get-vanilla" and "post-vanilla").
const SUITE = {
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
  region: 'us-east-1',
  service: 'service',
  date: new Date('2015-08-30T12:36:00Z'),
  contentSha256: false,
} as const;
const CREDENTIAL = 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date';
// get-vanilla: awslabs/aws-crt-python test/test_auth.py (commit 463f30431b85cdfb8124c5b4890c2de8ad7db3e4),
// "Test values copied from aws-c-auth/tests/aws-sig-v4-test-suite/get-vanilla".
const GET_VANILLA = `${CREDENTIAL}, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31`;
// post-vanilla: awslabs/aws-c-auth tests/aws-signing-test-suite/v4/post-vanilla/header-signed-request.txt
// (commit 4ec99f28fa66f8a308609dfc6020936c24edaaf2).
const POST_VANILLA = `${CREDENTIAL}, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b`;

describe('SigV4 signatures match AWS test suite vectors', () => {
  it('get-vanilla: GET / with host and x-amz-date', async () => {
    const headers = await signRequest({ method: 'GET', url: new URL('https://example.amazonaws.com/'), headers: {} }, SUITE);
    expect(headers.authorization).toBe(GET_VANILLA);
    expect(headers['x-amz-date']).toBe('20150830T123600Z');
    expect(headers.host).toBe('example.amazonaws.com');
  });

  it('post-vanilla: POST / with host and x-amz-date, no body', async () => {
    const headers = await signRequest({ method: 'POST', url: new URL('https://example.amazonaws.com/'), headers: {} }, SUITE);
    expect(headers.authorization).toBe(POST_VANILLA);
  });

  it('the loopback verifier agrees with both vectors (so it can judge the provider), and rejects a tampered one', () => {
    const base = { path: '/', rawBody: '', headers: { host: 'example.amazonaws.com', 'x-amz-date': '20150830T123600Z' } };
    const secret = SUITE.credentials.secretAccessKey;
    expect(verifySigV4({ ...base, method: 'GET', headers: { ...base.headers, authorization: GET_VANILLA } }, secret).ok).toBe(true);
    expect(verifySigV4({ ...base, method: 'POST', headers: { ...base.headers, authorization: POST_VANILLA } }, secret).ok).toBe(true);
    expect(verifySigV4({ ...base, method: 'POST', headers: { ...base.headers, authorization: GET_VANILLA } }, secret).ok).toBe(false);
  });

  it('a Bedrock request: the model id escaped once on the wire and again in the canonical path, body hashed and signed', async () => {
    const url = new URL(`https://bedrock-runtime.us-east-1.amazonaws.com/model/${encodeURIComponent('us.amazon.nova-2-lite-v1:0')}/converse`);
    expect(url.pathname).toBe('/model/us.amazon.nova-2-lite-v1%3A0/converse');
    const body = JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'héllo' }] }] });
    const credentials = { ...SUITE.credentials, sessionToken: 'FQoGZXIvYXdzEXAMPLESESSIONTOKEN0123456789' };
    const headers = await signRequest({ method: 'POST', url, headers: { 'content-type': 'application/json' }, body }, { credentials, region: 'us-east-1', date: SUITE.date });
    expect(headers['x-amz-security-token']).toBe(credentials.sessionToken);
    expect(headers['x-amz-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
    const verdict = verifySigV4({ method: 'POST', path: url.pathname, headers, rawBody: body }, SUITE.credentials.secretAccessKey);
    expect(verdict).toMatchObject({ ok: true, region: 'us-east-1', service: 'bedrock', accessKeyId: 'AKIDEXAMPLE' });
    expect(verdict.signedHeaders).toEqual(expect.arrayContaining(['content-type', 'host', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-security-token']));
    // One changed body byte breaks it.
    expect(verifySigV4({ method: 'POST', path: url.pathname, headers, rawBody: body.replace('é', 'e') }, SUITE.credentials.secretAccessKey).ok).toBe(false);
  });
});

function awsDir(credentials: string, config: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ha-bedrock-aws-'));
  writeFileSync(join(dir, 'credentials'), credentials);
  writeFileSync(join(dir, 'config'), config);
  return dir;
}

describe('credentials and region: options, then AWS_* variables, then the shared profile', () => {
  const empty = awsDir('', '');
  const files = (dir: string) => ({ AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), AWS_CONFIG_FILE: join(dir, 'config') });

  it('options win over the environment, and every secret is registered', async () => {
    const env = { ...files(empty), AWS_ACCESS_KEY_ID: 'AKIAENVIRONMENT00001', AWS_SECRET_ACCESS_KEY: 'env-secret-key-0123456789abcdef', AWS_REGION: 'eu-west-1' };
    const resolved = await resolveAws({ accessKeyId: 'AKIAOPTIONS000000001', secretAccessKey: 'options-secret-0123456789abcdef', sessionToken: 'options-session-token-0123456789', env }, 'bedrock');
    expect(resolved).toEqual({ credentials: { accessKeyId: 'AKIAOPTIONS000000001', secretAccessKey: 'options-secret-0123456789abcdef', sessionToken: 'options-session-token-0123456789' }, region: 'eu-west-1' });
    expect(redactSecrets('key options-secret-0123456789abcdef token options-session-token-0123456789')).toBe('key [REDACTED] token [REDACTED]');
  });

  it('the AWS_* variables, with AWS_SESSION_TOKEN and AWS_DEFAULT_REGION', async () => {
    const env = { ...files(empty), AWS_ACCESS_KEY_ID: 'AKIAENVIRONMENT00002', AWS_SECRET_ACCESS_KEY: 'env-secret-key-2-0123456789abc', AWS_SESSION_TOKEN: 'env-session-token-2-0123456789', AWS_DEFAULT_REGION: 'us-west-2' };
    expect(await resolveAws({ env }, 'bedrock')).toEqual({
      credentials: { accessKeyId: 'AKIAENVIRONMENT00002', secretAccessKey: 'env-secret-key-2-0123456789abc', sessionToken: 'env-session-token-2-0123456789' },
      region: 'us-west-2',
    });
    expect(redactSecrets('env-session-token-2-0123456789')).toBe('[REDACTED]');
  });

  it('the profile named by AWS_PROFILE: keys from the credentials file, region from [profile name] in config', async () => {
    const dir = awsDir(
      '[default]\naws_access_key_id = AKIADEFAULT000000001\naws_secret_access_key = default-secret-0123456789abcdef\n\n[work]\n# comment\naws_access_key_id=AKIAWORK000000000001\naws_secret_access_key=work-secret-0123456789abcdefgh\naws_session_token=work-token-0123456789abcdefgh\n',
      '[default]\nregion = us-east-1\n[profile work]\nregion = ap-northeast-1\n',
    );
    expect(await resolveAws({ env: { ...files(dir), AWS_PROFILE: 'work' } }, 'bedrock')).toEqual({
      credentials: { accessKeyId: 'AKIAWORK000000000001', secretAccessKey: 'work-secret-0123456789abcdefgh', sessionToken: 'work-token-0123456789abcdefgh' },
      region: 'ap-northeast-1',
    });
    expect((await resolveAws({ env: files(dir) }, 'bedrock')).region).toBe('us-east-1');
    expect(redactSecrets('work-secret-0123456789abcdefgh')).toBe('[REDACTED]');
  });

  it('none anywhere: an AuthenticationError that names every place; no region: a ConfigError; half a key pair: a ConfigError', async () => {
    const missing = resolveAws({ env: { ...files(empty), AWS_PROFILE: 'nobody' } }, 'bedrock');
    await expect(missing).rejects.toBeInstanceOf(AuthenticationError);
    await expect(missing).rejects.toThrow(/profile "nobody" has none.*AWS_ACCESS_KEY_ID.*~\/\.aws\/credentials/);
    await expect(resolveAws({ accessKeyId: 'AKIAONLY000000000001', env: files(empty) }, 'bedrock')).rejects.toBeInstanceOf(ConfigError);
    await expect(resolveAws({ accessKeyId: 'AKIAREGION0000000001', secretAccessKey: 'no-region-secret-0123456789', env: files(empty) }, 'bedrock')).rejects.toThrow(/no AWS region: set "options.region"/);
  });

  it('parseIni reads the AWS dialect', () => {
    expect(parseIni('; c\n[a]\nX = 1\n[profile b]\ny=2 \n')).toEqual({ a: { x: '1' }, 'profile b': { y: '2' } });
  });
});
