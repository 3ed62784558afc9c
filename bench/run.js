// HyperAgent's side-by-side benchmark. See the README's "Performance" section.
//
//   npm run bench                 # 3 rounds (requests/s 5), about 4 minutes on 2 cores
//   npm run bench -- --quick      # 2 rounds (peak RSS once), shorter loops, 1,000 latency calls: about 1½ minutes
//   npm run bench -- --json       # the same, ending with one JSON line of ratios to the floor
//
// Options: --rounds N, --metrics a,b (latency, firstCalls, requestsPerSecond, streamEvents, timeToFirstDelta,
// peakRss, coldStart), --clients a,b (see CLIENTS), --no-build, --out FILE (the JSON report).
//
// A fake OpenAI/Anthropic server runs in its own process on 127.0.0.1; every measurement runs in a
// fresh client process, clients alternate within a round (the order rotates each round), and each
// figure is the median over rounds with min–max.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, here, log, root, runProcess, settingsFor, startServer, writeConfigs } from './harness.js';
import { CLIENTS, METRICS, RATIO_DIRECTION, checkTargets, ratioOf } from './report-model.js';
import { formatReport } from './report-format.js';

function parseArgs(argv) {
  const args = { quick: false, json: false, build: true, rounds: undefined, metrics: undefined, clients: undefined, out: undefined };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = () => {
      const next = argv[(i += 1)];
      if (next === undefined) throw new TypeError(`bench: ${arg} needs a value`);
      return next;
    };
    if (arg === '--quick') args.quick = true;
    else if (arg === '--json') args.json = true;
    else if (arg === '--no-build') args.build = false;
    else if (arg === '--rounds') args.rounds = Number(value());
    else if (arg === '--metrics') args.metrics = value().split(',');
    else if (arg === '--clients') args.clients = value().split(',');
    else if (arg === '--out') args.out = value();
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\nimport')[0].replace(/^\/\/ ?/gm, '') + '\n');
      process.exit(0);
    } else throw new TypeError(`bench: unknown option ${arg} (try --help)`);
  }
  if (args.rounds !== undefined && !(Number.isInteger(args.rounds) && args.rounds >= 1)) throw new TypeError('bench: --rounds must be an integer >= 1');
  for (const metric of args.metrics ?? []) if (!METRICS[metric]) throw new TypeError(`bench: unknown metric ${metric}; known: ${Object.keys(METRICS).join(', ')}`);
  for (const client of args.clients ?? []) if (!CLIENTS[client]) throw new TypeError(`bench: unknown client ${client}; known: ${Object.keys(CLIENTS).join(', ')}`);
  return args;
}

function machine() {
  const cpuinfo = (() => {
    try {
      return readFileSync('/proc/cpuinfo', 'utf8');
    } catch {
      return '';
    }
  })();
  const version = (name) => JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
  return {
    nproc: availableParallelism(),
    cpu: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    versions: { openai: version('openai'), ai: version('ai'), '@ai-sdk/openai': version('@ai-sdk/openai'), undici: version('undici'), 'eventsource-parser': version('eventsource-parser') },
  };
}

function formatValue(metric, value) {
  const extra = value.cpuUsPerCall === undefined ? '' : ` (cpu ${value.cpuUsPerCall.toFixed(0)} µs/call)`;
  return METRICS[metric].fields.map((field) => `${field.key}=${field.format(value[field.key])}`).join(' ') + extra;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const settings = settingsFor(args.quick);
  const rounds = args.rounds ?? settings.rounds;
  // A metric may take more or fewer rounds than the others (settings.roundsOf), unless --rounds says.
  const roundsOf = (metric) => (args.rounds === undefined ? (settings.roundsOf[metric] ?? rounds) : rounds);
  const metrics = args.metrics ?? Object.keys(METRICS);
  const clients = args.clients ?? Object.keys(CLIENTS);
  if (args.build) build();

  const { child: server, port } = await startServer();
  const dir = mkdtempSync(join(tmpdir(), 'hyperagent-bench-'));
  const started = Date.now();
  try {
    const deltasList = [...new Set(Object.values(settings.params).map((params) => params.deltas))];
    const configs = writeConfigs(dir, port, deltasList, join(dir, 'hyperagent.log'));
    const samples = {};
    for (const client of clients) samples[client] = Object.fromEntries(metrics.map((metric) => [metric, []]));
    log(`bench: ${clients.length} clients × ${metrics.length} metrics × ${rounds} rounds, fake server on 127.0.0.1:${port}`);

    const totalRounds = Math.max(...metrics.map(roundsOf));
    for (let round = 0; round < totalRounds; round += 1) {
      // Rotate the order each round so that no client always runs first or last.
      const order = clients.map((_, index) => clients[(index + round) % clients.length]);
      for (const metric of metrics) {
        if (round >= roundsOf(metric)) continue;
        for (const client of order) {
          const { module } = CLIENTS[client];
          const runs = [];
          if (metric === 'coldStart') {
            for (let i = 0; i < settings.coldStartsPerRound; i += 1) {
              runs.push(await runProcess([join(here, 'cold-start.js'), module, `http://127.0.0.1:${port}/d/1/v1`, configs[`${client}|1`] ?? ''], 60_000));
            }
          } else {
            const params = settings.params[metric];
            const spec = {
              client,
              module,
              metric,
              params,
              baseURL: `http://127.0.0.1:${port}/d/${params.deltas}/v1`,
              configPath: configs[`${client}|${params.deltas}`],
            };
            runs.push(await runProcess([join(here, 'client.js'), JSON.stringify(spec)], 180_000));
          }
          for (const run of runs) {
            if (run.error) {
              log(`  round ${round + 1} ${metric} ${client}: FAILED ${run.error}`);
              samples[client][metric].push({ round, error: run.error });
            } else {
              samples[client][metric].push({ round, ...run.value });
            }
          }
          const ok = runs.filter((run) => !run.error).map((run) => formatValue(metric, run.value));
          if (ok.length > 0) log(`  round ${round + 1}/${roundsOf(metric)} ${metric.padEnd(17)} ${client.padEnd(24)} ${ok.join(' ; ')}`);
        }
      }
    }

    const report = {
      machine: machine(),
      command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
      rounds,
      roundsByMetric: Object.fromEntries(metrics.map((metric) => [metric, roundsOf(metric)])),
      settings: settings.params,
      durationSeconds: Math.round((Date.now() - started) / 1000),
      samples,
    };
    const { results, ratios } = ratioOf(report, clients, metrics);
    Object.assign(report, { results, ratios, targets: checkTargets(results, ratios) });
    process.stdout.write(formatReport(report));
    if (args.out) writeFileSync(args.out, `${JSON.stringify(report, null, 2)}\n`);
    if (args.json) {
      const { ratios, targets, results, samples: _samples, ...rest } = report;
      process.stdout.write(`${JSON.stringify({ ratios, direction: RATIO_DIRECTION, targets, results, ...rest })}\n`);
    }
  } finally {
    server.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
