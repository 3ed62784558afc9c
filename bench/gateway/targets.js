// What `npm run bench:gateway` measures, and how each gateway process starts: the direct call to the
// fake upstream, `hyperagent serve` bare and with the four plugins, and Portkey's gateway.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { root } from '../harness.js';
import { portkeyEntry, PORTKEY_SHIM } from './portkey.js';

export const TARGETS = {
  direct: { label: 'direct call to the upstream', apis: ['chat', 'messages', 'responses'] },
  hyperagentBare: { label: 'hyperagent serve, bare', apis: ['chat', 'messages', 'responses'] },
  hyperagent: { label: 'hyperagent serve, 4 plugins', apis: ['chat', 'messages', 'responses'], plugins: true },
  portkey: { label: 'Portkey gateway', apis: ['chat', 'messages'] },
};

const MODELS = { openai: 'gpt-4o-mini', anthropic: 'claude-haiku-4-5' };
const API_UPSTREAM = { chat: 'openai', messages: 'anthropic', responses: 'openai' };
const API_PATH = { chat: '/v1/chat/completions', messages: '/v1/messages', responses: '/v1/responses' };

/** One config per variant: a backend per wire and number of deltas (the upstream's URL carries the number). */
export function writeGatewayConfigs(dir, upstreamPort, deltasList) {
  const backends = {};
  for (const deltas of deltasList) {
    backends[`openai-d${deltas}`] = { provider: 'openai', model: MODELS.openai, apiKey: 'sk-bench-not-a-real-key', baseURL: `http://127.0.0.1:${upstreamPort}/d/${deltas}/v1` };
    backends[`anthropic-d${deltas}`] = { provider: 'anthropic', model: MODELS.anthropic, apiKey: 'sk-ant-bench-fake', baseURL: `http://127.0.0.1:${upstreamPort}/d/${deltas}/v1` };
  }
  const plugins = [
    ['retry', {}],
    // Far above the load: the limiter counts every request but never waits.
    // Per backend: a provider's own default limits (Anthropic's) would otherwise come before `defaults`.
    ['rate-limit', { backends: Object.fromEntries(Object.keys(backends).map((name) => [name, { rpm: 1_000_000_000, tpm: 1_000_000_000_000 }])) }],
    ['logging', { level: 'info', destination: join(dir, 'gateway.log') }],
    ['cost', { budgetUsd: 1_000_000 }],
  ];
  const paths = {};
  for (const [name, withPlugins] of [['hyperagentBare', false], ['hyperagent', true]]) {
    const folder = join(dir, name);
    mkdirSync(folder, { recursive: true });
    const config = { defaultBackend: `openai-d1`, backends, plugins: withPlugins ? plugins : [] };
    paths[name] = join(folder, 'hyperagent.config.json');
    writeFileSync(paths[name], `${JSON.stringify(config, null, 2)}\n`);
  }
  return paths;
}

/** How the load client reaches `target` for `api` and each number of deltas: base URL, path, model, headers. */
export function routesFor(target, api, base, upstreamPort, deltasList) {
  const wire = API_UPSTREAM[api];
  const routes = {};
  for (const deltas of deltasList) {
    if (target === 'direct') {
      // The Responses API is answered by a Chat Completions backend: its direct call is the chat one.
      const path = `/d/${deltas}${API_PATH[api === 'responses' ? 'chat' : api]}`;
      routes[deltas] = { path, model: MODELS[wire], headers: auth(wire) };
    } else if (target === 'portkey') {
      routes[deltas] = { path: API_PATH[api], model: MODELS[wire], headers: { ...auth(wire), 'x-portkey-provider': wire, 'x-portkey-custom-host': `http://127.0.0.1:${upstreamPort}/d/${deltas}/v1` } };
    } else {
      routes[deltas] = { path: API_PATH[api], model: `${wire}-d${deltas}`, headers: {} };
    }
  }
  return { base, routes, directApi: target === 'direct' && api === 'responses' ? 'chat' : api };
}

function auth(wire) {
  return wire === 'anthropic' ? { 'x-api-key': 'sk-ant-bench-fake' } : { authorization: 'Bearer sk-bench-not-a-real-key' };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilUp(port, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`bench:gateway: the gateway exited with code ${child.exitCode} before it listened`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/`);
      await response.arrayBuffer();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(`bench:gateway: nothing listened on 127.0.0.1:${port} within ${timeoutMs} ms`);
}

/** Starts a fresh gateway process for `target`; resolves to `{ child, base }`. Its logs are read and dropped. */
export async function startGateway(target, configs) {
  if (target === 'portkey') {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', PORTKEY_SHIM, portkeyEntry(), `--port=${port}`, '--headless'], { cwd: root, stdio: ['ignore', 'ignore', 'ignore'], env: { ...process.env, NODE_ENV: 'production' } });
    await waitUntilUp(port, child, 30_000);
    return { child, base: `http://127.0.0.1:${port}` };
  }
  const child = spawn(process.execPath, [join(root, 'dist', 'cli', 'main.js'), 'serve', '--config', configs[target], '--host', '127.0.0.1', '--port', '0'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  // The per-request lines on stderr are part of what `serve` does; they are read and dropped here
  // (the last few kept, to say why it stopped if it did).
  let tail = '';
  child.stderr.on('data', (chunk) => {
    tail = (tail + chunk).slice(-600);
  });
  const base = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const match = /^listening on (\S+)/.exec(line);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`bench:gateway: hyperagent serve exited with code ${code} before it listened: ${tail.trim()}`)));
  });
  return { child, base };
}

export function stopGateway(gateway) {
  if (gateway === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    if (gateway.child.exitCode !== null) return resolve();
    gateway.child.once('exit', () => resolve());
    gateway.child.kill('SIGKILL');
  });
}
