// What the Redis store does when Redis is not there: stopped mid-run, hung, never started. Typed
// errors, bounded waits, no crash, no queue that grows, and service back soon after Redis is.
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, StoreUnavailableError } from '../../core/errors.js';
import type { StoreStatus } from '../../core/store/index.js';
import { RedisStateStore } from '../../core/store/redis-state-store.js';
import { runRedisSuites, startRedisServer, type RedisServer } from '../redis-server.js';

async function failure(promise: Promise<unknown>): Promise<StoreUnavailableError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof StoreUnavailableError) return error;
    throw error;
  }
  throw new Error('expected the store to fail');
}

describe.skipIf(!runRedisSuites)('RedisStateStore when Redis is unavailable', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });
  const serve = async (): Promise<RedisServer> => {
    const server = await startRedisServer();
    cleanup.push(() => server.close());
    return server;
  };
  const open = (url: string, options: { timeoutMs?: number; maxWaiting?: number; onStatus?: (status: StoreStatus) => void } = {}): RedisStateStore => {
    const store = new RedisStateStore({ url, keyPrefix: 'outage:', ...options });
    cleanup.push(() => store.close());
    return store;
  };

  it('Redis stopped mid-run: typed errors at once, then normal service within a second of it coming back', async () => {
    const server = await serve();
    const statuses: StoreStatus[] = [];
    const store = open(server.url, { onStatus: (status) => statuses.push(status) });
    expect((await store.budgetReserve('usd', 10, 1_000)).ok).toBe(true);

    await server.stop();
    const errors = await Promise.all([
      failure(store.budgetReserve('usd', 10, 1_000)),
      failure(store.windowReserve('rpm', { requestLimit: 10 })),
      failure(store.budgetSettle('usd', 1, 10)),
      failure(store.get('cooldown')),
      failure(store.setIfAbsent('cooldown', 'x', 1_000)),
    ]);
    for (const error of errors) {
      expect(error.code).toBe(ErrorCode.STORE_UNAVAILABLE);
      expect(error.retryable).toBe(true);
      expect(error.store).toBe(`redis at 127.0.0.1:${server.port}`);
      expect(error.message).toContain(`The state store (redis at 127.0.0.1:${server.port}) failed during ${error.operation}`);
    }
    expect(errors.map((error) => error.operation)).toEqual(['budgetReserve', 'windowReserve', 'budgetSettle', 'get', 'setIfAbsent']);
    // A stamp is fire-and-forget: it resolves false rather than reject.
    expect(await store.windowStamp('rpm', 1)).toBe(false);
    expect(statuses.map((status) => status.state)).toEqual(['down']);

    await server.start();
    const back = performance.now();
    let recoveredAfterMs: number | undefined;
    while (recoveredAfterMs === undefined && performance.now() - back < 5_000) {
      try {
        await store.budgetReserve('usd', 10, 1_000);
        recoveredAfterMs = performance.now() - back;
      } catch (error) {
        expect(error).toBeInstanceOf(StoreUnavailableError);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
    expect(recoveredAfterMs).toBeDefined();
    expect(recoveredAfterMs!).toBeLessThan(1_000);
    expect(statuses.map((status) => status.state)).toEqual(['down', 'up']);
    // The restarted server is empty (no persistence): the scripts are loaded again and work.
    expect(await store.windowReserve('rpm', { requestLimit: 10 })).toMatchObject({ admitted: true, requests: 1 });
  });

  it('Redis hung (no answers): each command fails after timeoutMs, and works again when Redis does', async () => {
    const server = await serve();
    const store = open(server.url, { timeoutMs: 100 });
    expect((await store.windowReserve('rpm', { requestLimit: 10 })).admitted).toBe(true);
    server.pause();
    const error = await failure(store.windowReserve('rpm', { requestLimit: 10 }));
    expect(error.message).toMatch(/It did not answer \(Command timed out\)/);
    server.resume();
    expect((await store.windowReserve('rpm', { requestLimit: 10 })).admitted).toBe(true);
  });

  it('no Redis at the address: the first calls fail fast with the reason, nothing waits for ever', async () => {
    const server = await serve();
    const url = server.url;
    await server.stop();
    const store = open(url, { timeoutMs: 200 });
    const error = await failure(store.budgetTotals('usd'));
    expect(error.message).toMatch(/ECONNREFUSED|not connected/);
  });

  it('while the first connection is being made, at most maxWaiting commands wait for it; the rest fail at once', async () => {
    const server = await serve();
    server.pause();
    cleanup.push(async () => server.resume());
    const store = open(server.url, { timeoutMs: 150, maxWaiting: 2 });
    const calls = [store.budgetTotals('a'), store.budgetTotals('b'), store.budgetTotals('c')].map((call) => failure(call));
    const third = await calls[2];
    expect(third.message).toMatch(/not connected|ECONNREFUSED|the connection closed/);
    const waited = await Promise.all(calls.slice(0, 2));
    for (const error of waited) expect(error.message).toMatch(/not connected within 150 ms/);
  });

  it('never puts the password in a description or an error', async () => {
    const server = await serve();
    const url = `redis://app:hunter2-not-a-real-password@127.0.0.1:${server.port}`;
    await server.stop();
    const store = open(url, { timeoutMs: 100 });
    expect(store.description).toBe(`redis at 127.0.0.1:${server.port}`);
    const error = await failure(store.get('k'));
    expect(JSON.stringify({ message: error.message, stack: error.stack, json: error.toJSON() })).not.toContain('hunter2-not-a-real-password');
  });

  it('refuses a URL that is not redis:// or rediss://', () => {
    expect(() => new RedisStateStore({ url: 'http://127.0.0.1:6379' })).toThrow(/must start with redis:\/\/ or rediss:\/\/ \(TLS\), received http:/);
  });
});
