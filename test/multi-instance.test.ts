// Three `hyperagent serve` processes (the built CLI) on one private redis-server, in front of one
// loopback upstream that records every arrival: the rate limit, the budget and routing cooldowns
// hold across the three as they would in one process, and a Redis outage is the configured policy,
// typed, with service back soon after Redis is. Needs dist/ (run under the build lock) and redis-server.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRedisSuites, startRedisServer, type RedisServer } from './redis-server.js';

const CLI = join(import.meta.dirname, '..', 'dist', 'cli', 'main.js');

/** Answers chat completions with `completion_tokens` = the request's max_tokens (every call costs its worst case); /bad/ answers 500. */
class RecordingUpstream {
  readonly arrivals: { readonly path: string; readonly at: number }[] = [];
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request: IncomingMessage, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk));
      request.on('end', () => {
        this.arrivals.push({ path: request.url ?? '', at: performance.now() });
        if (request.url?.startsWith('/bad/')) {
          response.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'upstream down', type: 'server_error' } }));
          return;
        }
        const maxTokens = (JSON.parse(body) as { max_tokens?: number; max_completion_tokens?: number }).max_completion_tokens ?? 100;
        response.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            id: 'chatcmpl-1',
            object: 'chat.completion',
            created: 1,
            model: 'gpt-4o-mini',
            choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
            usage: { prompt_tokens: 10, completion_tokens: maxTokens, total_tokens: 10 + maxTokens },
          }),
        );
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  count(prefix: string): number {
    return this.arrivals.filter((arrival) => arrival.path.startsWith(prefix)).length;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

interface Instance {
  readonly child: ChildProcess;
  readonly url: string;
  stderr: string;
}

function serve(configPath: string, env: NodeJS.ProcessEnv): Promise<Instance> {
  const child = spawn(process.execPath, [CLI, 'serve', '--config', configPath, '--port', '0'], { env: { ...process.env, ...env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const instance = { child, url: '', stderr: '' };
    child.stderr!.on('data', (chunk: Buffer) => (instance.stderr += chunk));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk;
      const match = /listening on (\S+)/.exec(out);
      if (match) resolve({ ...instance, url: match[1], get stderr() { return instance.stderr; } });
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${instance.stderr}`)));
  });
}

interface Answer {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly body: { error?: { code?: string; type?: string; message?: string } };
}

async function chat(instance: Instance, model: string, maxTokens = 100): Promise<Answer> {
  const response = await fetch(`${instance.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, max_tokens: maxTokens, messages: [{ role: 'user', content: 'hello' }] }),
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as Answer['body'] };
}

/** The most arrivals under `prefix` in any `windowMs`. */
function mostInWindow(arrivals: readonly { at: number }[], windowMs: number): number {
  const times = arrivals.map((arrival) => arrival.at).sort((a, b) => a - b);
  let most = 0;
  for (let start = 0, end = 0; end < times.length; end += 1) {
    while (times[end] - times[start] >= windowMs) start += 1;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

describe.skipIf(!runRedisSuites || !existsSync(CLI))('three hyperagent serve instances sharing one Redis', () => {
  const upstream = new RecordingUpstream();
  let redis: RedisServer;
  let dir: string;
  let instances: Instance[] = [];
  /** One call of gpt-4o-mini with "hello" and max_tokens 100, at its worst case (what the upstream makes it cost). */
  const CALL_USD = (10 * 0.15 + 100 * 0.6) / 1e6;
  const BUDGET_USD = CALL_USD * 20.5;

  beforeAll(async () => {
    redis = await startRedisServer();
    await upstream.start();
    dir = mkdtempSync(join(tmpdir(), 'hyperagent-multi-'));
    const config = {
      backends: {
        limited: { provider: 'openai', model: 'gpt-4o-mini', apiKey: 'sk-test-multi-0000', baseURL: `${upstream.url}/limited/v1` },
        budgeted: { provider: 'openai', model: 'gpt-4o-mini', apiKey: 'sk-test-multi-0000', baseURL: `${upstream.url}/budgeted/v1` },
        bad: { provider: 'openai', model: 'gpt-4o-mini', apiKey: 'sk-test-multi-0000', baseURL: `${upstream.url}/bad/v1` },
        good: { provider: 'openai', model: 'gpt-4o-mini', apiKey: 'sk-test-multi-0000', baseURL: `${upstream.url}/good/v1` },
        pair: { strategy: 'fallback', targets: ['bad', 'good'], cooldown: { failures: 1, cooldownMs: 60_000 } },
      },
      plugins: [
        ['rate-limit', { backends: { limited: { rpm: 30, tpm: 100_000 } }, maxWaitMs: 5_000 }],
        ['cost', { budgets: { budgeted: BUDGET_USD } }],
      ],
      store: { type: 'redis', url: '${REDIS_URL}', keyPrefix: 'multi:', timeoutMs: 2_000 },
    };
    const configPath = join(dir, 'hyperagent.config.json');
    writeFileSync(configPath, JSON.stringify(config));
    instances = await Promise.all([0, 1, 2].map(() => serve(configPath, { REDIS_URL: redis.url })));
  }, 60_000);

  afterAll(async () => {
    for (const instance of instances) instance.child.kill('SIGKILL');
    await upstream.close();
    await redis?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('rpm 30 across the three: 90 concurrent requests, at most 30 reach the upstream in any 60 s, the rest 429 with retry-after', async () => {
    const answers = await Promise.all(Array.from({ length: 90 }, (_, i) => chat(instances[i % 3], 'limited')));
    const arrivals = upstream.arrivals.filter((arrival) => arrival.path.startsWith('/limited/'));
    expect(mostInWindow(arrivals, 60_000)).toBeLessThanOrEqual(30);
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(arrivals.length);
    const refused = answers.filter((answer) => answer.status !== 200);
    if (process.env.DEBUG_MULTI) console.log(JSON.stringify(refused.filter((a) => a.status !== 429).slice(0, 2)), instances[0].stderr.slice(0, 3000));
    expect(refused.length).toBeGreaterThanOrEqual(60);
    for (const answer of refused) {
      expect(answer.status).toBe(429);
      expect(Number(answer.retryAfter)).toBeGreaterThan(0);
      expect(answer.body.error?.code).toBe('rate_limit_exceeded');
    }
  });

  it('a budget for 20 calls across the three: 90 concurrent requests, spend within it, the rest 402 in the OpenAI error shape', async () => {
    const answers = await Promise.all(Array.from({ length: 90 }, (_, i) => chat(instances[i % 3], 'budgeted')));
    const sent = upstream.count('/budgeted/');
    if (process.env.DEBUG_MULTI) console.log(JSON.stringify(answers.filter((a) => a.status !== 200 && a.status !== 402).slice(0, 2)));
    expect(sent * CALL_USD).toBeLessThanOrEqual(BUDGET_USD);
    expect(sent).toBeGreaterThan(0);
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(sent);
    for (const answer of answers.filter((a) => a.status !== 200)) {
      expect(answer.status).toBe(402);
      expect(answer.body.error).toMatchObject({ type: 'insufficient_quota', code: 'budget_exceeded' });
    }
  });

  it('a cooldown one instance started is honoured by the other two', async () => {
    expect((await chat(instances[0], 'pair')).status).toBe(200);
    expect(upstream.count('/bad/')).toBe(1);
    for (const instance of [instances[1], instances[2], instances[1], instances[2]]) expect((await chat(instance, 'pair')).status).toBe(200);
    expect(upstream.count('/bad/')).toBe(1);
    expect(upstream.count('/good/')).toBe(5);
  });

  it('Redis stopped mid-run: 503 store_unavailable (fail-closed, never a reset), then normal service within a second of it coming back', async () => {
    await redis.stop();
    const down = await Promise.all([0, 1, 2].map((i) => chat(instances[i], 'limited')));
    if (process.env.DEBUG_MULTI) console.log(JSON.stringify(down));
    for (const answer of down) {
      expect(answer.status).toBe(503);
      expect(answer.body.error?.code).toBe('store_unavailable');
    }
    await redis.start();
    const back = performance.now();
    for (const instance of instances) {
      // Redis came back empty: the window has room again.
      let answer = await chat(instance, 'limited');
      while (answer.status !== 200 && performance.now() - back < 5_000) answer = await chat(instance, 'limited');
      expect(answer.status).toBe(200);
    }
    expect(performance.now() - back).toBeLessThan(1_000);
    expect(instances[0].stderr).toMatch(/state store \(redis at 127\.0\.0\.1:\d+\) is unreachable/);
  }, 20_000);
});
