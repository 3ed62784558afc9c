// What run.js and profile.js share: the fake server, the HyperAgent config files, child processes.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { CLIENTS } from './report-model.js';

export const here = dirname(fileURLToPath(import.meta.url));
export const root = join(here, '..');

/**
 * What each metric asks of a client process, and how many rounds it gets. `--quick` runs fewer
 * rounds, shorter timed loops and 1,000 latency calls instead of 2,000; 64 in flight, 10,000
 * deltas and 200 streams of 1,000 deltas stay as they are.
 */
export function settingsFor(quick) {
  return {
    rounds: quick ? 2 : 3,
    // The 200-stream run takes the slowest clients ten seconds or more: once is enough for a quick look.
    // Requests/s at 64 in flight moves most with whatever else the (shared) machine runs: two more rounds.
    roundsOf: quick ? { peakRss: 1 } : { requestsPerSecond: 5 },
    coldStartsPerRound: quick ? 1 : 2,
    params: {
      latency: { deltas: 1, warmup: quick ? 100 : 300, warmupMs: quick ? 600 : 1500, calls: quick ? 1000 : 2000 },
      firstCalls: { deltas: 1, calls: 300 },
      requestsPerSecond: { deltas: 1, inFlight: 64, warmupMs: quick ? 300 : 1000, durationMs: quick ? 500 : 1200 },
      streamEvents: { deltas: 10_000, warmup: quick ? 1 : 2, minStreams: 3, minMs: quick ? 250 : 800 },
      timeToFirstDelta: { deltas: 100, warmup: quick ? 50 : 200, warmupMs: quick ? 600 : 1500, streams: quick ? 100 : 400 },
      peakRss: { deltas: 1000, concurrent: 200 },
    },
  };
}

export function log(line) {
  process.stderr.write(`${line}\n`);
}

export function build() {
  log('bench: npm run build');
  const result = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (result.status === 0) return;
  // tsc still emits when it reports type errors, so a half-finished file elsewhere need not stop a run.
  if (!existsSync(join(root, 'dist', 'index.js'))) throw new Error('bench: the build failed and there is no dist/ to run');
  log('bench: WARNING: the build reported errors (above); measuring what it emitted to dist/');
}

export function startServer() {
  const child = spawn(process.execPath, [join(here, 'fake-server.js')], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => resolve({ child, port: JSON.parse(line).port }));
    child.once('exit', (code) => reject(new Error(`bench: the fake server exited with code ${code}`)));
  });
}

/** One HyperAgent config file per (variant, deltas): the base URL carries the number of deltas. */
export function writeConfigs(dir, port, deltasList, logFile) {
  const paths = {};
  const plugins = [
    ['retry', {}],
    // Limits far above anything the benchmark sends, so the limiter does its bookkeeping but never waits.
    ['rate-limit', { backends: { bench: { rpm: 1_000_000_000, tpm: 1_000_000_000_000 } } }],
    ['logging', { level: 'info', destination: logFile }],
    ['cost', { budgetUsd: 1_000_000 }],
  ];
  for (const deltas of deltasList) {
    for (const [name, client] of Object.entries(CLIENTS)) {
      if (client.module !== 'hyperagent.js') continue;
      const path = join(dir, `${name}-d${deltas}`, 'hyperagent.config.json');
      mkdirSync(dirname(path), { recursive: true });
      const provider = client.wire === 'anthropic' ? { provider: 'anthropic', model: 'claude-haiku-4-5' } : { provider: 'openai', model: 'gpt-4o-mini' };
      const config = {
        defaultBackend: 'bench',
        backends: { bench: { ...provider, apiKey: 'sk-bench-not-a-real-key', baseURL: `http://127.0.0.1:${port}/d/${deltas}/v1` } },
        plugins: client.plugins ? plugins : [],
      };
      writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`);
      paths[`${name}|${deltas}`] = path;
    }
  }
  return paths;
}

export function runProcess(args, timeoutMs, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const last = stdout.trim().split('\n').pop();
      if (code === 0 && last) {
        try {
          resolve({ value: JSON.parse(last) });
          return;
        } catch {
          // reported below
        }
      }
      const why = signal ? `killed by ${signal} after ${timeoutMs} ms` : `exit code ${code}`;
      resolve({ error: `${why}: ${(stderr.trim().split('\n').slice(-3).join(' | ') || stdout.trim()).slice(0, 400)}` });
    });
  });
}

