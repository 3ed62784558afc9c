// The gateway benchmark: `hyperagent serve` (bare, and with retry, rate-limit, logging and cost on)
// side by side with the direct call to the upstream and with Portkey's open-source gateway, on
// Chat Completions, /v1/messages and /v1/responses. See the README's "Performance" section.
//
//   npm run bench:gateway                 # 3 rounds
//   npm run bench:gateway -- --quick      # 2 rounds, shorter loops
//   npm run bench:gateway -- --json       # ends with one JSON line: {"ratios": {...}, ...}
//
// Options: --rounds N, --apis chat,messages,responses, --targets direct,hyperagentBare,hyperagent,portkey,
// --metrics latency,requestsPerSecond,streamEvents,timeToFirstDelta,peakRss, --no-portkey, --out FILE.
// It measures dist/ as built: run `npm run build` first.
//
// The fake upstream (bench/fake-server.js) runs in its own process on 127.0.0.1. Every measurement
// starts a fresh gateway process and a fresh load client (bench/gateway/load.js); targets alternate
// within a round, the order rotating each round; each figure is the median over rounds. Every stream
// is checked: its text deltas must be the upstream's, byte for byte.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { here, log, runProcess, startServer } from './harness.js';
import { APIS } from './gateway/apis.js';
import { ensurePortkey } from './gateway/portkey.js';
import { formatTables, METRICS, ratiosOf, summarize } from './gateway/report.js';
import { routesFor, startGateway, stopGateway, TARGETS, writeGatewayConfigs } from './gateway/targets.js';

function parseArgs(argv) {
  const args = { quick: false, json: false, portkey: true, rounds: undefined, apis: Object.keys(APIS), targets: Object.keys(TARGETS), metrics: Object.keys(METRICS), out: undefined };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = () => argv[(i += 1)] ?? '';
    if (arg === '--quick') args.quick = true;
    else if (arg === '--json') args.json = true;
    else if (arg === '--no-portkey') args.portkey = false;
    else if (arg === '--rounds') args.rounds = Number(value());
    else if (arg === '--apis') args.apis = value().split(',');
    else if (arg === '--targets') args.targets = value().split(',');
    else if (arg === '--metrics') args.metrics = value().split(',');
    else if (arg === '--out') args.out = value();
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\nimport')[0].replace(/^\/\/ ?/gm, '')}\n`);
      process.exit(0);
    } else throw new TypeError(`bench:gateway: unknown option ${arg} (try --help)`);
  }
  for (const api of args.apis) if (!APIS[api]) throw new TypeError(`bench:gateway: unknown API ${api}; known: ${Object.keys(APIS).join(', ')}`);
  for (const target of args.targets) if (!TARGETS[target]) throw new TypeError(`bench:gateway: unknown target ${target}; known: ${Object.keys(TARGETS).join(', ')}`);
  for (const metric of args.metrics) if (!METRICS[metric]) throw new TypeError(`bench:gateway: unknown metric ${metric}; known: ${Object.keys(METRICS).join(', ')}`);
  if (!args.portkey) args.targets = args.targets.filter((target) => target !== 'portkey');
  return args;
}

