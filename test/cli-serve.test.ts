import type { ChildProcess } from 'node:child_process';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, finished, runCli, startCli, tempConfig, type CliResult, type RunOptions } from './cli-helpers.js';

beforeAll(ensureBuilt);

interface Running {
  readonly child: ChildProcess;
  readonly url: string;
  readonly result: Promise<CliResult>;
}

const running: ChildProcess[] = [];

afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** `hyperagent serve` on a free port, once it printed its address. */
async function serve(args: readonly string[] = [], options: RunOptions = {}): Promise<Running> {
  const child = startCli(['serve', '--port', '0', ...args], options);
  running.push(child);
  const result = finished(child);
  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer | string) => {
      seen += String(chunk);
      const match = /^listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(seen);
      if (match) resolve(match[1]);
    });
    void result.then((done) => reject(new Error(`serve exited early (${done.status}): ${done.stderr}`)));
  });
  return { child, url, result };
}

describe('hyperagent serve', () => {
  it('prints where it listens, serves the models and a chat completion from the demo backend, and exits 0 on SIGTERM', async () => {
    const server = await serve();
    const models = (await (await fetch(`${server.url}/v1/models`)).json()) as { data: { id: string }[] };
    expect(models.data.map((model) => model.id)).toEqual(expect.arrayContaining(['claude', 'gpt', 'local', 'demo']));
    const response = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'demo', messages: [{ role: 'user', content: 'hello' }] }),
    });
    expect(response.status).toBe(200);
    const completion = (await response.json()) as { choices: { message: { content: string } }[]; usage: { total_tokens: number } };
    expect(completion.choices[0].message.content).toMatch(/^Hello! I am the demo backend/);
    expect(completion.usage.total_tokens).toBeGreaterThan(0);
    server.child.kill('SIGTERM');
    const { status, stdout, stderr } = await server.result;
    expect(status, stderr).toBe(0);
    expect(stdout).toBe(`listening on ${server.url}\n`);
    expect(stderr).toContain('POST /v1/chat/completions 200 demo');
    expect(stderr).toContain('stopped');
  });

  it('logs one line per request, none lost, when many come at once (lines are written in batches), then a 404 and the stop in order', async () => {
    const server = await serve();
    const ask = (model: string) =>
      fetch(`${server.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hello' }] }) }).then((r) => r.arrayBuffer());
    await Promise.all(Array.from({ length: 40 }, () => ask('demo')));
    await ask('no-such-backend');
    server.child.kill('SIGTERM');
    const { status, stderr } = await server.result;
    expect(status, stderr).toBe(0);
    const lines = stderr.split('\n');
    expect(lines.filter((line) => line.includes('POST /v1/chat/completions 200 demo'))).toHaveLength(40);
    const notFound = lines.findIndex((line) => line.includes('POST /v1/chat/completions 404'));
    const lastOk = lines.findLastIndex((line) => line.includes('POST /v1/chat/completions 200 demo'));
    const stopping = lines.findIndex((line) => line.includes('SIGTERM: finishing'));
    expect(lastOk).toBeGreaterThan(-1);
    expect(notFound).toBeGreaterThan(lastOk);
    expect(stopping).toBeGreaterThan(notFound);
  });

  it('finishes a stream in flight before it stops', async () => {
    const server = await serve();
    const response = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'demo', stream: true, messages: [{ role: 'user', content: 'hello' }] }),
    });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let body = decoder.decode((await reader.read()).value);
    expect(body).not.toContain('[DONE]');
    server.child.kill('SIGTERM');
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) body += decoder.decode(chunk.value);
    expect(body.trimEnd().endsWith('data: [DONE]')).toBe(true);
    const words = [...body.matchAll(/"content":"([^"]*)"/g)].map((match) => match[1]).join('');
    expect(words).toBe('Hello! I am the demo backend: a mock that answers from a script, without calling any model. Ask me what time it is in Tokyo to see a tool call.');
    const { status, stderr } = await server.result;
    expect(status).toBe(0);
    expect(stderr).toContain('SIGTERM: finishing the requests in flight');
  });

  it('reads server.apiKeys from the environment (${VAR}) and refuses requests without the key', async () => {
    const config = await tempConfig({ backends: { demo: { provider: 'mock' } }, server: { apiKeys: ['${GATEWAY_TEST_KEY}'] } });
    try {
      const server = await serve(['--config', config.file], { env: { GATEWAY_TEST_KEY: 'gw-secret-123' } });
      expect((await fetch(`${server.url}/v1/models`)).status).toBe(401);
      expect((await fetch(`${server.url}/v1/models`, { headers: { authorization: 'Bearer gw-secret-123' } })).status).toBe(200);
      server.child.kill('SIGINT');
      expect((await server.result).status).toBe(0);

      const missing = await runCli(['serve', '--port', '0', '--config', config.file]);
      expect(missing.status).toBe(1);
      expect(missing.stderr).toMatch(/^hyperagent: environment variable GATEWAY_TEST_KEY is not set \(used at \/server\/apiKeys\/0\)/);
    } finally {
      await config.cleanup();
    }
  });

  it('rejects a bad port with exit 2, and has help', async () => {
    expect(await runCli(['serve', '--port', 'eighty'])).toMatchObject({ status: 2, stderr: 'hyperagent: --port must be a number from 0 to 65535 (got "eighty").\n' });
    const help = await runCli(['serve', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: hyperagent serve \[--config PATH\] \[--host 127\.0\.0\.1\] \[--port 8787\]/);
  });
});
