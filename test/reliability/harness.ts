// One kernel with a backend per provider plugin, all pointed at one fault server, with the
// default plugins (retry with tiny delays, rate-limit, cost), and the invariants every fault test
// checks afterwards: no call in flight in the pool, no open socket, no unhandled rejection.
import { createHook } from 'node:async_hooks';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { createHyperAgent, type HyperAgent } from '../../core/create-hyper-agent.js';
import { closeAllPools, poolFor } from '../../core/http.js';
import type { KernelNotice } from '../../core/hooks.js';
import type { Kernel } from '../../core/kernel.js';
import type { InferOptions, InferenceStream, LLMBackend, LLMMessage, StreamEvent } from '../../core/types.js';
import { getCostLedger, type CostLedger } from '../../plugins/cost/index.js';
import { FaultServer } from '../fault-server.js';
import { PROVIDERS, type ProviderName } from './wire.js';

/** Looks like a provider key, so both the registered-secret and the key-shape redaction apply. */
export const FAKE_KEY = 'sk-fault-0123456789abcdefFAULTKEY';

export const HELLO: readonly LLMMessage[] = [{ role: 'user', content: 'Hello' }];

const UNLIMITED = { rpm: 1_000_000, tpm: 1_000_000_000 };

export interface RigOptions {
  /** Options of the retry plugin. @default 2 retries, 1-4 ms backoff, no jitter */
  readonly retry?: Record<string, unknown>;
  /** Options of the rate-limit plugin. @default no limits on any backend */
  readonly rateLimit?: Record<string, unknown>;
}

export interface Rig {
  readonly server: FaultServer;
  readonly agent: HyperAgent;
  readonly kernel: Kernel;
  readonly ledger: CostLedger;
  /** Every notice of every call (attempts, retries, rate-limit waits), in order. */
  readonly notices: KernelNotice[];
  backend(name: ProviderName): LLMBackend;
}

export async function startRig(options: RigOptions = {}): Promise<Rig> {
  const server = await new FaultServer().start();
  const origin = server.origin;
  const agent = await createHyperAgent({
    env: {},
    config: {
      backends: {
        openai: { provider: 'openai', model: 'gpt-4o-mini', apiKey: FAKE_KEY, baseURL: `${origin}/v1` },
        'openai-responses': { provider: 'openai', model: 'gpt-4o-mini', apiKey: FAKE_KEY, baseURL: `${origin}/v1`, options: { api: 'responses' } },
        anthropic: { provider: 'anthropic', model: 'claude-haiku-4-5', apiKey: FAKE_KEY, baseURL: `${origin}/v1` },
        openrouter: { provider: 'openrouter', model: 'openai/gpt-4o-mini', apiKey: FAKE_KEY, baseURL: `${origin}/api/v1` },
        local: { provider: 'openai-compatible', model: 'llama3.2', apiKey: FAKE_KEY, baseURL: `${origin}/v1`, options: { pricing: { input: 0.5, output: 1.5 } } },
      },
      plugins: [
        ['retry', options.retry ?? { maxRetries: 2, initialDelayMs: 1, maxDelayMs: 4, jitter: false }],
        ['rate-limit', options.rateLimit ?? { backends: Object.fromEntries(PROVIDERS.map((name) => [name, UNLIMITED])) }],
        ['cost', {}],
      ],
    },
  });
  const notices: KernelNotice[] = [];
  agent.kernel.hooks.onNotice.tap('reliability-test', (notice) => void notices.push(notice));
  return {
    server,
    agent,
    kernel: agent.kernel,
    ledger: getCostLedger(agent.kernel)!,
    notices,
    backend: (name) => agent.backend(name),
  };
}

/** Read a stream to its end. */
export async function collect(stream: InferenceStream): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

/** Exactly one terminal event, and it is the last one. Returns it. */
export function expectOneTerminal(events: readonly StreamEvent[]): Extract<StreamEvent, { type: 'done' | 'error' }> {
  const terminals = events.filter((event) => event.type === 'done' || event.type === 'error');
  expect(terminals, `terminal events in ${JSON.stringify(events.map((e) => e.type))}`).toHaveLength(1);
  expect(events[events.length - 1]).toBe(terminals[0]);
  return terminals[0] as Extract<StreamEvent, { type: 'done' | 'error' }>;
}

