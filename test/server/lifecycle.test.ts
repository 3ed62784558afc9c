import { once } from 'node:events';
import { connect } from 'node:net';
import { fetch, request } from 'undici';
import { describe, expect, it, vi } from 'vitest';
import { Kernel } from '../../core/kernel.js';
import { createGateway } from '../../server/create-gateway.js';
import { DEFAULT_HOST, DEFAULT_PORT } from '../../server/gateway-options.js';
import { chatBody, sseData, startGateway, usage } from './helpers.js';

const json = { 'content-type': 'application/json' };

async function openStream(url: string): Promise<{ reader: ReadableStreamDefaultReader<Uint8Array>; controller: AbortController; first: string }> {
  const controller = new AbortController();
  const response = await fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: json, body: chatBody({ stream: true }), signal: controller.signal });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  const { value } = await reader.read();
  return { reader, controller, first: new TextDecoder().decode(value) };
}

async function readRest(reader: ReadableStreamDefaultReader<Uint8Array>, first: string): Promise<string> {
  const decoder = new TextDecoder();
  let text = first;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return text;
    text += decoder.decode(value, { stream: true });
  }
}

describe('binding', () => {
  it('binds 127.0.0.1 by default, on 8787 unless told otherwise', async () => {
    expect(DEFAULT_HOST).toBe('127.0.0.1');
    expect(DEFAULT_PORT).toBe(8787);
    const { address } = await startGateway();
    expect(address.host).toBe('127.0.0.1');
    expect(address.port).toBeGreaterThan(0);
    expect(address.url).toBe(`http://127.0.0.1:${address.port}`);
  });

  it('rejects bad options with a TypeError naming them', () => {
    const kernel = new Kernel();
    expect(() => createGateway({ kernel, port: 70000 })).toThrow(/`port`/);
    expect(() => createGateway({ kernel, maxBodyBytes: 0 })).toThrow(/`maxBodyBytes`/);
    expect(() => createGateway({ kernel, headersTimeoutMs: 5000, requestTimeoutMs: 1000 })).toThrow(/`headersTimeoutMs`/);
    expect(() => createGateway({ kernel: undefined as unknown as Kernel })).toThrow(/`kernel`/);
  });
});

describe('a client that disconnects mid-stream aborts the upstream call', () => {
  it('aborts the signal the backend was given', async () => {
    const { url, backend } = await startGateway();
    backend.steps = [{ type: 'text-delta', text: 'Hello' }, 'hang'];
    const { controller, first } = await openStream(url);
    expect(first).toContain('"role":"assistant"');
    controller.abort();
    await backend.aborted;
    expect((backend.lastCall.options as { signal: AbortSignal }).signal.aborted).toBe(true);
  });

  it('aborts a non-streamed call too', async () => {
    const { url, backend } = await startGateway();
    backend.inferHangs = true;
    const controller = new AbortController();
    const pending = fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: json, body: chatBody(), signal: controller.signal });
    await vi.waitFor(() => expect(backend.calls).toHaveLength(1));
    controller.abort();
    await expect(pending).rejects.toThrow();
    await backend.aborted;
  });
});

describe('close() drains streams in flight', () => {
  it('lets a stream in flight finish, refuses new connections, then resolves', async () => {
    const { url, gateway, backend } = await startGateway();
    backend.steps = [
      { type: 'text-delta', text: 'one ' },
      { pauseMs: 50 },
      { type: 'text-delta', text: 'two ' },
      { pauseMs: 50 },
      { type: 'text-delta', text: 'three' },
      { type: 'done', tokenUsage: usage, finishReason: 'stop' },
    ];
    const { reader, first } = await openStream(url);
    let closed = false;
    const closing = gateway.close().then(() => (closed = true));
    await expect(fetch(`${url}/health`)).rejects.toThrow();
    const text = await readRest(reader, first);
    const data = sseData(text);
    expect(data[data.length - 1]).toBe('[DONE]');
    const content = data.slice(0, -1).map((chunk) => (JSON.parse(chunk).choices[0].delta.content as string | undefined) ?? '').join('');
    expect(content).toBe('one two three');
    await closing;
    expect(closed).toBe(true);
  });

  it('aborts what is still running after the grace period, telling the client why', async () => {
    const { url, gateway, backend } = await startGateway({ shutdownGraceMs: 100 });
    backend.steps = [{ type: 'text-delta', text: 'Hello' }, 'hang'];
    const { reader, first } = await openStream(url);
    const closing = gateway.close();
    const data = sseData(await readRest(reader, first));
    expect(data).not.toContain('[DONE]');
    expect(JSON.parse(data[data.length - 1]!)).toMatchObject({ error: { type: 'server_error', code: 'server_shutting_down' } });
    await backend.aborted;
    await closing;
  });

  it('is idempotent and closes idle keep-alive connections at once', async () => {
    const { url, gateway } = await startGateway({ shutdownGraceMs: 60_000 });
    await (await request(`${url}/health`)).body.dump();
    const started = Date.now();
    await Promise.all([gateway.close(), gateway.close()]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('slow clients cannot hold the server', () => {
  it('serves a normal request while another client sends its headers byte by byte, then drops the slow one', async () => {
    const { url, address } = await startGateway({ headersTimeoutMs: 500, requestTimeoutMs: 1000 });
    const slow = connect(address.port, address.host);
    await once(slow, 'connect');
    const received: Buffer[] = [];
    slow.on('data', (chunk: Buffer) => received.push(chunk));
    const slowClosed = once(slow, 'close');
    const head = 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ';
    let index = 0;
    const dribble = setInterval(() => {
      if (!slow.destroyed && !slow.writableEnded) slow.write(head[index++ % head.length]!);
    }, 20);
    try {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const started = Date.now();
      const response = await request(`${url}/v1/models`);
      expect(response.statusCode).toBe(200);
      await response.body.dump();
      expect(Date.now() - started).toBeLessThan(250);
      await slowClosed;
      expect(Buffer.concat(received).toString()).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      clearInterval(dribble);
      slow.destroy();
    }
  });
});
