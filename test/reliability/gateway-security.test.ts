// The gateway on a network: what test/server already covers (401 bodies, 413, 400, binding, CORS,
// a slow header sender) is not repeated. Added here: the bearer check is constant-time by
// construction, 401s are identical whatever was sent, hostile bodies and headers, slow body senders
// in numbers, and no provider key or stack trace in any answer, with real providers over HTTP.
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { closeAllPools } from '../../core/http.js';
import { Kernel } from '../../core/kernel.js';
import type { LLMBackend } from '../../core/types.js';
import { createGateway } from '../../server/create-gateway.js';
import type { Gateway } from '../../server/gateway.js';
import type { GatewayOptions } from '../../server/gateway-options.js';
import { FAKE_KEY, startRig, type Rig } from './harness.js';
import { errorEventBlock, errorStatus, firstTextBlock, okStream, PROVIDERS, SSE_HEADERS, streamBlocks } from './wire.js';

const compared = vi.hoisted(() => [] as [number, number][]);

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  const timingSafeEqual = (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView): boolean => {
    compared.push([a.byteLength, b.byteLength]);
    return actual.timingSafeEqual(a, b);
  };
  return { ...actual, default: { ...actual, timingSafeEqual }, timingSafeEqual };
});

const json = { 'content-type': 'application/json' };
const started: Gateway[] = [];

async function startGateway(options: Partial<GatewayOptions> & { kernel: Kernel }): Promise<string> {
  const gateway = createGateway({ port: 0, env: {}, ...options });
  started.push(gateway);
  return (await gateway.listen()).url;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((gateway) => gateway.close()));
});

/** A kernel whose one backend, `echo`, answers "ok" without any network. */
function echoKernel(): Kernel {
  const output = { content: 'ok', confidence: 1, tokenUsage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 }, finishReason: 'stop' as const, metadata: { provider: 'echo', model: 'echo' } };
  const backend = {
    provider: 'echo',
    infer: async () => output,
    modelInfo: () => ({ id: 'echo', provider: 'echo', contextWindow: 1000, maxOutputTokens: 100, pricing: 'unknown' as const, capabilities: { functionCalling: true, streaming: true, vision: false, jsonMode: false, thinking: false, embeddings: false, promptCaching: false } }),
    supportsFunctionCalling: () => true,
    supportsStreaming: () => true,
  } as unknown as LLMBackend;
  return new Kernel().register('echo', backend);
}

async function call(url: string, headers: Record<string, string> = {}, body = JSON.stringify({ model: 'echo', messages: [{ role: 'user', content: 'hi' }] })) {
  const response = await request(`${url}/v1/chat/completions`, { method: 'POST', headers: { ...json, ...headers }, body });
  return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
}

describe('the bearer check', () => {
  it('compares SHA-256 digests with timingSafeEqual, always against every key, whatever the length sent', async () => {
    const keys = ['k', 'x'.repeat(500), 'medium-key-123456'];
    const url = await startGateway({ kernel: echoKernel(), apiKeys: keys });
    for (const authorization of [undefined, 'Bearer ', 'Bearer a', `Bearer ${'y'.repeat(10_000)}`, `Bearer ${keys[1]}`, `Bearer ${keys[0]}`]) {
      compared.length = 0;
      const answer = await call(url, authorization === undefined ? {} : { authorization });
      expect(answer.status).toBe(authorization === `Bearer ${keys[1]}` || authorization === `Bearer ${keys[0]}` ? 200 : 401);
      // One comparison per configured key (no early exit on a match), always 32 bytes against 32.
      expect(compared).toEqual(keys.map(() => [32, 32]));
    }
  });

  it('answers 401 byte for byte the same, headers included, whatever was wrong with the key', async () => {
    const url = await startGateway({ kernel: echoKernel(), apiKeys: ['alpha-key-0001', 'beta-key-0002'] });
    const variants: Record<string, string>[] = [{}, { authorization: 'Bearer alpha-key-000' }, { authorization: 'Bearer alpha-key-00011' }, { authorization: 'bearer nope' }, { authorization: 'Token alpha-key-0001' }, { authorization: 'Bearer  ' }, { authorization: `Bearer ${'z'.repeat(8000)}` }];
    const answers = await Promise.all(variants.map((headers) => call(url, headers)));
    const comparable = (answer: (typeof answers)[number]) => {
      const { date: _date, 'x-request-id': _id, ...headers } = answer.headers;
      return { status: answer.status, headers, text: answer.text };
    };
    for (const answer of answers) expect(comparable(answer)).toEqual(comparable(answers[0]!));
    expect(answers[0]!.status).toBe(401);
    expect(JSON.stringify(answers)).not.toMatch(/alpha-key|beta-key/);
  });
});

