import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeStyle, type CliIO } from '../cli/main.js';
import { pricesCommand } from '../cli/prices-command.js';
import { createHyperAgent } from '../core/create-hyper-agent.js';
import { ConfigError } from '../core/errors.js';
import { closeAllPools } from '../core/http.js';
import { setPriceOverrides } from '../core/pricing-table.js';
import { ReplayServer } from './replay-server.js';

const server = new ReplayServer();
beforeAll(() => server.start());
afterEach(() => setPriceOverrides(undefined));
afterAll(async () => {
  await server.stop();
  await closeAllPools();
});

const NEGOTIATED = { models: [{ provider: 'openai', id: 'gpt-4o-mini', pricing: { input: 0.1, output: 0.4 }, source: 'our contract', date: '2026-12-01' }] };

function folder(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'hyperagent-prices-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  return dir;
}

function config(prices?: string): object {
  return { backends: { gpt: { provider: 'openai', model: 'gpt-4o-mini', apiKey: 'sk-test-not-a-key', baseURL: `${server.baseURL}/v1` } }, ...(prices ? { prices } : {}) };
}

async function cli(args: string[], cwd: string): Promise<{ status: number; stdout: string }> {
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const io: CliIO = { stdin: new PassThrough(), stdout, stderr: new PassThrough(), env: {}, cwd, tty: { stdin: false, stdout: false, stderr: false }, style: makeStyle(false), errorStyle: makeStyle(false) };
  const positionals = args.filter((arg, index) => !arg.startsWith('--') && !args[index - 1]?.startsWith('--'));
  const values: Record<string, string | boolean> = {};
  args.forEach((arg, index) => {
    if (!arg.startsWith('--')) return;
    const next = args[index + 1];
    values[arg.slice(2)] = next === undefined || next.startsWith('--') ? true : next;
  });
  const status = await pricesCommand.run({ values, positionals }, io);
  return { status, stdout: text };
}

describe('prices: a config names a price file that comes first', () => {
  it('"prices": "./prices.json" prices the model at its rates, relative to the config folder', async () => {
    const dir = folder({ 'prices.json': NEGOTIATED, 'hyperagent.config.json': config('./prices.json') });
    const agent = await createHyperAgent({ cwd: dir });
    const info = agent.backend('gpt').modelInfo();
    expect(info.pricing).toEqual({ input: 0.1, output: 0.4 });
    expect(info.pricingSource).toBe(`${join(dir, 'prices.json')} (our contract, read 2026-12-01)`);
    server.enqueue('/v1/chat/completions', {
      body: JSON.stringify({ id: 'c', object: 'chat.completion', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1000, completion_tokens: 100, total_tokens: 1100 } }),
      headers: { 'content-type': 'application/json' },
    });
    const output = await agent.backend('gpt').infer([{ role: 'user', content: 'hi' }]);
    expect(output.metadata.costUsd).toBeCloseTo((1000 * 0.1 + 100 * 0.4) / 1e6, 12);
  });

  it('without it, the shipped snapshot prices the same model', async () => {
    const agent = await createHyperAgent({ config: config() as never, cwd: folder({}) });
    expect(agent.backend('gpt').modelInfo().pricing).toMatchObject({ input: 0.15, output: 0.6, cachedInput: 0.075 });
  });

  it('a bad price file is a ConfigError that names the file and each bad field', async () => {
    const dir = folder({ 'prices.json': { models: [{ provider: 'openai', id: 'x', pricing: { input: -1 } }] }, 'hyperagent.config.json': config('./prices.json') });
    const error = await createHyperAgent({ cwd: dir }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(join(dir, 'prices.json'));
    expect((error as ConfigError).problems.map((problem) => problem.path)).toEqual(['/models/0/pricing/input', '/models/0/pricing/output']);
    const missing = await createHyperAgent({ cwd: folder({ 'hyperagent.config.json': config('./nowhere.json') }) }).catch((caught: unknown) => caught);
    expect((missing as Error).message).toMatch(/Cannot read the price file .*nowhere\.json \(ENOENT\).*prices update --from/);
  });

  it('the config schema takes "prices" and nothing but a path', async () => {
    await expect(createHyperAgent({ config: { ...config(), prices: 3 } as never, cwd: folder({}) })).rejects.toThrow(/prices/);
  });
});

