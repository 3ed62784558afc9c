import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import OpenAI from 'openai';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { createGateway } from '../../server/create-gateway.js';
import { DEFAULT_MAX_BODY_BYTES } from '../../server/gateway-options.js';
import type { GatewayLogger } from '../../server/gateway-options.js';
import { startGateway } from './helpers.js';

const MiB = 1024 * 1024;
const run = promisify(execFile);

function statusLog(): { logger: GatewayLogger; statuses: unknown[] } {
  const statuses: unknown[] = [];
  return { statuses, logger: { info: (data, message) => void (message === 'request' && statuses.push(data.status)), warn() {}, error() {} } };
}

describe('a body over maxBodyBytes is answered 413, and the official client sees it', () => {
  // The client runs in a process of its own: in the gateway's process it never meets the reset it
  // would meet across processes (2 of 10 at 8 MB got a status before the gateway read the bodies).
  it.each([2, 8])('%s MB: status 413, 10 times out of 10', async (megabytes) => {
    const { baseURL, backend } = await startGateway({ maxBodyBytes: MiB });
    const seen = await clientInAnotherProcess(baseURL, megabytes * 1_000_000, 10);
    expect(seen).toEqual(Array(10).fill(413));
    expect(backend.calls).toHaveLength(0);
  });

  it('lets a 401 for a large body reach the client as well (the unread body is drained, not reset)', async () => {
    const { baseURL, backend } = await startGateway({ apiKeys: ['the-right-key'] });
    const seen = await clientInAnotherProcess(baseURL, 8_000_000, 5);
    expect(seen).toEqual(Array(5).fill(401));
    expect(backend.calls).toHaveLength(0);
  });

  it('refuses a maxDiscardBytes that is not a whole number of bytes', async () => {
    const { kernel } = await startGateway();
    expect(() => createGateway({ kernel, maxDiscardBytes: -1 })).toThrow(/`maxDiscardBytes`/);
  });

  it('is not retried by the SDK (413 is not a status it retries)', async () => {
    const { logger, statuses } = statusLog();
    const { baseURL } = await startGateway({ maxBodyBytes: MiB, logger });
    const client = new OpenAI({ apiKey: 'sk-test-not-a-real-key-000000', baseURL, maxRetries: 2 });
    const error = await client.chat.completions.create({ model: 'fake', messages: [{ role: 'user', content: 'x'.repeat(2 * MiB) }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error).toMatchObject({ status: 413, code: 'request_too_large' });
    await expect.poll(() => statuses).toEqual([413]);
  });

  it('answers a declared length over maxDiscardBytes at once, without reading it', async () => {
    const { url } = await startGateway({ maxBodyBytes: 1024, maxDiscardBytes: 4096 });
    const answer = await rawExchange(url, ['POST /v1/chat/completions HTTP/1.1', 'Host: x', 'Content-Type: application/json', `Content-Length: ${64 * MiB}`, '', '']);
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toMatch(/request_too_large/);
  });

  it('answers Expect: 100-continue with 413 for a body it would refuse, so the body is never sent', async () => {
    const { url } = await startGateway({ maxBodyBytes: 1024 });
    const answer = await rawExchange(url, ['POST /v1/chat/completions HTTP/1.1', 'Host: x', 'Content-Type: application/json', 'Expect: 100-continue', `Content-Length: ${10 * MiB}`, '', '']);
    expect(answer).not.toMatch(/100 Continue/);
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
  });

  it('lets a body within the limit through Expect: 100-continue', async () => {
    const { url } = await startGateway();
    const body = JSON.stringify({ model: 'fake', messages: [{ role: 'user', content: 'Hi' }] });
    const head = ['POST /v1/chat/completions HTTP/1.1', 'Host: x', 'Content-Type: application/json', 'Expect: 100-continue', `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close', '', ''];
    const answer = await rawExchange(url, head, body);
    expect(answer).toMatch(/^HTTP\/1\.1 100 Continue/);
    expect(answer).toMatch(/HTTP\/1\.1 200 OK/);
  });
});

describe('the default maxBodyBytes fits real image payloads', () => {
  it('is 32 MiB, and takes a request with four 6 MB screenshots as base64', async () => {
    expect(DEFAULT_MAX_BODY_BYTES).toBe(32 * MiB);
    const { url, backend } = await startGateway();
    const screenshot = `data:image/png;base64,${Buffer.alloc(6_000_000, 7).toString('base64')}`;
    const content = [{ type: 'text', text: 'What changed between these?' }, ...Array.from({ length: 4 }, () => ({ type: 'image_url', image_url: { url: screenshot } }))];
    const body = JSON.stringify({ model: 'fake', messages: [{ role: 'user', content }] });
    expect(Buffer.byteLength(body)).toBeGreaterThan(30_000_000);
    const response = await request(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(response.statusCode).toBe(200);
    await response.body.dump();
    expect(backend.lastCall.messages[0]?.content).toHaveLength(5);
  });
});

describe('a compressed body is 415, not a parse error or a 5xx', () => {
  it.each(['gzip', 'br', 'x-made-up'])('Content-Encoding: %s', async (encoding) => {
    const { url, backend } = await startGateway();
    const body = gzipSync(JSON.stringify({ model: 'fake', messages: [{ role: 'user', content: 'Hi' }] }));
    const response = await request(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': encoding }, body });
    expect(response.statusCode).toBe(415);
    expect(await response.body.json()).toMatchObject({ error: { type: 'invalid_request_error', code: 'unsupported_content_encoding', message: expect.stringContaining('uncompressed') } });
    expect(backend.calls).toHaveLength(0);
  });

  it('takes Content-Encoding: identity', async () => {
    const { url } = await startGateway();
    const body = JSON.stringify({ model: 'fake', messages: [{ role: 'user', content: 'Hi' }] });
    const response = await request(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'identity' }, body });
    expect(response.statusCode).toBe(200);
    await response.body.dump();
  });
});

// Sends `count` chat requests of `size` characters with the official client, prints each status (or error).
const CLIENT_SCRIPT = `
import OpenAI from 'openai';
const [baseURL, size, count] = process.argv.slice(1);
const client = new OpenAI({ apiKey: 'sk-test-not-a-real-key-000000', baseURL, maxRetries: 0 });
const content = 'x'.repeat(Number(size));
const seen = [];
for (let attempt = 0; attempt < Number(count); attempt += 1) {
  const error = await client.chat.completions.create({ model: 'fake', messages: [{ role: 'user', content }] }).catch((caught) => caught);
  seen.push(error instanceof OpenAI.APIError && error.status !== undefined ? error.status : String(error?.cause?.code ?? error));
}
console.log(JSON.stringify(seen));
`;

async function clientInAnotherProcess(baseURL: string, size: number, count: number): Promise<unknown[]> {
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', CLIENT_SCRIPT, baseURL, String(size), String(count)], { cwd: process.cwd() });
  return JSON.parse(stdout) as unknown[];
}

/** Writes `lines` (and `body`) on a raw socket and returns everything the server sends until it closes the connection. */
function rawExchange(url: string, lines: readonly string[], body?: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = '';
    let sentBody = false;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
      if (body !== undefined && !sentBody && received.includes('100 Continue')) {
        sentBody = true;
        socket.write(body);
      }
    });
    socket.on('close', () => resolve(received));
    socket.on('error', (error) => (received ? resolve(received) : reject(error)));
    socket.write(lines.join('\r\n'));
  });
}
