// The fault server's own limits: it cannot outlive its lifetime, answer more than it was allowed,
// or read a body bigger than its bound.
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAllPools } from '../../core/http.js';
import { FaultServer } from '../fault-server.js';

const servers: FaultServer[] = [];

async function start(options: ConstructorParameters<typeof FaultServer>[0] = {}): Promise<FaultServer> {
  const server = await new FaultServer(options).start();
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
  await closeAllPools();
});

describe('the fault server', () => {
  it('stops by itself after its lifetime, cutting a stalled response', async () => {
    const server = await start({ lifetimeMs: 100 });
    server.enqueue({ stallBeforeHeaders: 'forever' });
    const started = performance.now();
    await expect(request(`${server.origin}/stall`, { method: 'POST', body: '{}' })).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(5_000);
    await server.whenIdle(2_000);
  });

  it('refuses requests past maxRequests and bodies past maxRequestBytes', async () => {
    const server = await start({ maxRequests: 2, maxRequestBytes: 10 });
    server.enqueue({ body: 'one' }, { body: 'two' });
    const statuses: number[] = [];
    for (const body of ['{}', 'x'.repeat(20), '{}']) {
      const response = await request(`${server.origin}/`, { method: 'POST', body });
      statuses.push(response.statusCode);
      await response.body.dump();
    }
    // The second request was over the size bound (its plan stays queued); the third is over the count.
    expect(statuses).toEqual([200, 413, 503]);
  });

  it('closes every socket on stop, also those stalled mid-body', async () => {
    const server = await start();
    server.enqueue({ body: 'x'.repeat(100), stall: { afterBytes: 10, ms: 'forever' } });
    const response = await request(`${server.origin}/`, { method: 'POST', body: '{}' });
    expect(response.statusCode).toBe(200);
    const reading = response.body.text().catch((error: unknown) => error);
    await server.stop();
    expect(await reading).toBeInstanceOf(Error);
    await server.whenIdle(2_000);
  });
});