describe('hostile requests', () => {
  it('a body nested 100,000 deep, prototype keys, invalid UTF-8: 400s, no crash, Object.prototype untouched', async () => {
    const url = await startGateway({ kernel: echoKernel(), maxBodyBytes: 1024 * 1024 });
    const deep = `{"model":"echo","messages":[{"role":"user","content":${'['.repeat(100_000)}${']'.repeat(100_000)}}]}`;
    expect((await call(url, {}, deep)).status).toBe(400);
    const poisoned = '{"model":"echo","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"messages":[{"role":"user","content":"hi","__proto__":{"role":"system"}}]}';
    const answer = await call(url, {}, poisoned);
    expect([200, 400]).toContain(answer.status);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const invalidUtf8 = Buffer.concat([Buffer.from('{"model":"echo","messages":[{"role":"user","content":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}]}')]);
    const response = await request(`${url}/v1/chat/completions`, { method: 'POST', headers: json, body: invalidUtf8 });
    expect([200, 400]).toContain(response.statusCode);
    await response.body.dump();
    expect((await call(url)).status).toBe(200);
  });

  it('a 100 KB header is refused (431) and the next request is served', async () => {
    const url = await startGateway({ kernel: echoKernel() });
    const response = await request(`${url}/v1/models`, { headers: { 'x-padding': 'a'.repeat(100_000) } }).catch((error: unknown) => error);
    if (!(response instanceof Error)) {
      expect((response as { statusCode: number }).statusCode).toBe(431);
      await (response as { body: { dump(): Promise<void> } }).body.dump();
    }
    expect((await call(url)).status).toBe(200);
  });
});

describe('slow clients', () => {
  it('twenty clients dribbling their bodies do not hold up another, and are dropped after requestTimeoutMs', async () => {
    const url = await startGateway({ kernel: echoKernel(), headersTimeoutMs: 500, requestTimeoutMs: 1_000 });
    const { port, hostname } = new URL(url);
    const slow: Socket[] = [];
    const dribbles: NodeJS.Timeout[] = [];
    try {
      for (let index = 0; index < 20; index += 1) {
        const socket = connect(Number(port), hostname);
        socket.on('error', () => undefined);
        await once(socket, 'connect');
        socket.write(`POST /v1/chat/completions HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{`);
        dribbles.push(setInterval(() => socket.writable && socket.write(' '), 50));
        slow.push(socket);
      }
      const before = performance.now();
      expect((await call(url)).status).toBe(200);
      expect(performance.now() - before).toBeLessThan(1_000);
      // Not events.once: it rejects on the EPIPE the dribbling writes get once the server hung up.
      await Promise.all(slow.map((socket) => (socket.destroyed ? undefined : new Promise((resolve) => socket.once('close', resolve)))));
    } finally {
      dribbles.forEach(clearInterval);
      slow.forEach((socket) => socket.destroy());
    }
  });
});

