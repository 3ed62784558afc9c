// Runs one metric for one client in a fresh process and prints one JSON line with the result.
// Started by run.js: `node bench/client.js '<spec as JSON>'`.
import { performance } from 'node:perf_hooks';

const spec = JSON.parse(process.argv[2]);
const { create } = await import(`./clients/${spec.module}`);
const client = await create({ baseURL: spec.baseURL, configPath: spec.configPath });
const p = spec.params;

function check(deltas, expected) {
  if (deltas !== expected) throw new Error(`${spec.client}: a stream gave ${deltas} text deltas, expected ${expected}`);
}

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

const noop = () => {};

/**
 * Warm-up: at least `warmup` calls and at least `warmupMs`. A fresh process runs its first couple of
 * thousand calls on code V8 has not optimised yet; a count alone (300 calls, ~70 ms) measured that
 * tiering-up more than the call path. `firstCalls` measures the warm-up itself.
 */
async function warmUp(call) {
  const until = performance.now() + (p.warmupMs ?? 0);
  for (let i = 0; i < p.warmup || performance.now() < until; i += 1) await call();
}

async function latency() {
  await warmUp(() => client.complete());
  const samples = new Float64Array(p.calls);
  for (let i = 0; i < p.calls; i += 1) {
    const start = performance.now();
    await client.complete();
    samples[i] = performance.now() - start;
  }
  samples.sort();
  return { p50: quantile(samples, 0.5), p99: quantile(samples, 0.99) };
}

async function requestsPerSecond() {
  const run = async (until) => {
    let calls = 0;
    while (performance.now() < until) {
      await client.complete();
      calls += 1;
    }
    return calls;
  };
  const many = (until) => Promise.all(Array.from({ length: p.inFlight }, () => run(until)));
  await many(performance.now() + p.warmupMs);
  const cpu = process.cpuUsage();
  const start = performance.now();
  const counts = await many(start + p.durationMs);
  const elapsed = performance.now() - start;
  const { user, system } = process.cpuUsage(cpu);
  const calls = counts.reduce((a, b) => a + b, 0);
  // CPU per call tells a client that is slow from one that waits (on the server, or on a busy machine).
  return { rps: (calls / elapsed) * 1000, cpuUsPerCall: (user + system) / calls };
}

async function streamEvents() {
  for (let i = 0; i < p.warmup; i += 1) check(await client.stream(noop), p.deltas);
  let events = 0;
  let elapsed = 0;
  let streams = 0;
  while (elapsed < p.minMs || streams < p.minStreams) {
    const start = performance.now();
    const deltas = await client.stream(noop);
    elapsed += performance.now() - start;
    check(deltas, p.deltas);
    events += deltas;
    streams += 1;
  }
  return { eventsPerSecond: (events / elapsed) * 1000 };
}

async function timeToFirstDelta() {
  let first = 0;
  const mark = () => {
    first = performance.now();
  };
  await warmUp(async () => check(await client.stream(mark), p.deltas));
  const samples = new Float64Array(p.streams);
  for (let i = 0; i < p.streams; i += 1) {
    const start = performance.now();
    check(await client.stream(mark), p.deltas);
    samples[i] = first - start;
  }
  samples.sort();
  return { ttfd: quantile(samples, 0.5) };
}

/** The calls right after the first one in a fresh process, before V8 has optimised the call path: a short-lived process (a CLI run, a serverless function) lives here. */
async function firstCalls() {
  await client.complete();
  const samples = new Float64Array(p.calls);
  for (let i = 0; i < p.calls; i += 1) {
    const start = performance.now();
    await client.complete();
    samples[i] = performance.now() - start;
  }
  samples.sort();
  return { firstP50: quantile(samples, 0.5) };
}

async function peakRss() {
  check(await client.stream(noop), p.deltas);
  const results = await Promise.all(Array.from({ length: p.concurrent }, () => client.stream(noop)));
  for (const deltas of results) check(deltas, p.deltas);
  // maxRSS is in kilobytes and covers the whole life of the process.
  return { rssMb: process.resourceUsage().maxRSS / 1024 };
}

const metrics = { latency, firstCalls, requestsPerSecond, streamEvents, timeToFirstDelta, peakRss };
const result = await metrics[spec.metric]();
process.stdout.write(`${JSON.stringify(result)}\n`);
// Keep-alive sockets would hold the process open; the result is out, so leave now.
process.exit(0);
