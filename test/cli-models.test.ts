import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli, tempConfig } from './cli-helpers.js';

beforeAll(ensureBuilt);

interface Listing {
  defaultBackend: string;
  backends: { name: string; kind: string; default: boolean; needs: string[]; [key: string]: unknown }[];
}

async function listing(env: Record<string, string> = {}, args: string[] = []): Promise<Listing> {
  const { status, stdout, stderr } = await runCli(['models', '--json', ...args], { env });
  expect(status, stderr).toBe(0);
  return JSON.parse(stdout) as Listing;
}

describe('hyperagent models', () => {
  it('lists every backend with provider, model, context window, prices and capabilities, also those without keys', async () => {
    const { status, stdout, stderr } = await runCli(['models']);
    expect(status, stderr).toBe(0);
    const blocks = stdout.trimEnd().split('\n\n');
    expect(blocks).toHaveLength(4);
    expect(blocks[0].split('\n')).toEqual([
      'claude  anthropic · claude-sonnet-4-6  needs ANTHROPIC_API_KEY',
      '  context window 1,000,000 tokens · max output 128,000 tokens',
      '  per 1M tokens: input $3.00 · cached $0.30 · cache write $3.75 · output $15.00',
      '  capabilities: tools, streaming, vision, thinking, prompt caching',
    ]);
    expect(blocks[1]).toMatch(/^gpt {2}openai · gpt-4o-mini {2}needs OPENAI_API_KEY\n {2}context window 128,000 tokens/);
    expect(blocks[1]).toContain('per 1M tokens: input $0.15 · cached $0.075 · cache write $0.15 · output $0.60');
    expect(blocks[2]).toContain('local  openai-compatible · llama3.2');
    expect(blocks[2]).toContain('per 1M tokens: unknown');
    expect(blocks[3]).toMatch(/^demo {2}mock · mock-model {2}default\n/);
    expect(blocks[3]).toContain('(made-up mock prices)');
  });

  it('--json parses and carries the same facts', async () => {
    const { defaultBackend, backends } = await listing();
    expect(defaultBackend).toBe('demo');
    expect(backends.map((entry) => entry.name)).toEqual(['claude', 'gpt', 'local', 'demo']);
    expect(backends[0]).toMatchObject({
      kind: 'provider',
      provider: 'anthropic',
      model: 'claude-sonnet-4-6',
      contextWindow: 1_000_000,
      needs: ['ANTHROPIC_API_KEY'],
      default: false,
      pricing: { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 },
      capabilities: { functionCalling: true, streaming: true },
    });
    expect(backends[2]).toMatchObject({ provider: 'openai-compatible', pricing: 'unknown', needs: [] });
    expect(backends[3]).toMatchObject({ provider: 'mock', default: true, needs: [] });
  });

  it('marks the default the defaultBackend list picks: claude with ANTHROPIC_API_KEY, gpt with only OPENAI_API_KEY', async () => {
    const both = await listing({ ANTHROPIC_API_KEY: 'sk-ant-test', OPENAI_API_KEY: 'sk-test' });
    expect(both.defaultBackend).toBe('claude');
    expect(both.backends.every((entry) => entry.needs.length === 0)).toBe(true);
    const openai = await listing({ OPENAI_API_KEY: 'sk-test' });
    expect(openai.defaultBackend).toBe('gpt');
    expect(openai.backends.find((entry) => entry.default)?.name).toBe('gpt');
  });

  it('shows group backends with their strategy and targets', async () => {
    const config = await tempConfig({
      defaultBackend: 'team',
      backends: {
        claude: { provider: 'anthropic', apiKey: '${ANTHROPIC_API_KEY}' },
        demo: { provider: 'mock' },
        team: { strategy: 'fallback', targets: ['claude', 'demo'] },
        spread: { strategy: 'loadbalance', targets: [{ backend: 'claude', weight: 3 }] },
      },
    });
    try {
      const { backends } = await listing({}, ['--config', config.file]);
      expect(backends.find((entry) => entry.name === 'team')).toMatchObject({ kind: 'group', strategy: 'fallback', targets: ['claude', 'demo'], default: true, needs: [] });
      expect(backends.find((entry) => entry.name === 'spread')).toMatchObject({ kind: 'group', needs: ['ANTHROPIC_API_KEY'] });
      const { stdout } = await runCli(['models', '--config', config.file]);
      expect(stdout).toContain('team  group: fallback → claude, demo  default');
      expect(stdout).toContain('spread  group: loadbalance → claude ×3  needs ANTHROPIC_API_KEY');
    } finally {
      await config.cleanup();
    }
  });

  it('has help', async () => {
    const { status, stdout } = await runCli(['models', '--help']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^Usage: hyperagent models \[--config PATH\] \[--json\]/);
  });
});
