// CPU profile of one client on one metric, against the same fake server as `npm run bench`.
//
//   npm run bench:profile -- hyperagent streamEvents
//   npm run bench:profile -- hyperagent coldStart --top 40
//
// Writes the .cpuprofile (open it in Chrome DevTools → Performance) under bench/profiles/ and
// prints the functions with the most self time, and the packages/files they live in.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, here, log, root, runProcess, settingsFor, startServer, writeConfigs } from './harness.js';
import { CLIENTS, METRICS } from './report-model.js';

const argv = process.argv.slice(2);
const flag = (name) => {
  const index = argv.indexOf(name);
  if (index === -1) return undefined;
  const [, value] = argv.splice(index, 2);
  return value;
};
const top = Number(flag('--top') ?? 25);
const noBuild = argv.includes('--no-build') ? (argv.splice(argv.indexOf('--no-build'), 1), true) : false;
const [client = 'hyperagent', metric = 'streamEvents'] = argv;
if (!CLIENTS[client]) throw new TypeError(`profile: unknown client ${client}; known: ${Object.keys(CLIENTS).join(', ')}`);
if (!METRICS[metric]) throw new TypeError(`profile: unknown metric ${metric}; known: ${Object.keys(METRICS).join(', ')}`);

if (!noBuild) build();
const settings = settingsFor(false);
const { child: server, port } = await startServer();
const dir = mkdtempSync(join(tmpdir(), 'hyperagent-profile-'));
const outDir = join(here, 'profiles');
mkdirSync(outDir, { recursive: true });
try {
  const deltasList = [...new Set(Object.values(settings.params).map((params) => params.deltas))];
  const configs = writeConfigs(dir, port, deltasList, join(dir, 'hyperagent.log'));
  const name = `${client}-${metric}-${Date.now()}.cpuprofile`;
  const profileFlags = ['--cpu-prof', `--cpu-prof-dir=${outDir}`, `--cpu-prof-name=${name}`, '--cpu-prof-interval=100'];
  let run;
  if (metric === 'coldStart') {
    run = await runProcess([...profileFlags, join(here, 'cold-start.js'), CLIENTS[client].module, `http://127.0.0.1:${port}/d/1/v1`, configs[`${client}|1`] ?? ''], 120_000);
  } else {
    const params = settings.params[metric];
    const spec = { client, module: CLIENTS[client].module, metric, params, baseURL: `http://127.0.0.1:${port}/d/${params.deltas}/v1`, configPath: configs[`${client}|${params.deltas}`] };
    run = await runProcess([...profileFlags, join(here, 'client.js'), JSON.stringify(spec)], 300_000);
  }
  if (run.error) throw new Error(`profile: the client failed: ${run.error}`);
  log(`profile: ${client} ${metric}: ${JSON.stringify(run.value)}`);
  const path = join(outDir, readdirSync(outDir).find((file) => file === name));
  process.stdout.write(summarize(JSON.parse(readFileSync(path, 'utf8')), top));
  process.stdout.write(`\nprofile: ${relative(process.cwd(), path)}\n`);
} finally {
  server.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}

function where(frame) {
  const url = frame.url.startsWith('file://') ? relative(root, fileURLToPath(frame.url)) : frame.url || '(native)';
  return `${url}:${frame.lineNumber + 1}`;
}

function group(frame) {
  const url = frame.url.startsWith('file://') ? relative(root, fileURLToPath(frame.url)) : frame.url;
  if (!url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (packageMatch) return packageMatch[1];
  if (url.startsWith('node:')) return url;
  return url;
}

function summarize(profile, limit) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const intervals = profile.timeDeltas;
  const selfMicros = new Map();
  for (let i = 0; i < profile.samples.length; i += 1) {
    selfMicros.set(profile.samples[i], (selfMicros.get(profile.samples[i]) ?? 0) + (intervals[i] ?? 0));
  }
  const total = [...selfMicros.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map();
  const byGroup = new Map();
  for (const [id, micros] of selfMicros) {
    const frame = byId.get(id).callFrame;
    const key = `${frame.functionName || '(anonymous)'}  ${where(frame)}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
    const g = group(frame);
    byGroup.set(g, (byGroup.get(g) ?? 0) + micros);
  }
  // Inclusive time of the project's own functions: every sample whose stack passes through them.
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const inclusive = new Map();
  for (const [id, micros] of selfMicros) {
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at).callFrame;
      if (!/^file:.*\/(dist|bench)\//.test(frame.url) || frame.url.includes('/node_modules/')) continue;
      const key = `${frame.functionName || '(anonymous)'}  ${where(frame)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + micros);
    }
  }
  const lines = (map) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([key, micros]) => `${((micros / total) * 100).toFixed(1).padStart(5)}%  ${(micros / 1000).toFixed(1).padStart(8)} ms  ${key}`)
      .join('\n');
  return `\nself time by function (of ${(total / 1000).toFixed(0)} ms sampled):\n${lines(byFunction)}\n\nself time by package or file:\n${lines(byGroup)}\n\ninclusive time of the project's functions:\n${lines(inclusive)}\n`;
}
