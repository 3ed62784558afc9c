import { Readable } from 'node:stream';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { chatBody, startGateway } from './helpers.js';

const json = { 'content-type': 'application/json' };

describe('request bodies over maxBodyBytes get 413', () => {
  it('refuses a declared content-length over the limit without calling the backend', async () => {
    const { url, backend } = await startGateway({ maxBodyBytes: 1024 });
    const response = await request(`${url}/v1/chat/completions`, { method: 'POST', headers: json, body: chatBody({ padding: 'x'.repeat(2048) }) });
    expect(response.statusCode).toBe(413);
    expect(response.headers.connection).toBe('close');
    expect(await response.body.json()).toMatchObject({ error: { type: 'invalid_request_error', code: 'request_too_large' } });
    expect(backend.calls).toHaveLength(0);
  });

  it('reads a chunked body that never ends only up to maxDiscardBytes, then answers 413 and closes', async () => {
    const logged: Record<string, unknown>[] = [];
    const logger = { info: (data: Record<string, unknown>, message: string) => void (message === 'request' && logged.push(data)), warn() {}, error() {} };
    const { url, backend } = await startGateway({ maxBodyBytes: 1024, maxDiscardBytes: 256 * 1024, logger });
    let sent = 0;
    async function* endless(): AsyncGenerator<Buffer> {
      yield Buffer.from('{"model":"fake","padding":"');
      // Never ends on its own: the gateway has to answer before the body is complete.
      for (;;) {
        sent += 16 * 1024;
        yield Buffer.alloc(16 * 1024, 'x');
      }
    }
    // Past the cap the gateway stops reading, so the client may see its answer or a reset.
    const response = await request(`${url}/v1/chat/completions`, { method: 'POST', headers: json, body: Readable.from(endless()) }).catch(() => undefined);
    if (response) {
      expect(response.statusCode).toBe(413);
      expect(response.headers.connection).toBe('close');
      await response.body.dump().catch(() => undefined);
    }
    await expect.poll(() => logged.length).toBe(1);
    expect(logged[0]).toMatchObject({ status: 413 });
    // What sat in socket buffers when the gateway stopped reading is all the client got to send past the cap.
    expect(sent).toBeLessThan(16 * 1024 * 1024);
    expect(backend.calls).toHaveLength(0);
  });

  it('accepts a body just under the limit', async () => {
    const { url } = await startGateway({ maxBodyBytes: 1024 });
    const body = chatBody({ padding: 'x'.repeat(900) });
    expect(Buffer.byteLength(body)).toBeLessThan(1024);
    const response = await request(`${url}/v1/chat/completions`, { method: 'POST', headers: json, body });
    expect(response.statusCode).toBe(200);
    await response.body.dump();
  });
});

describe('malformed requests get 400', () => {
  it.each([
    ['malformed JSON', '{"model": "fake", "messages": ['],
    ['an empty body', ''],
  ])('for %s', async (_name, body) => {
    const { url } = await startGateway();
    const response = await request(`${url}/v1/chat/completions`, { method: 'POST', headers: json, body });
    expect(response.statusCode).toBe(400);
    expect(await response.body.json()).toMatchObject({ error: { type: 'invalid_request_error', code: 'invalid_json', param: null } });
  });

  it('for a body that is JSON but not an object', async () => {
    const { url } = await startGateway();
    const response = await request(`${url}/v1/chat/completions`, { method: 'POST', headers: json, body: '[1, 2]' });
    expect(response.statusCode).toBe(400);
    expect(await response.body.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
  });
});

describe('unknown models and URLs get 404', () => {
  it('names an unknown model model_not_found without listing the configured ones', async () => {
    const { url } = await startGateway();
    for (const path of ['/v1/chat/completions', '/v1/embeddings']) {
      const response = await request(`${url}${path}`, { method: 'POST', headers: json, body: JSON.stringify({ model: 'gpt-9', messages: [{ role: 'user', content: 'x' }], input: 'x' }) });
      expect(response.statusCode).toBe(404);
      const body = (await response.body.json()) as Record<string, any>;
      expect(body).toEqual({ error: { message: expect.stringContaining('"gpt-9"'), type: 'invalid_request_error', code: 'model_not_found', param: 'model' } });
      expect(body.error.message).not.toContain('fake');
    }
    const retrieve = await request(`${url}/v1/models/gpt-9`);
    expect(retrieve.statusCode).toBe(404);
    await retrieve.body.dump();
  });

  it('answers any other route 404 in OpenAI’s error format', async () => {
    const { url } = await startGateway();
    for (const [method, path] of [['GET', '/v1/chat/completions'], ['POST', '/v1/assistants'], ['DELETE', '/v1/models'], ['GET', '/']] as const) {
      const response = await request(`${url}${path}`, { method });
      expect(response.statusCode).toBe(404);
      expect(await response.body.json()).toEqual({ error: { message: `Invalid URL (${method} ${path}).`, type: 'invalid_request_error', code: 'unknown_url', param: null } });
    }
  });
});
