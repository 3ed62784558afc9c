import { describe, expect, it } from 'vitest';
import { validateConfig, type HyperAgentConfig } from '../core/config.js';
import { createHyperAgent } from '../core/create-hyper-agent.js';
import { backendMissingEnv, chooseDefaultBackend } from '../core/default-backend.js';
import { missingEnvVariables } from '../core/env.js';

const config = validateConfig({
  defaultBackend: ['claude', 'gpt', 'demo'],
  backends: {
    claude: { provider: 'anthropic', apiKey: '${ANTHROPIC_API_KEY}' },
    gpt: { provider: 'openai', apiKey: '${OPENAI_API_KEY}', baseURL: '${OPENAI_BASE_URL:-https://api.openai.com/v1}' },
    demo: { provider: 'mock' },
    team: { strategy: 'fallback', targets: ['claude', 'gpt'] },
  },
}) as HyperAgentConfig;

describe('missingEnvVariables', () => {
  it('lists each unset or empty ${VAR} once, skipping defaults and escaped references', () => {
    const value = { a: '${A}', b: ['${B}-${A}', { c: '${C:-fallback}' }], d: '$${D}', e: '${E}', n: 42 };
    expect(missingEnvVariables(value, { E: 'set' })).toEqual(['A', 'B']);
    expect(missingEnvVariables(value, { A: '', B: 'x', E: '' })).toEqual(['A', 'E']);
  });
});

describe('a defaultBackend list picks the first backend whose variables are all set', () => {
  it.each([
    [{ ANTHROPIC_API_KEY: 'a', OPENAI_API_KEY: 'o' }, 'claude', []],
    [{ OPENAI_API_KEY: 'o' }, 'gpt', [{ name: 'claude', missing: ['ANTHROPIC_API_KEY'] }]],
    [{ ANTHROPIC_API_KEY: '' }, 'demo', [{ name: 'claude', missing: ['ANTHROPIC_API_KEY'] }, { name: 'gpt', missing: ['OPENAI_API_KEY'] }]],
  ])('%j → %s', (env, name, skipped) => {
    expect(chooseDefaultBackend(config, env)).toEqual({ name, skipped, ready: true });
  });

  it('when none is ready, the first is used so that calling it names what is missing', () => {
    const strict = { ...config, defaultBackend: ['claude', 'gpt'] };
    expect(chooseDefaultBackend(strict, {})).toEqual({ name: 'claude', skipped: [], ready: false });
  });

  it('a single name is used as it is; no defaultBackend leaves the choice to the kernel', () => {
    expect(chooseDefaultBackend({ ...config, defaultBackend: 'gpt' }, {})).toMatchObject({ name: 'gpt', ready: false });
    expect(chooseDefaultBackend({ backends: config.backends }, {})).toBeUndefined();
  });

  it('a group is ready when one of its targets is, and otherwise needs what they need', () => {
    expect(backendMissingEnv(config, 'team', { OPENAI_API_KEY: 'o' })).toEqual([]);
    expect(backendMissingEnv(config, 'team', {})).toEqual(['ANTHROPIC_API_KEY', 'OPENAI_API_KEY']);
  });

  it('createHyperAgent sets the kernel default from the list and the environment it is given', async () => {
    const agent = await createHyperAgent({ config, cwd: process.cwd(), env: { OPENAI_API_KEY: 'sk-test' } });
    expect(agent.kernel.defaultBackend).toBe('gpt');
    const offline = await createHyperAgent({ config, cwd: process.cwd(), env: {} });
    expect(offline.kernel.defaultBackend).toBe('demo');
    expect(offline.backend().provider).toBe('mock');
  });
});
