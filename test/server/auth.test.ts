import { request } from 'undici';
import { describe, expect, it, vi } from 'vitest';
import { createBearerCheck } from '../../server/auth.js';
import { chatBody, startGateway } from './helpers.js';

const KEY = 'gw-key-7f3a9c1e5b';

async function call(url: string, authorization?: string) {
  const response = await request(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: chatBody(),
  });
  return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
}

describe('bearer authentication when API keys are set', () => {
  it('answers 401 with the same body for a missing, a wrong, a near-miss and a malformed key', async () => {
    const { url, backend } = await startGateway({ apiKeys: [KEY] });
    const answers = await Promise.all([undefined, 'Bearer wrong', `Bearer ${KEY}x`, `Bearer ${KEY.slice(0, -1)}`, `Basic ${KEY}`, KEY].map((header) => call(url, header)));
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(answer.text).toBe(answers[0]!.text);
      expect(answer.text).not.toContain(KEY);
    }
    expect(JSON.parse(answers[0]!.text)).toEqual({
      error: { message: expect.stringContaining('API key'), type: 'invalid_request_error', code: 'invalid_api_key', param: null },
    });
    expect(backend.calls).toHaveLength(0);
  });

  it('lets the right key through, any of several', async () => {
    const { url } = await startGateway({ apiKeys: ['other-key-123456', KEY] });
    expect((await call(url, `Bearer ${KEY}`)).status).toBe(200);
    expect((await call(url, 'bearer other-key-123456')).status).toBe(200);
  });

  it('reads keys from HYPERAGENT_API_KEY, comma-separated', async () => {
    const { url } = await startGateway({ env: { HYPERAGENT_API_KEY: `first-key-0001, ${KEY}` } });
    expect((await call(url)).status).toBe(401);
    expect((await call(url, `Bearer ${KEY}`)).status).toBe(200);
    expect((await call(url, 'Bearer first-key-0001')).status).toBe(200);
  });

  it('guards every route but /health', async () => {
    const { url } = await startGateway({ apiKeys: [KEY] });
    expect((await request(`${url}/v1/models`)).statusCode).toBe(401);
    expect((await request(`${url}/v1/nothing-here`)).statusCode).toBe(401);
    const health = await request(`${url}/health`);
    expect(health.statusCode).toBe(200);
    expect(await health.body.json()).toEqual({ status: 'ok' });
  });

  it('never logs the key a client sent', async () => {
    const logged: unknown[] = [];
    const logger = { info: (data: unknown) => void logged.push(data), warn: (data: unknown) => void logged.push(data), error: (data: unknown) => void logged.push(data) };
    const { url } = await startGateway({ apiKeys: [KEY], logger });
    await call(url, `Bearer ${KEY}`);
    await call(url, 'Bearer some-wrong-key-999');
    // The access log is written when the server side of the exchange closes, just after the client has its answer.
    await vi.waitFor(() => expect(logged).toHaveLength(2));
    expect(logged[0]).toMatchObject({ method: 'POST', path: '/v1/chat/completions', status: 200, backend: 'fake' });
    expect(JSON.stringify(logged)).not.toMatch(new RegExp(`${KEY}|some-wrong-key`));
  });

  it('is off when no key is configured', async () => {
    const { url } = await startGateway();
    expect((await call(url)).status).toBe(200);
    expect(createBearerCheck([])).toBeUndefined();
  });
});
