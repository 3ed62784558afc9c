// After faults of every kind against every provider, once the pools are closed, nothing may keep
// the process alive: no timer (unref'd ones do not count: they never hold the loop), no socket.
// Also what is charged when a stream's first event is an error that reports usage.
import { afterAll, describe, expect, it } from 'vitest';
import { AbortError } from '../../core/errors.js';
import { closeAllPools } from '../../core/http.js';
import { activeResources, collect, trackTimers, countUnhandledRejections, expectClean, expectOneTerminal, HELLO, startRig, streamOf } from './harness.js';
import { blockOffset, DEFAULT_PIECES, errorStatus, okJson, okStream, OPENROUTER_REPORTED_COST, PROVIDERS, streamErrorEvent } from './wire.js';

const HELD = ['Timeout', 'Immediate', 'TCPSocketWrap', 'TCPServerWrap', 'TCPWRAP', 'TCPSERVERWRAP', 'PipeWrap', 'FSReqCallback'];
const unhandled = countUnhandledRejections();

function held(): Record<string, number> {
  const all = activeResources();
  return Object.fromEntries(HELD.filter((type) => all[type] !== undefined).map((type) => [type, all[type]]));
}

afterAll(() => {
  unhandled.stop();
});

describe('what keeps the process alive after faults', () => {
  it('nothing, once the pools are closed: every timer cleared or unref\'d, every socket closed', async () => {
    const before = held();
    const timers = trackTimers();
    const rig = await startRig();
    try {
      for (const name of PROVIDERS) {
        // A retry after a 429 with retry-after, a timeout before the first byte, a reset mid-stream...
        rig.server.enqueue(errorStatus(name, 429, { 'retry-after-ms': '5' }), okJson(name));
        await rig.backend(name).infer(HELLO);
        rig.server.enqueue({ stallBeforeHeaders: 'forever' }, { stallBeforeHeaders: 'forever' }, { stallBeforeHeaders: 'forever' });
        await expect(rig.backend(name).infer(HELLO, [], { timeoutMs: 30 })).rejects.toMatchObject({ code: 'HA_TIMEOUT' });
        const plan = okStream(name);
        rig.server.enqueue({ ...plan, cut: { at: blockOffset(plan.body as string, JSON.stringify(DEFAULT_PIECES[2])) } });
        expectOneTerminal(await collect(streamOf(rig, name)));
        // ...a stream abandoned by its consumer, and calls aborted while waiting to retry and mid-stream.
        rig.server.enqueue({ ...plan, stall: { afterBytes: blockOffset(plan.body as string, JSON.stringify(DEFAULT_PIECES[1])), ms: 'forever' } });
        for await (const event of streamOf(rig, name)) if (event.type === 'text-delta') break;
        const controller = new AbortController();
        rig.server.enqueue(errorStatus(name, 503, { 'retry-after-ms': '60000' }));
        const retrying = rig.backend(name).infer(HELLO, [], { signal: controller.signal });
        await rig.server.waitForRequests(rig.server.requests.length + 1);
        setImmediate(() => controller.abort());
        await expect(retrying).rejects.toBeInstanceOf(AbortError);
      }
      await expectClean(rig);
    } finally {
      await rig.server.stop();
      await closeAllPools();
    }
    timers.stop();
    expect(timers.pending()).toEqual([]);
    // Closed handles leave the list once libuv has run their close callbacks: a turn or two.
    const sockets = (counts: Record<string, number>) => ({ sockets: counts.TCPSocketWrap ?? 0, servers: counts.TCPServerWrap ?? 0 });
    await expect.poll(() => sockets(held()), { timeout: 2_000, interval: 10 }).toEqual(sockets(before));
    expect(unhandled.reasons).toEqual([]);
  });
});

describe('a stream whose first event is an error that reports usage', () => {
  // One call, one charge: the failed attempt's reported cost is part of the call's.
  it('is charged once, with the cost of every attempt that reported usage', async () => {
    const rig = await startRig();
    try {
      rig.server.enqueue(streamErrorEvent('openrouter', [], true), okStream('openrouter'));
      const events = await collect(streamOf(rig, 'openrouter'));
      expect(expectOneTerminal(events).type).toBe('done');
      expect(rig.ledger.summary()).toMatchObject({ calls: 1, partialCalls: 0, totalUsd: 2 * OPENROUTER_REPORTED_COST });
      await expectClean(rig);
    } finally {
      await rig.server.stop();
    }
  });
});
