// The config file's `server` block as `hyperagent serve` applies it (gatewayOptionsFromConfig):
// strictParams and responsesTtlMs reach the gateway, and bad values are refused by the schema.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HyperAgentConfig, ServerConfig } from '../../core/config.js';
import { createHyperAgent } from '../../core/create-hyper-agent.js';
import { createGateway } from '../../server/create-gateway.js';
import { gatewayOptionsFromConfig } from '../../server/gateway-config.js';
import type { Gateway } from '../../server/gateway.js';

const open: Gateway[] = [];

afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(open.splice(0).map((gateway) => gateway.close()));
});

/** A gateway made from a config file's contents, as `hyperagent serve` makes it. */
async function serveConfig(server: ServerConfig, env: Record<string, string> = {}): Promise<string> {
  const config: HyperAgentConfig = { backends: { demo: { provider: 'mock' } }, server };
  const agent = await createHyperAgent({ config, env });
  const gateway = createGateway({ ...gatewayOptionsFromConfig(agent.config.server, env, { port: 0 }), kernel: agent.kernel });
  open.push(gateway);
  return (await gateway.listen()).url;
}

function post(url: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

const chat = { model: 'demo', messages: [{ role: 'user', content: 'hello' }], seed: 7 };

describe('server.strictParams from the config file', () => {
  it('makes a field the backend cannot honour a 400 naming it', async () => {
    const url = await serveConfig({ strictParams: true });
    const response = await post(url, '/v1/chat/completions', chat);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { param: string; code: string; message: string } };
    expect(body.error).toMatchObject({ param: 'seed', code: 'unsupported_parameter' });
    expect(body.error.message).toContain('strictParams');
  });

  it('left out, the field is dropped with a warning header instead', async () => {
    const url = await serveConfig({});
    const response = await post(url, '/v1/chat/completions', chat);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-hyperagent-warnings')).toContain('seed is not supported by backend "demo"');
  });
});

describe('server.responsesTtlMs from the config file', () => {
  it('is how long a stored response can be fetched and continued', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const url = await serveConfig({ responsesTtlMs: 60_000 });
    const created = (await (await post(url, '/v1/responses', { model: 'demo', input: 'hello' })).json()) as { id: string };
    expect((await fetch(`${url}/v1/responses/${created.id}`)).status).toBe(200);
    vi.advanceTimersByTime(59_000);
    expect((await fetch(`${url}/v1/responses/${created.id}`)).status).toBe(200);
    vi.advanceTimersByTime(2_000);
    expect((await fetch(`${url}/v1/responses/${created.id}`)).status).toBe(404);
    const continued = await post(url, '/v1/responses', { model: 'demo', input: 'again', previous_response_id: created.id });
    expect(continued.status).toBe(400);
    expect(((await continued.json()) as { error: { param: string } }).error.param).toBe('previous_response_id');
  });
});

describe('the server block is checked with the config', () => {
  it.each([
    [{ strictParams: 'yes' }, '/server/strictParams'],
    [{ responsesTtlMs: 0 }, '/server/responsesTtlMs'],
    [{ responsesTtlMs: 1.5 }, '/server/responsesTtlMs'],
  ])('refuses %j, naming %s', async (server, path) => {
    const config = { backends: { demo: { provider: 'mock' } }, server } as unknown as HyperAgentConfig;
    await expect(createHyperAgent({ config, env: {} })).rejects.toThrow(path);
  });

  it('reads ${VAR}s in apiKeys from the environment, and the command line\'s host and port win', () => {
    const options = gatewayOptionsFromConfig({ host: '0.0.0.0', port: 9000, apiKeys: ['${GATEWAY_KEY}'], strictParams: false }, { GATEWAY_KEY: 'from-env' }, { port: 0 });
    expect(options).toMatchObject({ host: '0.0.0.0', port: 0, apiKeys: ['from-env'], strictParams: false });
    expect(options).not.toHaveProperty('responsesTtlMs');
  });
});
