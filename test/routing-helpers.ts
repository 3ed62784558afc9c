// Shared by the routing tests: a fake clock, a seeded random source, and what the kernel reported.
import type { CostEvent, KernelNotice } from '../core/hooks.js';
import type { Kernel } from '../core/kernel.js';
import type { RoutingNoticeData } from '../core/routing/index.js';
import type { InferenceStream, LLMMessage, StreamEvent } from '../core/types.js';
import { user } from '../core/messages.js';

export const hi: readonly LLMMessage[] = [user('Hi')];

/** mulberry32: a small seeded PRNG, so the distribution tests are the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A clock the test moves by hand. */
export class FakeClock {
  constructor(public time = Date.UTC(2026, 0, 1)) {}
  readonly now = (): number => this.time;
  advance(ms: number): void {
    this.time += ms;
  }
}

/** What the kernel's hooks saw: routing notices, which backends were called, which were charged, which failed. */
export function observe(kernel: Kernel) {
  const seen = { routing: [] as RoutingNoticeData[], calls: [] as string[], costs: [] as CostEvent[], errors: [] as string[], notices: [] as KernelNotice[] };
  kernel.hooks.onNotice.tap('test', (notice) => {
    seen.notices.push(notice);
    if (notice.type === 'routing') {
      const { type: _type, ...data } = notice;
      seen.routing.push(data as RoutingNoticeData);
    }
  });
  kernel.hooks.beforeInfer.tap('test', (request, context) => {
    seen.calls.push(context.backendName);
    return request;
  });
  kernel.hooks.onCost.tap('test', (cost) => seen.costs.push(cost));
  kernel.hooks.onError.tap('test', (_error, context) => seen.errors.push(context.backendName));
  return seen;
}

export async function collect(stream: InferenceStream): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

export const textOf = (events: readonly StreamEvent[]): string => events.map((event) => (event.type === 'text-delta' ? event.text : '')).join('');
export const terminals = (events: readonly StreamEvent[]): StreamEvent[] => events.filter((event) => event.type === 'done' || event.type === 'error');
