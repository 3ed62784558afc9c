// What each plugin adds to a call, measured A/B in one process against the fake server: every
// variant (bare kernel, each of the four plugins alone, all four) is a backend of its own, and the
// variants take turns call by call (sequential latency) and batch by batch (64 in flight), so the
// machine's ups and downs fall on all of them alike. Far less noisy than comparing separate runs.
//
//   npm run bench:plugins                       # OpenAI wire
//   npm run bench:plugins -- --wire anthropic   # Anthropic wire
//   npm run bench:plugins -- --calls 4000 --batches 12
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, root, startServer } from './harness.js';

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : process.argv[index + 1];
}

const wire = option('wire', 'openai');
const calls = Number(option('calls', 3000));
const batches = Number(option('batches', 6));
if (!process.argv.includes('--no-build')) build();

const { createHyperAgent, user } = await import(pathToFileURL(join(root, 'dist', 'index.js')).href);
const { child: server, port } = await startServer();
const dir = mkdtempSync(join(tmpdir(), 'hyperagent-plugin-cost-'));
const PLUGINS = {
  retry: ['retry', {}],
  'rate-limit': ['rate-limit', { backends: { bench: { rpm: 1_000_000_000, tpm: 1_000_000_000_000 } } }],
  logging: ['logging', { level: 'info', destination: join(dir, 'calls.log') }],
  cost: ['cost', { budgetUsd: 1_000_000 }],
};
const VARIANTS = { bare: [], ...Object.fromEntries(Object.entries(PLUGINS).map(([name, entry]) => [name, [entry]])), 'all four': Object.values(PLUGINS) };
const provider = wire === 'anthropic' ? { provider: 'anthropic', model: 'claude-haiku-4-5' } : { provider: 'openai', model: 'gpt-4o-mini' };

try {
  const backends = {};
  for (const [name, plugins] of Object.entries(VARIANTS)) {
    const config = { defaultBackend: 'bench', backends: { bench: { ...provider, apiKey: 'sk-bench-not-a-real-key', baseURL: `http://127.0.0.1:${port}/d/1/v1` } }, plugins };
    backends[name] = (await createHyperAgent({ config, cwd: dir })).backend();
  }
  const messages = [user('Say hello in one word.')];
  const options = { maxTokens: 16 };
  const names = Object.keys(backends);

  // Sequential: one call per variant in turn.
  const latency = Object.fromEntries(names.map((name) => [name, []]));
  // The order rotates every turn, so no variant always follows the same one.
  const turn = (i) => names.map((_, k) => names[(k + i) % names.length]);
  for (let i = 0; i < calls + 300; i += 1) {
    for (const name of turn(i)) {
      const start = performance.now();
      await backends[name].infer(messages, [], options);
      if (i >= 300) latency[name].push((performance.now() - start) * 1000);
    }
  }
  // 64 in flight: batches of 5,000 calls per variant in turn.
  const rps = Object.fromEntries(names.map((name) => [name, []]));
  const batch = async (backend, n) => {
    let left = n;
    const worker = async () => {
      while (left-- > 0) await backend.infer(messages, [], options);
    };
    const start = performance.now();
    await Promise.all(Array.from({ length: 64 }, worker));
    return (n / (performance.now() - start)) * 1000;
  };
  for (const name of names) await batch(backends[name], 2000);
  for (let i = 0; i < batches; i += 1) for (const name of turn(i)) rps[name].push(await batch(backends[name], 5000));

  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const bareLatency = median(latency.bare);
  const bareCallUs = 1e6 / median(rps.bare);
  process.stdout.write(`\n${wire} wire, ${calls} sequential calls and ${batches} batches of 5,000 at 64 in flight per variant\n\n`);
  process.stdout.write('| variant | latency p50 (µs) | added (µs) | requests/s, 64 in flight | added per call (µs) |\n| --- | ---: | ---: | ---: | ---: |\n');
  for (const name of names) {
    const p50 = median(latency[name]);
    const throughput = median(rps[name]);
    const added = (value, base) => (name === 'bare' ? '' : `${value - base >= 0 ? '+' : ''}${(value - base).toFixed(1)}`);
    process.stdout.write(`| ${name} | ${p50.toFixed(1)} | ${added(p50, bareLatency)} | ${Math.round(throughput).toLocaleString('en-US')} | ${added(1e6 / throughput, bareCallUs)} |\n`);
  }
} finally {
  server.kill();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