export function textOf(events: readonly StreamEvent[]): string {
  return events.map((event) => (event.type === 'text-delta' ? event.text : '')).join('');
}

export function streamOf(rig: Rig, name: ProviderName, options: InferOptions = {}): InferenceStream {
  return rig.backend(name).inferStream(HELLO, [], options);
}

/**
 * What must hold once a test's calls are over: everything queued was served, no request is still
 * running in the pool, and once the pools are closed the server sees no open connection.
 */
export async function expectClean(rig: Rig): Promise<void> {
  expect(rig.server.pending, 'fault plans left unserved').toBe(0);
  try {
    // An aborted request leaves the pool's count when undici has torn its socket down, a turn or two later.
    await expect.poll(() => requestsInFlight(rig.server.origin), { timeout: 2_000, interval: 5 }).toEqual({ running: 0, pending: 0, queued: 0 });
  } finally {
    await closeAllPools();
  }
  await rig.server.whenIdle(5_000);
}

/** Requests the shared pool for `origin` is still working on. */
export function requestsInFlight(origin: string): { running: number; pending: number; queued: number } {
  const stats = poolFor(origin).stats;
  return { running: stats.running, pending: stats.pending, queued: stats.queued };
}

/** Counts unhandled rejections while installed; `stop()` removes the listener. */
export function countUnhandledRejections(): { readonly count: () => number; readonly reasons: unknown[]; stop(): void } {
  const reasons: unknown[] = [];
  const listener = (reason: unknown): void => void reasons.push(reason);
  process.on('unhandledRejection', listener);
  return { count: () => reasons.length, reasons, stop: () => void process.off('unhandledRejection', listener) };
}

/**
 * Records every timer created from now on; `pending()` lists those still waiting to fire and
 * holding the event loop (ref'd): what would keep a process from exiting.
 */
export function trackTimers(): { pending(): string[]; stop(): void } {
  const timers = new Map<number, { resource: NodeJS.Timeout & { _destroyed?: boolean; _idleTimeout?: number }; stack: string }>();
  const hook = createHook({
    init(asyncId, type, _trigger, resource) {
      if (type === 'Timeout') timers.set(asyncId, { resource: resource as NodeJS.Timeout, stack: new Error('created here').stack ?? '' });
    },
    destroy(asyncId) {
      timers.delete(asyncId);
    },
  }).enable();
  return {
    pending: () =>
      [...timers.values()]
        .filter(({ resource }) => resource._destroyed !== true && resource.hasRef())
        .map(({ resource, stack }) => `${resource._idleTimeout} ms timer created ${stack.split('\n').slice(1).filter((line) => !line.includes('node:internal') && !line.includes('harness.ts')).slice(0, 3).join(' <-').trim()}`),
    stop: () => void hook.disable(),
  };
}

/** Resources keeping the event loop alive, by type, e.g. `{ Timeout: 1, TCPSocketWrap: 2 }`. */
export function activeResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

/** Wall-clock milliseconds from `start` until `promise` settles (its value or error alongside). */
export async function timeSettle<T>(promise: Promise<T>, start: number): Promise<{ ms: number; value?: T; error?: unknown }> {
  try {
    const value = await promise;
    return { ms: performance.now() - start, value };
  } catch (error) {
    return { ms: performance.now() - start, error };
  }
}

/**
 * One rig for a whole test file: started before the first test, its notices, requests and ledger
 * cleared before each, no scripted answer left over and no unhandled rejection after each.
 */
export function useSharedRig(set: (rig: Rig) => void): void {
  let rig: Rig;
  const unhandled = countUnhandledRejections();
  beforeAll(async () => {
    rig = await startRig();
    set(rig);
  });
  beforeEach(() => {
    rig.notices.length = 0;
    rig.server.requests.length = 0;
    rig.ledger.reset();
  });
  afterEach(() => {
    rig.server.clearQueue();
    expect(unhandled.reasons).toEqual([]);
  });
  afterAll(async () => {
    unhandled.stop();
    await rig.server.stop();
  });
}
