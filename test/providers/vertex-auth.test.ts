// Vertex AI credentials: an access token minted from a test service account (an RSA key pair made
// here) at a loopback token endpoint, cached, and replaced before it expires, on a fake clock.
import { generateKeyPairSync, createVerify } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationError, MissingApiKeyError } from '../../core/errors.js';
import { closeAllPools } from '../../core/http.js';
import { redactSecrets } from '../../core/redact.js';
import type { LLMMessage } from '../../core/types.js';
import vertexDefinition, { REFRESH_MARGIN_MS, VertexProvider, type ServiceAccountCredentials } from '../../plugins/vertex/index.js';
import { ReplayServer } from '../replay-server.js';

const HELLO: readonly LLMMessage[] = [{ role: 'user', content: 'Hello' }];
const GENERATE = '/v1/projects/sa-project/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

let server: ReplayServer;
let account: ServiceAccountCredentials;

beforeAll(async () => {
  server = await new ReplayServer().start();
  account = {
    type: 'service_account',
    project_id: 'sa-project',
    private_key_id: 'test-key-id-0123456789abcdef',
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: 'hyperagent-test@sa-project.iam.gserviceaccount.com',
    token_uri: `${server.baseURL}/token`,
  };
});

afterAll(async () => {
  await server.stop();
  await closeAllPools();
});

function grantToken(token: string, expiresIn = 3600): void {
  server.enqueue('/token', { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ access_token: token, expires_in: expiresIn, token_type: 'Bearer' }) });
}

function answer(): void {
  server.enqueue(GENERATE, { fixture: 'google-vertex/generate-text.json' });
}

const tokenRequests = () => server.requests.filter((request) => request.path === '/token');
const lastGenerate = () => server.requests.filter((request) => request.path === GENERATE).at(-1)!;

function decode(part: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
}

describe('service-account JWT exchanged for an OAuth token', () => {
  it('mints with an RS256 JWT the public key verifies, caches it, and replaces it before it expires', async () => {
    let now = Date.UTC(2026, 10, 27, 12, 0, 0);
    const before = tokenRequests().length;
    const vertex = new VertexProvider({ credentials: account, baseURL: `${server.baseURL}/v1`, env: {}, now: () => now });

    grantToken('ya29.test-token-one-aaaaaaaa');
    answer();
    await vertex.infer(HELLO);
    const exchange = tokenRequests().at(-1)!;
    const form = new URLSearchParams(exchange.rawBody);
    expect(exchange.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const [header, claims, signature] = form.get('assertion')!.split('.');
    expect(decode(header)).toEqual({ alg: 'RS256', typ: 'JWT', kid: account.private_key_id });
    const issuedAt = Math.floor(now / 1000);
    expect(decode(claims)).toEqual({ iss: account.client_email, scope: 'https://www.googleapis.com/auth/cloud-platform', aud: account.token_uri, iat: issuedAt, exp: issuedAt + 3600 });
    expect(createVerify('RSA-SHA256').update(`${header}.${claims}`).verify(publicKey, Buffer.from(signature, 'base64url'))).toBe(true);
    expect(lastGenerate().headers.authorization).toBe('Bearer ya29.test-token-one-aaaaaaaa');

    // 50 minutes later the token has 10 left: still used, no new exchange.
    now += 50 * 60_000;
    answer();
    await vertex.infer(HELLO);
    expect(tokenRequests().length).toBe(before + 1);
    expect(lastGenerate().headers.authorization).toBe('Bearer ya29.test-token-one-aaaaaaaa');

    // Inside the refresh margin (before expiry): a new token is minted and used.
    now = Date.UTC(2026, 10, 27, 12, 0, 0) + 3600_000 - REFRESH_MARGIN_MS + 1;
    grantToken('ya29.test-token-two-bbbbbbbb');
    answer();
    await vertex.infer(HELLO);
    expect(tokenRequests().length).toBe(before + 2);
    expect(lastGenerate().headers.authorization).toBe('Bearer ya29.test-token-two-bbbbbbbb');
  });

  it('concurrent first calls share one exchange; the minted token and the private key are registered secrets', async () => {
    const vertex = new VertexProvider({ credentials: account, baseURL: `${server.baseURL}/v1`, env: {} });
    const before = tokenRequests().length;
    grantToken('ya29.test-token-shared-cccccccc');
    answer();
    answer();
    answer();
    await Promise.all([vertex.infer(HELLO), vertex.infer(HELLO), vertex.infer(HELLO)]);
    expect(tokenRequests().length).toBe(before + 1);
    expect(redactSecrets('token ya29.test-token-shared-cccccccc')).not.toContain('cccccccc');
    expect(redactSecrets(account.private_key)).not.toContain('PRIVATE KEY-----\nMII');
  });

  it('a refused exchange is an authentication error naming the reason, never the key or the assertion', async () => {
    const vertex = new VertexProvider({ credentials: account, baseURL: `${server.baseURL}/v1`, env: {} });
    server.enqueue('/token', { status: 400, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: 'invalid_grant', error_description: 'Invalid JWT Signature.' }) });
    const error = await vertex.infer(HELLO).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toContain('invalid_grant: Invalid JWT Signature');
    expect((error as Error).message).not.toContain('PRIVATE KEY');
  });

  it('GOOGLE_APPLICATION_CREDENTIALS names the key file; the project comes from its project_id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ha-vertex-'));
    const file = join(dir, 'key.json');
    writeFileSync(file, JSON.stringify(account));
    const vertex = vertexDefinition.create({ provider: 'vertex', model: 'gemini-2.5-flash', baseURL: `${server.baseURL}/v1` }, { backendName: 'v', configDir: dir, env: { GOOGLE_APPLICATION_CREDENTIALS: file } });
    grantToken('ya29.test-token-file-dddddddd');
    answer();
    const output = await vertex.infer(HELLO);
    expect(output.content).toBe('2 + 2 = **4**');
    expect(lastGenerate().headers.authorization).toBe('Bearer ya29.test-token-file-dddddddd');
  });

  it('no credentials at all: a MissingApiKeyError before anything is sent; modelInfo still answers', async () => {
    const vertex = new VertexProvider({ project: 'p', baseURL: `${server.baseURL}/v1`, env: {} });
    const before = server.requests.length;
    await expect(vertex.infer(HELLO)).rejects.toThrow(MissingApiKeyError);
    expect(server.requests.length).toBe(before);
    expect(vertex.modelInfo().contextWindow).toBe(1_048_576);
  });
});