function paramsFor(quick) {
  // Each measurement first primes its fresh processes for primeMs (see prime() in bench/gateway/load.js).
  const primeMs = quick ? 2500 : 3000;
  return {
    latency: { deltas: 1, primeMs, warmup: quick ? 100 : 200, calls: quick ? 500 : 1000 },
    requestsPerSecond: { deltas: 1, primeMs, inFlight: 64, warmupMs: quick ? 300 : 500, durationMs: quick ? 700 : 1500 },
    requestsPerSecondCold: { deltas: 1, inFlight: 64, durationMs: 1000 },
    streamEvents: { deltas: 10_000, primeMs, warmup: 1, minStreams: 3, minMs: quick ? 300 : 800 },
    timeToFirstDelta: { deltas: 100, primeMs, warmup: quick ? 20 : 50, streams: quick ? 60 : 200 },
    peakRss: { deltas: 1000, concurrent: 200 },
  };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const rounds = args.rounds ?? (args.quick ? 2 : 3);
  const params = paramsFor(args.quick);
  let portkey = { error: 'left out (--no-portkey or --targets)' };
  if (args.targets.includes('portkey')) {
    portkey = ensurePortkey(log);
    if (portkey.error) {
      log(`bench:gateway: WARNING: ${portkey.error}; measuring without Portkey`);
      args.targets = args.targets.filter((target) => target !== 'portkey');
    }
  }
  const { child: upstream, port: upstreamPort } = await startServer();
  const dir = mkdtempSync(join(tmpdir(), 'hyperagent-bench-gateway-'));
  const started = Date.now();
  const load = [loadavg()[0]];
  const samples = {};
  const hashes = {};
  try {
    const deltasList = [...new Set(Object.values(params).map((p) => p.deltas))];
    const configs = writeGatewayConfigs(dir, upstreamPort, deltasList);
    for (let round = 0; round < rounds; round += 1) {
      for (const api of args.apis) {
        const targets = args.targets.filter((target) => TARGETS[target].apis.includes(api));
        const order = targets.map((_, index) => targets[(index + round) % targets.length]);
        for (const metric of args.metrics) {
          for (const target of order) {
            const gateway = target === 'direct' ? undefined : await startGateway(target, configs);
            try {
              const base = gateway?.base ?? `http://127.0.0.1:${upstreamPort}`;
              const { routes, directApi } = routesFor(target, api, base, upstreamPort, deltasList);
              const spec = { target, api: directApi, metric, params: params[metric], base, routes, gatewayPid: gateway?.child.pid };
              const run = await runProcess([join(here, 'gateway', 'load.js'), JSON.stringify(spec)], 240_000);
              const slot = ((samples[api] ??= {})[target] ??= {});
              if (run.error) {
                log(`  round ${round + 1} ${api} ${metric} ${target}: FAILED ${run.error}`);
                continue;
              }
              const { hashes: streamHashes, ...value } = run.value;
              (slot[metric] ??= []).push(value);
              for (const [deltas, hash] of Object.entries(streamHashes ?? {})) ((hashes[api] ??= {})[target] ??= {})[deltas] = hash;
              log(`  round ${round + 1}/${rounds} ${api.padEnd(9)} ${metric.padEnd(17)} ${target.padEnd(15)} ${Object.entries(value).map(([k, v]) => `${k}=${typeof v === 'number' ? +v.toPrecision(4) : v}`).join(' ')}`);
            } finally {
              await stopGateway(gateway);
            }
          }
        }
      }
      load.push(loadavg()[0]);
    }
    const results = summarize(samples);
    const ratios = ratiosOf(results);
    // Whether a target hands on the upstream's bytes unchanged: the hash of its streams against the direct call's.
    const relaysBytes = {};
    for (const [api, byTarget] of Object.entries(hashes)) {
      const direct = api === 'responses' ? undefined : byTarget.direct;
      for (const [target, byDeltas] of Object.entries(byTarget)) {
        if (target === 'direct' || direct === undefined) continue;
        ((relaysBytes[api] ??= {})[target] = Object.keys(byDeltas).every((deltas) => byDeltas[deltas] === direct[deltas]));
      }
    }
    const labels = Object.fromEntries(Object.entries(TARGETS).map(([name, target]) => [name, target.label]));
    const apiLabels = Object.fromEntries(Object.entries(APIS).map(([name, api]) => [name, api.label]));
    const machine = { nproc: availableParallelism(), node: process.version, platform: `${process.platform}-${process.arch}`, loadAverage1m: load.map((value) => Math.round(value * 100) / 100) };
    const report = { ratios, relaysBytes, results, portkey, machine, rounds, params, command: `npm run bench:gateway${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`, durationSeconds: Math.round((Date.now() - started) / 1000) };
    process.stdout.write(formatTables(results, labels, apiLabels));
    process.stdout.write(`\nRatios (toDirect: gateway ÷ direct, and ms added; toPortkey: HyperAgent ÷ Portkey):\n${JSON.stringify(ratios, null, 2)}\nStreams relayed byte for byte (hash of the raw stream equal to the direct call's): ${JSON.stringify(relaysBytes)}\n`);
    if (args.out) writeFileSync(args.out, `${JSON.stringify({ ...report, samples }, null, 2)}\n`);
    if (args.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  } finally {
    upstream.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
