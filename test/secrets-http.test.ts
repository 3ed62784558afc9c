// Credentials echoed back by an upstream over real HTTP on loopback — in its error body, in a
// response header, in a redirect's Location — never reach error.message, String(error), the
// stack, JSON.stringify, util.inspect, the cause chain, the log file, or the gateway's answer.
// The credentials: a custom header (Azure APIM's), `?key=` in a baseURL, `user:password@` in a
// baseURL, and options a third-party provider marks secret.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHyperAgent, type HyperAgent } from '../core/create-hyper-agent.js';
import type { HyperAgentError } from '../core/errors.js';
import { closeAllPools } from '../core/http.js';
import type { LLMMessage } from '../core/types.js';
import { createGateway } from '../server/index.js';

const HK = 'apim-7c1e9a4b2f6d48e0b3a5c9d1e7f20468';
const QK = 'AIzaQueryKey-5b9e2c7d1a4f8e3b6c0d';
const PW = 'proxy-Pass-word-81f3a6c2';
const PRIVATE_KEY = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC-vault-0a9b8c7d\n-----END PRIVATE KEY-----\n';
const SESSION_TOKEN = 'vault-session-3e5f7a9c1b2d4e6f';
const BASIC = Buffer.from(`proxy-user-4242:${PW}`).toString('base64');
const SECRETS = [HK, QK, PW, BASIC, 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC', SESSION_TOKEN];
const HELLO: LLMMessage[] = [{ role: 'user', content: 'Hi' }];

function expectNoSecret(label: string, text: string): void {
  // Not even the first half of one (a message cut through a key).
  for (const secret of SECRETS) expect(text, `${label} holds ${secret.slice(0, 12)}…`).not.toContain(secret.slice(0, Math.ceil(secret.length / 2)));
}

/** Every way an error is commonly shown, the cause chain included. */
function surfaces(error: unknown): string {
  const shown: unknown[] = [];
  for (let at: unknown = error, depth = 0; at !== undefined && at !== null && depth < 10; at = (at as Error).cause, depth += 1) {
    const item = at as Error;
    shown.push(item.message, String(item), item.stack, JSON.stringify(item), inspect(item, { depth: 10 }), JSON.stringify((item as HyperAgentError).body));
  }
  return shown.join('\n');
}

/** Answers each path prefix its own way, quoting back what it was sent. */
function upstream(received: Map<string, IncomingMessage['headers'][]>): Server {
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://upstream');
      const mode = url.pathname.split('/')[1] ?? '';
      received.set(mode, [...(received.get(mode) ?? []), req.headers]);
      const sent = { url: req.url, headers: req.headers, params: Object.fromEntries(url.searchParams), body: Buffer.concat(chunks).toString('utf8') };
      const key = String(req.headers['ocp-apim-subscription-key'] ?? '');
      const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      };
      if (mode === 'redirect') {
        res.writeHead(307, { location: `http://127.0.0.1:9/login/${key}?next=%2Fv1&state=${encodeURIComponent(key)}`, 'content-type': 'text/plain' });
        res.end(`Redirecting to /login/${key}`);
      } else if (mode === 'plain' || mode === 'notjson') {
        // The key straddles where the message is cut (300 characters of an error body, 200 of a body that is not JSON).
        res.writeHead(mode === 'plain' ? 500 : 200, { 'content-type': 'text/plain' });
        res.end(`${'x'.repeat(mode === 'plain' ? 275 : 175)}${key} trailing text`);
      } else if (mode === 'header') {
        json(500, { error: { message: 'denied', type: 'server_error' } }, { 'x-request-id': key, 'x-echo-key': key, 'www-authenticate': `Key ${key}` });
      } else if (mode === 'basic') {
        const decoded = Buffer.from(String(req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString('utf8');
        json(500, { error: { message: `proxy refused ${decoded} (${String(req.headers.authorization)}); password ${decoded.split(':')[1]}`, type: 'server_error' }, sent });
      } else {
        json(500, { error: { message: `subscription key ${key} is not valid; got ${JSON.stringify(sent)}`, type: 'server_error', code: key || undefined }, sent });
      }
    });
  });
}