describe('no provider key and no stack trace in any answer, with real providers over HTTP', () => {
  let rig: Rig;

  beforeAll(async () => {
    rig = await startRig();
  });

  afterAll(async () => {
    await closeAllPools();
    await rig.server.stop();
  });

  // The key in any form, and frames of our own stack (paths of this process). An upstream's own
  // message is relayed as the provider wrote it (keys redacted): it is what tells a client why.
  const LEAKS = [FAKE_KEY, 'FAULTKEY', /node_modules|\/work\/|\.ts:\d+|\bat (async )?\w+ \(file:/];

  function expectNoLeak(text: string, stackFrames = false): void {
    for (const leak of LEAKS) expect(text).not.toMatch(leak);
    if (stackFrames) expect(text).not.toMatch(/\bat [\w.<>]+ \(?[/\w.-]+:\d+:\d+/);
  }

  /** Upstream answers that quote the key and a stack trace back at us. */
  function hostileAnswers(name: (typeof PROVIDERS)[number]) {
    const quote = `Incorrect API key provided: ${FAKE_KEY}. Authorization: Bearer ${FAKE_KEY}\n    at handler (/srv/app/server.js:10:5)`;
    const errorJson = (status: number) => ({ ...errorStatus(name, status), body: JSON.stringify({ error: { message: quote, type: 'server_error', code: status } }) });
    const midStream = `${streamBlocks(name, ['Hi']).slice(0, firstTextBlock(name) + 1).join('')}${errorEventBlock(name, quote)}`;
    return [
      { label: '401 quoting the key', plans: [errorJson(401)] },
      { label: '400 quoting the key', plans: [errorJson(400)] },
      { label: '500 quoting the key, three times', plans: [errorJson(500), errorJson(500), errorJson(500)] },
      { label: 'an HTML 502 page with the key in it', plans: Array.from({ length: 3 }, () => ({ status: 502, headers: { 'content-type': 'text/html' }, body: `<html><title>Bad gateway</title><body>${quote}</body></html>` })) },
      { label: 'an error event mid-stream quoting the key', plans: [{ status: 200, headers: SSE_HEADERS, body: midStream }], stream: true },
    ];
  }

  it.each(PROVIDERS)('%s: upstream errors that quote the key never carry it to the client', async (name) => {
    const url = await startGateway({ kernel: rig.kernel });
    for (const answer of hostileAnswers(name)) {
      for (const stream of answer.stream ? [true] : [false, true]) {
        rig.server.enqueue(...answer.plans);
        const response = await call(url, {}, JSON.stringify({ model: name, stream, messages: [{ role: 'user', content: 'hi' }] }));
        expect(response.status, answer.label).toBeGreaterThanOrEqual(answer.stream ? 200 : 400);
        expectNoLeak(`${JSON.stringify(response.headers)}\n${response.text}`);
        expect(rig.server.pending, answer.label).toBe(0);
      }
    }
    // The provider really was sent the key: it is the answers that must not carry it.
    expect(rig.server.requests.every((sent) => JSON.stringify(sent.headers).includes(FAKE_KEY))).toBe(true);
    rig.server.enqueue(okStream(name));
    expect((await call(url, {}, JSON.stringify({ model: name, stream: true, messages: [{ role: 'user', content: 'hi' }] }))).text).toContain('[DONE]');
  });

  it('a backend that throws a plain TypeError answers 500 with a fixed message: no stack, no paths', async () => {
    const broken = {
      ...echoKernel().backend('echo'),
      provider: 'broken',
      infer: async () => {
        throw new TypeError(`Cannot read properties of undefined (reading 'choices') with key ${FAKE_KEY}`);
      },
    } as unknown as LLMBackend;
    const url = await startGateway({ kernel: new Kernel().register('broken', broken) });
    const response = await call(url, {}, JSON.stringify({ model: 'broken', messages: [{ role: 'user', content: 'hi' }] }));
    expect(response.status).toBe(500);
    expectNoLeak(response.text, true);
    expect(response.text).not.toContain('choices');
  });
});