describe('hyperagent prices', () => {
  it('names the snapshot, its date and the override file in use', async () => {
    const dir = folder({ 'prices.json': NEGOTIATED, 'hyperagent.config.json': config('./prices.json') });
    const { status, stdout } = await cli([], dir);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^prices: @pydantic\/genai-prices \d+\.\d+\.\d+, as of \d{4}-\d{2}-\d{2}: \d{4} models of 16 providers \(openai, anthropic, /);
    expect(stdout).toContain("HyperAgent's own dated entries (models the database lacks): 2");
    expect(stdout).toContain(`override file: ${join(dir, 'prices.json')}`);
  });

  it("shows a model's prices on each provider that has it, tiers included", async () => {
    const { status, stdout } = await cli(['claude-sonnet-4-5', '--provider', 'anthropic'], folder({}));
    expect(status).toBe(0);
    expect(stdout.split('\n')).toEqual([
      'anthropic  claude-sonnet-4-5  (price database)',
      '  per 1M tokens: input $3.00 · cached $0.30 · cache write 5m $3.75 · cache write 1h $6.00 · output $15.00',
      '  prompts over 200,000 tokens: input $6.00 · cached $0.60 · cache write 5m $7.50 · cache write 1h $12.00 · output $22.50',
      '  not charged by HyperAgent: web_searches_kcount',
      expect.stringMatching(/^ {2}source: @pydantic\/genai-prices .*, prices as of \d{4}-\d{2}-\d{2} \(https:\/\/www\.anthropic\.com\/pricing#api\)$/),
      '',
    ]);
    const everywhere = await cli(['gpt-4o-mini'], folder({}));
    expect(everywhere.stdout).toMatch(/^openai {2}gpt-4o-mini {2}\(price database\)\n {2}per 1M tokens: input \$0\.15 · cached \$0\.075/);
  });

  it('an unpriced model: "cost unknown", exit 1', async () => {
    const { status, stdout } = await cli(['gpt-imaginary-9'], folder({}));
    expect(status).toBe(1);
    expect(stdout).toMatch(/^gpt-imaginary-9: cost unknown: no price in @pydantic\/genai-prices/);
  });

  it('update --from FILE writes ./prices.json, merging by provider and id; --from URL reads it over HTTP', async () => {
    const dir = folder({ 'mine.json': NEGOTIATED });
    const first = await cli(['update', '--from', 'mine.json'], dir);
    expect(first).toEqual({ status: 0, stdout: 'wrote prices.json: 1 model (1 from mine.json, 0 kept)\nName it in the config to use it: "prices": "./prices.json"\n' });
    const newer = { models: [{ provider: 'openai', id: 'gpt-4o-mini', pricing: { input: 0.09, output: 0.36 } }, { provider: 'acme', id: 'acme-1', pricing: { input: 1, output: 1 } }] };
    server.enqueue('/prices.json', { body: JSON.stringify(newer), headers: { 'content-type': 'application/json' } });
    const second = await cli(['update', '--from', `${server.baseURL}/prices.json`], dir);
    expect(second.status).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'prices.json'), 'utf8')).models).toEqual(newer.models);
    writeFileSync(join(dir, 'hyperagent.config.json'), JSON.stringify(config('./prices.json')));
    expect((await cli(['acme-1', '--provider', 'acme'], dir)).stdout).toContain('acme  acme-1  (override file)');
  });

  it('update refuses what is not a price file, and writes nothing', async () => {
    const dir = folder({ 'bad.json': { models: [{ provider: 'openai' }] } });
    await expect(cli(['update', '--from', 'bad.json'], dir)).rejects.toThrow(/bad\.json has 2 problems:\n {2}\/models\/0\/id: must be a model id\n {2}\/models\/0\/pricing: must be an object/);
    server.enqueue('/gone.json', { status: 404, body: 'not found' });
    await expect(cli(['update', '--from', `${server.baseURL}/gone.json`], dir)).rejects.toThrow(/answered HTTP 404/);
    await expect(cli(['update'], dir)).rejects.toThrow(/needs --from/);
    expect(existsSync(join(dir, 'prices.json'))).toBe(false);
  });
});
