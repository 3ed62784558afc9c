import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { startGateway } from './helpers.js';

const ORIGIN = 'https://app.example.com';

describe('CORS', () => {
  it('sends no CORS headers and answers no preflight by default', async () => {
    const { url } = await startGateway();
    const response = await request(`${url}/v1/models`, { headers: { origin: ORIGIN } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    await response.body.dump();
    const preflight = await request(`${url}/v1/chat/completions`, { method: 'OPTIONS', headers: { origin: ORIGIN, 'access-control-request-method': 'POST' } });
    expect(preflight.statusCode).toBe(404);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    await preflight.body.dump();
  });

  it('allows a configured origin and answers its preflight without a key', async () => {
    const { url } = await startGateway({ cors: { origins: [ORIGIN] }, apiKeys: ['gw-key-123456'] });
    const preflight = await request(`${url}/v1/chat/completions`, {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, x-stainless-os' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(preflight.headers['access-control-allow-methods']).toContain('POST');
    expect(preflight.headers['access-control-allow-headers']).toBe('authorization, content-type, x-stainless-os');
    await preflight.body.dump();
    const response = await request(`${url}/v1/models`, { headers: { origin: ORIGIN, authorization: 'Bearer gw-key-123456' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(response.headers['access-control-expose-headers']).toContain('x-hyperagent-cost-usd');
    expect(response.headers.vary).toContain('Origin');
    await response.body.dump();
    const unauthorized = await request(`${url}/v1/models`, { headers: { origin: ORIGIN } });
    expect(unauthorized.statusCode).toBe(401);
    // The browser can read the 401 and show why.
    expect(unauthorized.headers['access-control-allow-origin']).toBe(ORIGIN);
    await unauthorized.body.dump();
  });

  it('gives other origins nothing', async () => {
    const { url } = await startGateway({ cors: { origins: [ORIGIN] } });
    const response = await request(`${url}/v1/models`, { headers: { origin: 'https://evil.example' } });
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    await response.body.dump();
    const preflight = await request(`${url}/v1/models`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
    await preflight.body.dump();
  });
});
