// Cold start: from process start (performance.timeOrigin) to a client that is ready to send, with
// its library imported and, for HyperAgent, its config file found, validated, its plugins applied
// and its backend made. Then, as a second figure, to the end of the first (non-streaming) call.
// `node bench/cold-start.js <client module> <base URL> [config path]` prints one JSON line.
import { performance } from 'node:perf_hooks';

const [module, baseURL, configPath] = process.argv.slice(2);
const { create } = await import(`./clients/${module}`);
const client = await create({ baseURL, configPath: configPath || undefined });
const coldMs = performance.now();
await client.complete();
const firstResponseMs = performance.now();
process.stdout.write(`${JSON.stringify({ coldMs, firstResponseMs })}\n`);
process.exit(0);
