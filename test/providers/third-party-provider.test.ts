// The provider kit, proved from the outside: test/fixtures/providers/acme-provider.ts is written on
// the public exports of index.ts only and loaded through the config like a third-party module. Its
// wire is hand-made (Acme does not exist), served over loopback HTTP in 1–7-byte writes.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calculateCost, createHyperAgent, ErrorCode, RateLimitError, type HyperAgent, type StreamEvent } from '../../index.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'providers');
const KEY = 'acme-test-key-0123456789abcdef';

const QUOTA = { 'acme-quota-requests': '100', 'acme-quota-requests-left': '42', 'acme-quota-reset': '30' };
const TEXT_SSE = [
  ['text', { delta: 'Hello, ' }],
  ['text', { delta: 'world.' }],
  ['end', { stop: 'finished', meter: { in: 12, out: 4, cached: 8 } }],
];
const TOOL_SSE = [
  ['call', { call_id: 'c1', tool: 'weather' }],
  ['call-args', { call_id: 'c1', chunk: '{"city":' }],
  ['call-args', { call_id: 'c1', chunk: '"Paris"}' }],
  ['end', { stop: 'tool', meter: { in: 20, out: 9 } }],
];

interface Seen {
  readonly headers: IncomingMessage['headers'];
  readonly body: { model: string; stream: boolean; messages: { text: string }[]; tools: { name: string }[] };
}

async function writeSplit(res: ServerResponse, text: string): Promise<void> {
  const bytes = Buffer.from(text);
  for (let at = 0, size = 1; at < bytes.length; at += size, size = (size % 7) + 1) {
    res.write(bytes.subarray(at, at + size));
    await new Promise((resolve) => setImmediate(resolve));
  }
  res.end();
}

let server: Server;
let baseURL: string;
const seen: Seen[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const body = JSON.parse(raw) as Seen['body'];
      seen.push({ headers: req.headers, body });
      const prompt = body.messages[0]?.text ?? '';
      if (prompt === 'slow') {
        res.writeHead(429, { 'content-type': 'application/json', 'acme-retry-in': '7', ...QUOTA, 'acme-quota-requests-left': '0' });
        res.end(JSON.stringify({ fault: { kind: 'slow_down', detail: 'too many requests this minute' } }));
        return;
      }
      const tools = prompt === 'tools';
      if (body.stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream', ...QUOTA });
        const events = tools ? TOOL_SSE : TEXT_SSE;
        void writeSplit(res, events.map(([event, data]) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`).join(''));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', ...QUOTA });
      res.end(
        JSON.stringify(
          tools
            ? { id: 'r2', output: [{ kind: 'call', call_id: 'c1', tool: 'weather', input: '{"city":"Paris"}' }], stop: 'tool', meter: { in: 20, out: 9 } }
            : { id: 'r1', output: [{ kind: 'text', text: 'Hello, world.' }], stop: 'finished', meter: { in: 12, out: 4, cached: 8 } },
        ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

async function agent(): Promise<HyperAgent> {
  return createHyperAgent({
    config: { backends: { acme: { provider: './acme-provider.ts', model: 'acme-1', baseURL, options: { region: 'eu' } } } },
    cwd: FIXTURES,
    env: { ACME_API_KEY: KEY },
  });
}

const weather = { name: 'weather', description: 'The weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } };

describe('a third-party provider loaded from the config', () => {
  it('answers infer with its own key header, options, usage, rate-limit headers and a cost from its catalog', async () => {
    const backend = (await agent()).backend('acme');
    const output = await backend.infer([{ role: 'user', content: 'hi' }]);
    expect(output.content).toBe('Hello, world.');
    expect(output.finishReason).toBe('stop');
    expect(output.tokenUsage).toEqual({ promptTokens: 12, completionTokens: 4, totalTokens: 16, cachedTokens: 8 });
    expect(output.metadata.rateLimit).toEqual({ limitRequests: 100, remainingRequests: 42, resetRequestsMs: 30_000 });
    expect(seen.at(-1)?.headers['acme-key']).toBe(KEY);
    expect(seen.at(-1)?.headers['acme-region']).toBe('eu');
    expect(seen.at(-1)?.headers.authorization).toBeUndefined();
    // 4 uncached input at $1, 8 cached at $0.10, 4 output at $2 per 1M.
    expect(calculateCost(backend.modelInfo(), output.tokenUsage)).toBeCloseTo((4 * 1 + 8 * 0.1 + 4 * 2) / 1e6, 12);
    expect(backend.modelInfo().pricingSource).toMatch(/acme/);
  });

  it('streams text split into 1–7-byte writes', async () => {
    const backend = (await agent()).backend('acme');
    const events: StreamEvent[] = [];
    for await (const event of backend.inferStream([{ role: 'user', content: 'hi' }])) events.push(event);
    expect(events.filter((event) => event.type === 'text-delta').map((event) => (event as { text: string }).text).join('')).toBe('Hello, world.');
    expect(events.at(-1)).toMatchObject({ type: 'done', finishReason: 'stop', tokenUsage: { promptTokens: 12, completionTokens: 4, cachedTokens: 8 } });
  });

  it('calls tools, streamed and not', async () => {
    const backend = (await agent()).backend('acme');
    const whole = await backend.infer([{ role: 'user', content: 'tools' }], [weather]);
    expect(whole.toolCalls).toEqual([expect.objectContaining({ id: 'c1', name: 'weather', arguments: { city: 'Paris' } })]);
    expect(whole.finishReason).toBe('tool-calls');
    expect(seen.at(-1)?.body.tools).toEqual([{ name: 'weather', schema: weather.parameters }]);
    const streamed = await backend.inferStream([{ role: 'user', content: 'tools' }], [weather]).output();
    expect(streamed.toolCalls).toEqual([expect.objectContaining({ id: 'c1', name: 'weather', arguments: { city: 'Paris' } })]);
    expect(streamed.finishReason).toBe('tool-calls');
  });

  it('maps its own error body and retry header to a typed, retryable error with retryAfterMs', async () => {
    const backend = (await agent()).backend('acme');
    const error = await backend.infer([{ role: 'user', content: 'slow' }]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ code: ErrorCode.RATE_LIMITED, status: 429, retryable: true, retryAfterMs: 7000, providerCode: 'slow_down' });
    expect((error as RateLimitError).rateLimit).toMatchObject({ remainingRequests: 0 });
    expect(String((error as Error).message)).not.toContain(KEY);
  });

  it('keeps the builders and never shows its key', async () => {
    const { AcmeProvider } = await import('../fixtures/providers/acme-provider.js');
    const acme = new AcmeProvider(KEY, 'acme-1').withMaxTokens(100).withRateLimits(10, 1000);
    expect(acme).toBeInstanceOf(AcmeProvider);
    expect([acme.maxTokens, acme.rateLimits]).toEqual([100, { rpm: 10, tpm: 1000 }]);
    expect(JSON.stringify(acme)).not.toContain(KEY);
    expect(() => new AcmeProvider({ maxTokens: -1 })).toThrow(/AcmeProvider: `maxTokens` must be a positive integer/);
  });
});
