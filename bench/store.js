// What the state store adds to a call, memory store vs Redis store on loopback (a private
// redis-server on a free port, no persistence): latency per admission and per settle, and Redis
// round trips per call counted by Redis itself (INFO commandstats: the commands clients sent).
//
//   npm run bench:store                     # 5000 sequential calls, then 64 in flight
//   npm run bench:store -- --calls 20000
//
// One "call" is what the rate-limit and cost plugins do for one request: windowReserve (admission),
// windowStamp (sent; not awaited), windowSettle, budgetReserve (admission), budgetSettle.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { rolldown } from 'rolldown';
import { root } from './harness.js';

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : process.argv[index + 1];
}
const calls = Number(option('calls', 5000));
const inFlight = Number(option('concurrency', 64));

// The store and the test rig are TypeScript: bundle them for this process (ioredis stays external,
// so the bundle goes where node_modules resolves).
mkdirSync(join(root, 'node_modules', '.cache'), { recursive: true });
const dir = mkdtempSync(join(root, 'node_modules', '.cache', 'bench-store-'));
const build = await rolldown({
  input: { store: join(root, 'core/store/index.ts'), redis: join(root, 'core/store/redis-state-store.ts'), rig: join(root, 'test/redis-server.ts') },
  platform: 'node',
  external: (id) => /^ioredis(\/|$)/.test(id),
  logLevel: 'warn',
});
await build.write({ dir, format: 'esm', entryFileNames: '[name].mjs' });
const { MemoryStateStore } = await import(pathToFileURL(join(dir, 'store.mjs')).href);
const { RedisStateStore } = await import(pathToFileURL(join(dir, 'redis.mjs')).href);
const { startRedisServer, redisServerBinary, INSTALL_REDIS_COMMAND } = await import(pathToFileURL(join(dir, 'rig.mjs')).href);
const { Redis } = await import('ioredis');

const WINDOW = { requestLimit: 1_000_000_000, tokenLimit: 1_000_000_000_000, tokens: 500 };
const BUDGET = 1_000_000_000_000_000;

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}
function summary(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) };
}
const us = (ms) => `${(ms * 1000).toFixed(1)} µs`;

/** One call's store operations; `timings` gets admission and settle latencies (ms). */
async function call(store, key, timings) {
  let started = performance.now();
  const admitted = await store.windowReserve(`${key}:w`, WINDOW);
  const reservation = await store.budgetReserve(`${key}:b`, 1_000, BUDGET);
  timings?.admission.push(performance.now() - started);
  void store.windowStamp(`${key}:w`, admitted.id);
  started = performance.now();
  await store.windowSettle(`${key}:w`, admitted.id, 400);
  await store.budgetSettle(`${key}:b`, reservation.id, 800);
  timings?.settle.push(performance.now() - started);
}

function memoryPath(store, key) {
  const admitted = store.windowReserve(`${key}:w`, WINDOW);
  const reservation = store.budgetReserve(`${key}:b`, 1_000, BUDGET);
  store.windowStamp(`${key}:w`, admitted.id);
  store.windowSettle(`${key}:w`, admitted.id, 400);
  store.budgetSettle(`${key}:b`, reservation.id, 800);
}

const rows = [];

// Memory: synchronous, measured in a tight loop (no await: that is how plugins call it).
{
  const store = new MemoryStateStore();
  for (let i = 0; i < 20_000; i += 1) memoryPath(store, 'warm');
  const started = performance.now();
  const n = Math.max(calls * 20, 100_000);
  for (let i = 0; i < n; i += 1) memoryPath(store, 'bench');
  const perCall = (performance.now() - started) / n;
  rows.push(['memory', `${us(perCall)} per call (all five operations, synchronous)`, '0']);
}

if (redisServerBinary() === undefined) {
  console.log(`redis-server is not installed: only the memory store was measured. Install it with: ${INSTALL_REDIS_COMMAND}`);
} else {
  const server = await startRedisServer();
  const admin = new Redis(server.url);
  const store = new RedisStateStore({ url: server.url, keyPrefix: 'bench:' });
  try {
    const ping = [];
    for (let i = 0; i < 2_000; i += 1) {
      const started = performance.now();
      await admin.ping();
      ping.push(performance.now() - started);
    }
    for (let i = 0; i < 500; i += 1) await call(store, 'warm');

    const clientCommands = async () => {
      const info = await admin.info('commandstats');
      let total = 0;
      for (const match of info.matchAll(/cmdstat_(evalsha|eval|script|set|get|del):calls=(\d+)/g)) total += Number(match[2]);
      return total;
    };
    const timings = { admission: [], settle: [] };
    const before = await clientCommands();
    const started = performance.now();
    for (let i = 0; i < calls; i += 1) await call(store, 'bench', timings);
    const sequentialMs = performance.now() - started;
    const roundTrips = ((await clientCommands()) - before) / calls;

    const concurrentStarted = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < calls) {
          next += 1;
          await call(store, 'concurrent');
        }
      }),
    );
    const concurrentMs = performance.now() - concurrentStarted;

    const pingSummary = summary(ping);
    const admission = summary(timings.admission);
    const settle = summary(timings.settle);
    rows.push(['redis loopback PING', `p50 ${us(pingSummary.p50)}, p99 ${us(pingSummary.p99)} (one round trip, for scale)`, '1']);
    rows.push(['redis admission', `p50 ${us(admission.p50)}, p99 ${us(admission.p99)} (windowReserve + budgetReserve, sequential)`, '2 (1 each)']);
    rows.push(['redis settle', `p50 ${us(settle.p50)}, p99 ${us(settle.p99)} (windowSettle + budgetSettle, sequential)`, '2 (1 each)']);
    rows.push(['redis per call', `${us(sequentialMs / calls)} sequential; ${Math.round(calls / (concurrentMs / 1000))} calls/s with ${inFlight} in flight`, `${roundTrips.toFixed(2)} (incl. the unawaited stamp)`]);
  } finally {
    await store.close();
    admin.disconnect();
    await server.close();
  }
}
rmSync(dir, { recursive: true, force: true });

console.log(`\nState store, ${calls} calls (node ${process.version})\n`);
const widths = [22, 86];
console.log(`${'store'.padEnd(widths[0])}${'latency'.padEnd(widths[1])}round trips`);
for (const [name, latency, trips] of rows) console.log(`${name.padEnd(widths[0])}${latency.padEnd(widths[1])}${trips}`);
