// What each plugin adds to a call, measured A/B in one process against the fake server: every
// variant (bare kernel, each of the four plugins alone, all four) is a backend of its own, and the
// variants take turns call by call (sequential latency) and batch by batch (64 in flight), so the
// machine's ups and downs fall on all of them alike. Far less noisy than comparing separate runs.
//
//   npm run bench:plugins                       # OpenAI wire
//   npm run bench:plugins -- --wire anthropic   # Anthropic wire
//   npm run bench:plugins -- --calls 4000 --batches 12
//   npm run bench:plugins -- --variants bare,'all four' --against /tmp/old   # also the same variants from another build
//
// Next to wall time it reports the client's own CPU per call (process.cpuUsage around each batch):
// on a busy machine that moves far less than requests/s, as waiting for a core is not counted.
// `--against DIR` loads a second build (a folder holding dist/ and schemas/, e.g. a copy of the tree
// before a change) and runs its variants interleaved with this one's, for a before/after in one process.
// `--no-wire` answers every call from one recorded answer of the fake server instead of the wire, so
// only the kernel and the plugins are measured (µs-level differences show through the noise).
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
const against = option('against', undefined);
const only = option('variants', undefined)?.split(',');
if (!process.argv.includes('--no-build')) build();

const builds = { '': await import(pathToFileURL(join(root, 'dist', 'index.js')).href) };
if (against !== undefined) builds['before: '] = await import(pathToFileURL(join(against, 'dist', 'index.js')).href);
const { user } = builds[''];
const { child: server, port } = await startServer();
const dir = mkdtempSync(join(tmpdir(), 'hyperagent-plugin-cost-'));
const PLUGINS = {
  retry: ['retry', {}],
  'rate-limit': ['rate-limit', { backends: { bench: { rpm: 1_000_000_000, tpm: 1_000_000_000_000 } } }],
  logging: ['logging', { level: 'info', destination: join(dir, 'calls.log') }],
  cost: ['cost', { budgetUsd: 1_000_000 }],
};
const ALL_VARIANTS = { bare: [], ...Object.fromEntries(Object.entries(PLUGINS).map(([name, entry]) => [name, [entry]])), 'all four': Object.values(PLUGINS) };
for (const name of only ?? []) if (!ALL_VARIANTS[name]) throw new TypeError(`plugin-cost: unknown variant ${name}; known: ${Object.keys(ALL_VARIANTS).join(', ')}`);
const VARIANTS = only === undefined ? ALL_VARIANTS : Object.fromEntries(only.map((name) => [name, ALL_VARIANTS[name]]));
const provider = wire === 'anthropic' ? { provider: 'anthropic', model: 'claude-haiku-4-5' } : { provider: 'openai', model: 'gpt-4o-mini' };

try {
  const backends = {};
  for (const [prefix, { createHyperAgent }] of Object.entries(builds)) {
    for (const [name, plugins] of Object.entries(VARIANTS)) {
      const config = { defaultBackend: 'bench', backends: { bench: { ...provider, apiKey: 'sk-bench-not-a-real-key', baseURL: `http://127.0.0.1:${port}/d/1/v1` } }, plugins };
      backends[prefix + name] = (await createHyperAgent({ config, cwd: dir })).backend();
    }
  }
  if (process.argv.includes('--no-wire')) {
    for (const backend of Object.values(backends)) {
      // The provider's own backend under the kernel: one real answer, then the same one every time.
      const recorded = await backend.inner.infer([user('Say hello in one word.')], [], { maxTokens: 16 });
      backend.inner.infer = async () => ({ ...recorded, metadata: { ...recorded.metadata } });
    }
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
  const cpu = Object.fromEntries(names.map((name) => [name, []]));
  const batch = async (backend, n) => {
    let left = n;
    const worker = async () => {
      while (left-- > 0) await backend.infer(messages, [], options);
    };
    const start = performance.now();
    const used = process.cpuUsage();
    await Promise.all(Array.from({ length: 64 }, worker));
    const { user: userUs, system } = process.cpuUsage(used);
    return { rps: (n / (performance.now() - start)) * 1000, cpuUs: (userUs + system) / n };
  };
  for (const name of names) await batch(backends[name], 2000);
  for (let i = 0; i < batches; i += 1) {
    for (const name of turn(i)) {
      const result = await batch(backends[name], 5000);
      rps[name].push(result.rps);
      cpu[name].push(result.cpuUs);
    }
  }

  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const bareLatency = median(latency.bare ?? [NaN]);
  const bareCallUs = 1e6 / median(rps.bare ?? [NaN]);
  process.stdout.write(`\n${wire} wire, ${calls} sequential calls and ${batches} batches of 5,000 at 64 in flight per variant\n\n`);
  const bareCpu = median(cpu.bare ?? [NaN]);
  process.stdout.write('| variant | latency p50 (µs) | added (µs) | requests/s, 64 in flight | added per call (µs) | CPU per call, 64 in flight (µs) | added CPU (µs) |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n');
  for (const name of names) {
    const p50 = median(latency[name]);
    const throughput = median(rps[name]);
    const cpuUs = median(cpu[name]);
    const added = (value, base) => (name === 'bare' || Number.isNaN(base) ? '' : `${value - base >= 0 ? '+' : ''}${(value - base).toFixed(1)}`);
    process.stdout.write(`| ${name} | ${p50.toFixed(1)} | ${added(p50, bareLatency)} | ${Math.round(throughput).toLocaleString('en-US')} | ${added(1e6 / throughput, bareCallUs)} | ${cpuUs.toFixed(1)} | ${added(cpuUs, bareCpu)} |\n`);
  }
} finally {
  server.kill();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
