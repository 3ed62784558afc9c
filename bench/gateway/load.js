// The load client of `npm run bench:gateway`: one metric against one target in a process of its own,
// printing one JSON line. Started by bench/gateway.js: `node bench/gateway/load.js '<spec as JSON>'`.
//
// Every stream is read event by event and its text deltas joined: the text must be the upstream's,
// byte for byte, with the right number of deltas and its end event, or the run fails. The raw bytes
// of the first stream of each size are hashed, so the report can say whether a target relays the
// upstream's bytes unchanged.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { APIS, DONE, expectedText } from './apis.js';

const spec = JSON.parse(process.argv[2]);
const api = APIS[spec.api];
const p = spec.params;
const pool = new Pool(spec.base, { connections: 256, pipelining: 1, keepAliveTimeout: 60_000 });
const hashes = {};

function route(deltas) {
  const r = spec.routes[deltas];
  if (r === undefined) throw new Error(`load: no route for ${deltas} deltas`);
  return r;
}

const bodies = new Map();
function requestOf(deltas, stream) {
  const key = `${deltas}|${stream}`;
  let made = bodies.get(key);
  if (made === undefined) {
    const r = route(deltas);
    made = { path: r.path, method: 'POST', headers: { 'content-type': 'application/json', ...api.headers, ...r.headers }, body: JSON.stringify(api.body(r.model, stream)) };
    bodies.set(key, made);
  }
  return made;
}

async function complete() {
  const { statusCode, body } = await pool.request(requestOf(1, false));
  const text = await body.text();
  if (statusCode !== 200) throw new Error(`load: ${spec.target} ${spec.api} answered ${statusCode}: ${text.slice(0, 300)}`);
  const answer = api.answerText(JSON.parse(text));
  if (typeof answer !== 'string' || !answer.startsWith('Hello!')) throw new Error(`load: ${spec.target} ${spec.api}: unexpected answer ${text.slice(0, 300)}`);
}

