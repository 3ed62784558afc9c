import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './cli-helpers.js';

beforeAll(ensureBuilt);

// The built CLI: the price data must have been copied into dist/core/prices/ by the bundle.
describe('hyperagent prices, built', () => {
  it('prints a model priced from the shipped snapshot, tiers included', async () => {
    const { status, stdout, stderr } = await runCli(['prices', 'gpt-5.5', '--provider', 'openai']);
    expect(status, stderr).toBe(0);
    expect(stdout).toContain('openai  gpt-5.5  (price database)');
    expect(stdout).toContain('prompts over 271,999 tokens: input $10.00');
    expect(stdout).toMatch(/source: @pydantic\/genai-prices \d+\.\d+\.\d+, prices as of \d{4}-\d{2}-\d{2}/);
  });

  it('uses the price file the config names, and says "cost unknown" for what none prices', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hyperagent-prices-cli-'));
    writeFileSync(join(dir, 'prices.json'), JSON.stringify({ models: [{ provider: 'openai', id: 'gpt-house-1', pricing: { input: 1, output: 2 }, source: 'contract', date: '2026-12-01' }] }));
    writeFileSync(join(dir, 'hyperagent.config.json'), JSON.stringify({ prices: './prices.json', backends: { demo: { provider: 'mock' } } }));
    const priced = await runCli(['prices', 'gpt-house-1'], { cwd: dir });
    expect(priced.status, priced.stderr).toBe(0);
    expect(priced.stdout).toContain('openai  gpt-house-1  (override file)');
    const unknown = await runCli(['prices', 'gpt-house-2'], { cwd: dir });
    expect(unknown.status).toBe(1);
    expect(unknown.stdout).toMatch(/^gpt-house-2: cost unknown/);
  });
});
