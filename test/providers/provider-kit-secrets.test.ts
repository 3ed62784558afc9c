// Google and Bedrock on the provider kit (HttpProvider): a backend logged with JSON.stringify or
// util.inspect shows none of its credentials (Bedrock's AWS keys and API key were in a plain
// `settings` field before), and the builders' copies still call with them, over loopback HTTP.
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAllPools } from '../../core/http.js';
import type { LLMBackend, LLMMessage } from '../../core/types.js';
import { BedrockProvider } from '../../plugins/bedrock/index.js';
import { GoogleProvider } from '../../plugins/google/index.js';
import { ReplayServer } from '../replay-server.js';
import { bedrockFor, expectSigned, NOVA, pathFor, TEST_CREDENTIALS } from './bedrock-helpers.js';

const HELLO: readonly LLMMessage[] = [{ role: 'user', content: 'Hello' }];
const BEDROCK_KEY = 'ABSKhyperagent-kit-bedrock-key-7f3a91';
const GEMINI_KEY = 'hyperagent-kit-gemini-key-2b8e40';

let server: ReplayServer;
beforeAll(async () => {
  server = await new ReplayServer().start();
});
afterAll(async () => {
  await server.stop();
  await closeAllPools();
});

function shown(backend: LLMBackend): string {
  return `${JSON.stringify(backend)}\n${inspect(backend, { depth: 12, showHidden: true })}\n${JSON.stringify((backend as { options?: unknown }).options)}`;
}

describe('logging a backend shows no credential', () => {
  it('bedrock: neither the AWS keys nor the API key, in the backend or a copy', () => {
    const signed = new BedrockProvider({ ...TEST_CREDENTIALS, region: 'us-east-1', env: {} });
    const keyed = new BedrockProvider({ apiKey: BEDROCK_KEY, env: {} });
    for (const backend of [signed, signed.withMaxTokens(64), signed.withRateLimits(10, 10_000), keyed, keyed.withModel(NOVA)]) {
      const text = shown(backend);
      for (const secret of [TEST_CREDENTIALS.accessKeyId, TEST_CREDENTIALS.secretAccessKey, TEST_CREDENTIALS.sessionToken, BEDROCK_KEY]) expect(text).not.toContain(secret);
      expect(backend.options).not.toHaveProperty('secretAccessKey');
      expect(backend.options).not.toHaveProperty('apiKey');
    }
  });

  it('google: not the key, in the backend or a copy', () => {
    const gemini = new GoogleProvider({ apiKey: GEMINI_KEY });
    for (const backend of [gemini, gemini.withMaxTokens(32), gemini.withModel('gemini-2.5-pro')]) expect(shown(backend)).not.toContain(GEMINI_KEY);
  });
});

describe('the builders\' copies keep calling with the credentials', () => {
  it('bedrock: a copy still signs with the AWS keys (the signature recomputed on the server), with its own settings', async () => {
    const copy = bedrockFor(server).withMaxTokens(77).withRateLimits(20, 20_000);
    expect(copy.rateLimits).toMatchObject({ rpm: 20, tpm: 20_000 });
    server.enqueue(pathFor(NOVA, 'converse'), { fixture: 'bedrock/converse-text.json' });
    await copy.infer(HELLO);
    const request = server.requests.at(-1)!;
    expectSigned(request);
    expect(request.body).toMatchObject({ inferenceConfig: { maxTokens: 77 } });
  });

  it('bedrock: a copy of a keyed backend sends the key as a bearer token, with the configured headers and no signature', async () => {
    const copy = new BedrockProvider({ apiKey: BEDROCK_KEY, baseURL: server.baseURL, env: {}, headers: { 'x-team': 'kit' } }).withModel(NOVA);
    server.enqueue(pathFor(NOVA, 'converse'), { fixture: 'bedrock/converse-text.json' });
    await copy.infer(HELLO);
    const request = server.requests.at(-1)!;
    expect(request.headers.authorization).toBe(`Bearer ${BEDROCK_KEY}`);
    expect(request.headers['x-team']).toBe('kit');
    expect(request.headers['x-amz-date']).toBeUndefined();
  });

  it('google: a copy sends the key in x-goog-api-key, and GOOGLE_API_KEY is read after GEMINI_API_KEY', async () => {
    const path = '/v1beta/models/gemini-2.5-pro:generateContent';
    server.enqueue(path, { fixture: 'google/generate-text.json' }).enqueue(path, { fixture: 'google/generate-text.json' });
    await new GoogleProvider({ apiKey: GEMINI_KEY, baseURL: `${server.baseURL}/v1beta` }).withModel('gemini-2.5-pro').infer(HELLO);
    expect(server.requests.at(-1)!.headers['x-goog-api-key']).toBe(GEMINI_KEY);
    await new GoogleProvider({ baseURL: `${server.baseURL}/v1beta`, env: { GEMINI_API_KEY: 'from-gemini-var', GOOGLE_API_KEY: 'from-google-var' } }).withModel('gemini-2.5-pro').infer(HELLO);
    expect(server.requests.at(-1)!.headers['x-goog-api-key']).toBe('from-gemini-var');
  });
});