/** One stream of `deltas`, checked; `onFirst` at its first text delta. */
async function stream(deltas, onFirst) {
  const { statusCode, body } = await pool.request(requestOf(deltas, true));
  if (statusCode !== 200) throw new Error(`load: ${spec.target} ${spec.api} stream answered ${statusCode}: ${(await body.text()).slice(0, 300)}`);
  const hash = hashes[deltas] === undefined ? createHash('sha256') : undefined;
  const decoder = new TextDecoder();
  let pending = '';
  let text = '';
  let count = 0;
  let done = false;
  for await (const chunk of body) {
    hash?.update(chunk);
    pending += decoder.decode(chunk, { stream: true });
    let end;
    while ((end = pending.indexOf('\n\n')) !== -1) {
      const block = pending.slice(0, end);
      pending = pending.slice(end + 2);
      let event;
      let data = '';
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data += line.slice(line[5] === ' ' ? 6 : 5);
      }
      if (data === '') continue;
      const delta = api.delta(event, data);
      if (delta === DONE) done = true;
      else if (delta !== undefined) {
        if (count === 0) onFirst?.();
        count += 1;
        text += delta;
      }
    }
  }
  if (hash !== undefined) hashes[deltas] = hash.digest('hex');
  if (!done) throw new Error(`load: ${spec.target} ${spec.api}: a stream of ${deltas} deltas had no end event`);
  if (count !== deltas || text !== expectedText(deltas)) {
    throw new Error(`load: ${spec.target} ${spec.api}: a stream gave ${count} deltas (${text.length} characters), expected ${deltas} deltas of the upstream's text byte for byte`);
  }
  return count;
}

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** The gateway's CPU time so far (user + system, µs), from /proc; `undefined` for the direct call. */
function gatewayCpuUs() {
  if (spec.gatewayPid === undefined) return undefined;
  const fields = readFileSync(`/proc/${spec.gatewayPid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime are fields 14 and 15 of the whole line, in clock ticks (100 a second on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/**
 * A fresh process runs interpreted until V8 has compiled its hot code, and on a 2-core machine with
 * the load and the upstream busy that takes seconds: a fresh gateway serves ~1,100 requests/s in
 * its first second and ~6,000 after four. Every metric but the cold one and peak RSS first sends
 * `primeMs` of mixed traffic (calls 16 in flight, streams of 100 deltas 4 in flight) to every target,
 * the direct call included, so what is measured is a server that has been running.
 */
async function prime() {
  if (!p.primeMs) return;
  const until = performance.now() + p.primeMs;
  const loop = async (call) => {
    while (performance.now() < until) await call();
  };
  const streams = spec.routes[100] === undefined ? [] : Array.from({ length: 4 }, () => loop(() => stream(100)));
  await Promise.all([...Array.from({ length: 16 }, () => loop(complete)), ...streams]);
}

const metrics = {
  async latency() {
    for (let i = 0; i < p.warmup; i += 1) await complete();
    const samples = new Float64Array(p.calls);
    for (let i = 0; i < p.calls; i += 1) {
      const start = performance.now();
      await complete();
      samples[i] = performance.now() - start;
    }
    samples.sort();
    return { p50: quantile(samples, 0.5), p99: quantile(samples, 0.99) };
  },
  async requestsPerSecond() {
    const run = async (until) => {
      let calls = 0;
      while (performance.now() < until) {
        await complete();
        calls += 1;
      }
      return calls;
    };
    const many = (until) => Promise.all(Array.from({ length: p.inFlight }, () => run(until)));
    await many(performance.now() + p.warmupMs);
    const cpuBefore = gatewayCpuUs();
    const start = performance.now();
    const counts = await many(start + p.durationMs);
    const elapsed = performance.now() - start;
    const cpuAfter = gatewayCpuUs();
    const calls = counts.reduce((a, b) => a + b, 0);
    return { rps: (calls / elapsed) * 1000, ...(cpuBefore === undefined ? {} : { cpuUsPerRequest: (cpuAfter - cpuBefore) / calls }) };
  },
  /** Requests/s at 64 in flight from the first request to a fresh process: the warm-up a restart costs. */
  async requestsPerSecondCold() {
    const start = performance.now();
    const until = start + p.durationMs;
    const run = async () => {
      let calls = 0;
      while (performance.now() < until) {
        await complete();
        calls += 1;
      }
      return calls;
    };
    const counts = await Promise.all(Array.from({ length: p.inFlight }, run));
    return { coldRps: (counts.reduce((a, b) => a + b, 0) / (performance.now() - start)) * 1000 };
  },
  async streamEvents() {
    for (let i = 0; i < p.warmup; i += 1) await stream(p.deltas);
    let events = 0;
    let elapsed = 0;
    let streams = 0;
    while (elapsed < p.minMs || streams < p.minStreams) {
      const start = performance.now();
      events += await stream(p.deltas);
      elapsed += performance.now() - start;
      streams += 1;
    }
    return { eventsPerSecond: (events / elapsed) * 1000 };
  },
  async timeToFirstDelta() {
    let first = 0;
    const mark = () => {
      first = performance.now();
    };
    for (let i = 0; i < p.warmup; i += 1) await stream(p.deltas, mark);
    const samples = new Float64Array(p.streams);
    for (let i = 0; i < p.streams; i += 1) {
      const start = performance.now();
      await stream(p.deltas, mark);
      samples[i] = first - start;
    }
    samples.sort();
    return { ttfd: quantile(samples, 0.5) };
  },
  async peakRss() {
    await stream(p.deltas);
    await Promise.all(Array.from({ length: p.concurrent }, () => stream(p.deltas)));
    if (spec.gatewayPid === undefined) return {};
    // VmHWM: the gateway process's peak resident set over its life (it was started for this run).
    const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${spec.gatewayPid}/status`, 'utf8'))?.[1]);
    return { rssMb: kb / 1024 };
  },
};

if (spec.metric !== 'requestsPerSecondCold' && spec.metric !== 'peakRss') await prime();
const result = await metrics[spec.metric]();
process.stdout.write(`${JSON.stringify({ ...result, hashes })}\n`);
process.exit(0);
