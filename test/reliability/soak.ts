// The soak: many mock calls through the kernel with every built-in plugin, sequential and then
// concurrent in batches. Measures the heap after a forced GC (after warm-up, after each phase) and
// checks that the cost ledger's total is the sum of what every call reported, to the cent.
//   npm run soak                 # the full run: 10,000 sequential and 50,000 concurrent calls
//   npx vitest run test/reliability/soak.test.ts   # the short run that npm test makes
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createHyperAgent } from '../../core/create-hyper-agent.js';
import type { KernelBackend } from '../../core/kernel-backend.js';
import type { LLMBackend, LLMMessage } from '../../core/types.js';
import { getCostLedger } from '../../plugins/cost/index.js';
import type { MockBackend } from '../../plugins/mock/index.js';
import { WINDOW_MS } from '../../plugins/rate-limit/index.js';

export interface SoakOptions {
  /** Calls before the baseline heap is taken. */
  readonly warmup: number;
  readonly sequential: number;
  readonly concurrent: number;
  /** Calls in flight at once in the concurrent phase. */
  readonly batchSize: number;
  /** The logging plugin's level; its lines go to a temporary file. @default 'info' */
  readonly logLevel?: 'info' | 'warn';
  /**
   * Measure the heap once more when the rate limiter's one-minute window has passed since the last
   * call, and one more call let it drop what expired: it keeps an entry per call made in the last
   * 60 s, even for a backend without limits.
   * @default false
   */
  readonly afterWindow?: boolean;
}

export interface PhaseFigures {
  readonly calls: number;
  readonly ms: number;
  readonly callsPerSecond: number;
  /** Heap used after a forced GC at the end of the phase, in MB. */
  readonly heapMb: number;
}

export interface SoakReport {
  readonly warmup: PhaseFigures;
  readonly sequential: PhaseFigures;
  readonly concurrent: PhaseFigures;
  /** Largest heap right after a phase, relative to the heap after warm-up, in percent. */
  readonly heapGrowthPercent: number;
  /** With `afterWindow`: the heap once the rate limiter's window emptied, in MB, and its growth in percent. */
  readonly afterWindowHeapMb?: number;
  readonly afterWindowGrowthPercent?: number;
  readonly ledgerUsd: number;
  readonly summedUsd: number;
  readonly ledgerCalls: number;
  readonly logBytes: number;
  readonly gcExposed: boolean;
}

/** `gc()`: from `--expose-gc` when given, else switched on here (V8 allows it at run time). */
function garbageCollector(): { readonly collect: () => void; readonly exposed: boolean } {
  const exposed = typeof globalThis.gc === 'function';
  if (!exposed) setFlagsFromString('--expose-gc');
  const collect = (globalThis.gc ?? (runInNewContext('gc') as () => void)) as () => void;
  return { collect, exposed };
}

/** A prompt whose length, and so whose cost, differs from call to call. */
function messagesFor(index: number): LLMMessage[] {
  return [
    { role: 'system', content: 'Answer in one line.' },
    { role: 'user', content: `Question ${index}: ${'how much is it? '.repeat(1 + (index % 37))}` },
  ];
}

/** One call, streamed every other time; resolves to the cost the kernel put on it, in nano-dollars. */
async function oneCall(backend: LLMBackend, index: number): Promise<number> {
  if (index % 2 === 0) return Math.round(((await backend.infer(messagesFor(index))).metadata.costUsd ?? 0) * 1e9);
  const stream = backend.inferStream(messagesFor(index));
  for await (const event of stream) if (event.type === 'error') throw event.error;
  return Math.round(((await stream.output()).metadata.costUsd ?? 0) * 1e9);
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const gc = garbageCollector();
  const dir = mkdtempSync(join(tmpdir(), 'hyperagent-soak-'));
  const logFile = join(dir, 'soak.log');
  try {
    const agent = await createHyperAgent({
      env: {},
      config: {
        backends: { mock: { provider: 'mock', options: { echo: true } } },
        plugins: [
          ['retry', { maxRetries: 2, initialDelayMs: 1, maxDelayMs: 10 }],
          ['rate-limit', {}],
          ['logging', { level: options.logLevel ?? 'info', destination: logFile }],
          ['approval', { default: 'allow' }],
          ['cost', { budgetUsd: 1_000_000 }],
        ],
      },
    });
    const backend = agent.backend('mock');
    // The mock records every call it answers (that is its job in tests); forget them before measuring.
    const mock = (backend as KernelBackend).inner as MockBackend;
    const ledger = getCostLedger(agent.kernel)!;
    let summedNano = 0;
    let index = 0;

    const heapMb = async (): Promise<number> => {
      mock.reset();
      for (let round = 0; round < 3; round += 1) {
        gc.collect();
        await new Promise((resolve) => setImmediate(resolve));
      }
      return process.memoryUsage().heapUsed / 1024 / 1024;
    };
    const phase = async (calls: number, run: () => Promise<void>): Promise<PhaseFigures> => {
      const started = performance.now();
      await run();
      const ms = performance.now() - started;
      return { calls, ms: Math.round(ms), callsPerSecond: Math.round((calls / ms) * 1000), heapMb: Number((await heapMb()).toFixed(2)) };
    };
    const sequentially = (calls: number) => async (): Promise<void> => {
      for (let done = 0; done < calls; done += 1) summedNano += await oneCall(backend, index++);
    };

    const warmup = await phase(options.warmup, sequentially(options.warmup));
    const sequential = await phase(options.sequential, sequentially(options.sequential));
    const concurrent = await phase(options.concurrent, async () => {
      for (let done = 0; done < options.concurrent; done += options.batchSize) {
        const size = Math.min(options.batchSize, options.concurrent - done);
        const costs = await Promise.all(Array.from({ length: size }, () => oneCall(backend, index++)));
        for (const cost of costs) summedNano += cost;
      }
    });

    const lastCallAt = performance.now();
    const growth = (mb: number): number => Number((((mb - warmup.heapMb) / warmup.heapMb) * 100).toFixed(2));
    let afterWindow: { afterWindowHeapMb: number; afterWindowGrowthPercent: number } | undefined;
    if (options.afterWindow) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, lastCallAt + WINDOW_MS + 1_000 - performance.now())));
      // The window drops expired entries when it is next used: one more call.
      summedNano += await oneCall(backend, index++);
      const mb = Number((await heapMb()).toFixed(2));
      afterWindow = { afterWindowHeapMb: mb, afterWindowGrowthPercent: growth(mb) };
    }
    const summary = ledger.summary();
    return {
      warmup,
      sequential,
      concurrent,
      heapGrowthPercent: growth(Math.max(sequential.heapMb, concurrent.heapMb)),
      ...afterWindow,
      ledgerUsd: summary.totalUsd,
      summedUsd: summedNano / 1e9,
      ledgerCalls: summary.calls,
      logBytes: statSync(logFile).size,
      gcExposed: gc.exposed,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const FULL_SOAK: SoakOptions = { warmup: 2_000, sequential: 10_000, concurrent: 50_000, batchSize: 500, afterWindow: true };
export const SHORT_SOAK: SoakOptions = { warmup: 1_000, sequential: 1_000, concurrent: 5_000, batchSize: 250 };