// A third-party provider, as a module of its own: it marks `serviceAccount.privateKey` secret in
// its schema and `sessionToken` by path, and fails quoting both, as a careless SDK would.
const VAULT_PROVIDER = `
export default {
  name: 'vault-llm',
  optionsSchema: {
    type: 'object',
    properties: {
      region: { type: 'string' },
      serviceAccount: { type: 'object', properties: { clientEmail: { type: 'string' }, privateKey: { type: 'string', 'x-secret': true } } },
      sessionToken: { type: 'string' },
    },
  },
  secretOptions: ['sessionToken'],
  create(config) {
    const { region, serviceAccount, sessionToken } = config.options;
    const fail = async () => {
      const response = await fetch(config.baseURL + '/token', { method: 'POST', body: JSON.stringify({ assertion: serviceAccount.privateKey, sessionToken }) });
      const text = await response.text();
      const cause = Object.assign(new Error('token exchange failed in ' + region + ': ' + text), { details: { sessionToken, privateKey: serviceAccount.privateKey } });
      throw new Error('vault-llm: could not mint a token with ' + sessionToken, { cause });
    };
    return {
      provider: 'vault-llm',
      model: 'vault-model',
      infer: fail,
      inferStream() { throw new Error('no streams'); },
      embed() { throw new Error('no embeddings'); },
      modelInfo: () => ({ id: 'vault-model', provider: 'vault-llm', contextWindow: 1000, maxOutputTokens: 100, pricing: 'unknown', capabilities: { functionCalling: false, streaming: false, vision: false, jsonMode: false, thinking: false, embeddings: false, promptCaching: false } }),
      supportsFunctionCalling: () => false,
      supportsStreaming: () => false,
    };
  },
};
`;

const APIM_BACKENDS = ['apim-body', 'apim-header', 'apim-redirect', 'apim-plain', 'apim-notjson'] as const;
const BACKENDS = [...APIM_BACKENDS, 'google', 'basic', 'vault'] as const;

describe('credentials an upstream echoes back are redacted on every surface', () => {
  const received = new Map<string, IncomingMessage['headers'][]>();
  const server = upstream(received);
  const dir = mkdtempSync(join(tmpdir(), 'hyperagent-secrets-'));
  const logFile = join(dir, 'calls.log');
  let agent: HyperAgent;
  let origin: string;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    writeFileSync(join(dir, 'vault-provider.mjs'), VAULT_PROVIDER);
    const apim = (mode: string) => ({ provider: 'openai-compatible', model: 'gpt-4o', baseURL: `${origin}/${mode}/v1`, headers: { 'Ocp-Apim-Subscription-Key': '${HK}' } });
    agent = await createHyperAgent({
      cwd: dir,
      env: { HK, QK, PW },
      config: {
        backends: {
          'apim-body': apim('body'),
          'apim-header': apim('header'),
          'apim-redirect': apim('redirect'),
          'apim-plain': apim('plain'),
          'apim-notjson': apim('notjson'),
          google: { provider: 'openai-compatible', model: 'gemini-2.5-flash', baseURL: `${origin}/query/v1beta/openai?key=\${QK}` },
          basic: { provider: 'openai-compatible', model: 'llama3.2', baseURL: `http://proxy-user-4242:\${PW}@127.0.0.1:${new URL(origin).port}/basic/v1` },
          vault: {
            provider: './vault-provider.mjs',
            baseURL: `${origin}/vault`,
            options: { region: 'europe-west4-vault', serviceAccount: { clientEmail: 'svc@vault.example.com', privateKey: PRIVATE_KEY }, sessionToken: SESSION_TOKEN },
          },
        },
        plugins: [['logging', { level: 'debug', destination: logFile, logContent: true }]],
      },
    });
  });

  afterAll(async () => {
    await closeAllPools();
    await new Promise((resolve) => server.close(resolve));
  });

  it.each(BACKENDS)('%s: infer and stream errors hold no credential anywhere', async (name) => {
    const backend = agent.backend(name);
    const error = await backend.infer(HELLO).then(() => undefined, (caught: unknown) => caught);
    expect(error, 'the call must fail').toBeInstanceOf(Error);
    expectNoSecret(`${name} infer`, surfaces(error));
    if (name !== 'vault') {
      const events = [];
      for await (const event of backend.inferStream(HELLO)) events.push(event);
      const failed = events.find((event) => event.type === 'error');
      expect(failed?.type).toBe('error');
      expectNoSecret(`${name} stream`, surfaces(failed?.type === 'error' ? failed.error : undefined) + inspect(events, { depth: 10 }));
    }
  });

  it('the upstream really was sent each credential, so what it echoed held them', () => {
    for (const mode of ['body', 'header', 'redirect', 'plain', 'notjson']) expect(received.get(mode)?.[0]?.['ocp-apim-subscription-key']).toBe(HK);
    expect(received.get('query')?.length).toBeGreaterThan(0);
    // `user:password@` in a baseURL goes out as Basic authentication (a pool per origin would drop it).
    expect(received.get('basic')?.[0]?.authorization).toBe(`Basic ${BASIC}`);
    expect(received.get('vault')?.length).toBeGreaterThan(0);
  });

  it('what each error says is still useful: status, the redirect, the unmarked option', async () => {
    const redirect = (await agent.backend('apim-redirect').infer(HELLO).catch((caught: unknown) => caught)) as HyperAgentError;
    expect(redirect.message).toMatch(/HTTP 307, a redirect to http:\/\/127\.0\.0\.1:9\/login\/\[REDACTED\]\?next=%2Fv1&state=\[REDACTED\]/);
    expect(redirect.message).toContain('"baseURL"');
    const header = (await agent.backend('apim-header').infer(HELLO).catch((caught: unknown) => caught)) as HyperAgentError;
    expect(header).toMatchObject({ status: 500, requestId: '[REDACTED]' });
    const vault = (await agent.backend('vault').infer(HELLO).catch((caught: unknown) => caught)) as Error;
    // Not marked secret, so not hidden: marking is what hides a value.
    expect(inspect(vault, { depth: 10 })).toContain('europe-west4-vault');
    expect(inspect(vault, { depth: 10 })).toContain('[REDACTED]');
  });

  it('the log file holds the failed calls and no credential', async () => {
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const text = readFileSync(logFile, 'utf8');
    const lines = text.trim().split('\n').map((line) => JSON.parse(line) as { event?: string; stack?: string });
    expect(lines.filter((line) => line.event === 'error').length).toBeGreaterThanOrEqual(BACKENDS.length);
    expect(lines.some((line) => line.stack !== undefined)).toBe(true);
    expectNoSecret('log file', text);
  });

  it('the gateway answers with no credential in its JSON, its SSE or its headers, and logs none', async () => {
    const logged: unknown[] = [];
    const log = (data: Record<string, unknown>, message: string) => void logged.push({ data, message });
    const gateway = createGateway({ port: 0, env: {}, kernel: agent.kernel, logger: { info: log, warn: log, error: log } });
    const { url } = await gateway.listen();
    try {
      for (const model of BACKENDS) {
        for (const stream of [false, true]) {
          const response = await request(`${url}/v1/chat/completions`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ model, stream, messages: HELLO }),
          });
          const text = await response.body.text();
          expect(response.statusCode === 200 ? text : response.statusCode, `${model} stream=${stream}`).not.toBe(200);
          expectNoSecret(`gateway ${model} stream=${stream}`, `${JSON.stringify(response.headers)}\n${text}`);
        }
      }
      expect(logged.length).toBeGreaterThan(0);
      expectNoSecret('gateway log', JSON.stringify(logged));
    } finally {
      await gateway.close();
    }
  });
});
