import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { didYouMean, editDistance } from '../core/config-errors.js';
import { configProblems, loadConfig, readConfigFile, validateConfig } from '../core/config.js';
import { createHyperAgent } from '../core/create-hyper-agent.js';
import { interpolateEnv, resolveBackendConfig } from '../core/env.js';
import { ConfigError, MissingApiKeyError, type HyperAgentError } from '../core/errors.js';
import { user } from '../core/messages.js';

const fixtures = resolve(import.meta.dirname, 'fixtures');
const configFixtures = join(fixtures, 'config');
const pluginFixtures = join(fixtures, 'plugins');

function problemsOf(raw: unknown): Array<{ path: string; message: string }> {
  return configProblems(raw).map(({ path, message }) => ({ path, message }));
}

function configErrorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

const fakeProvider = '../../plugins/fake-provider.js';

describe('schema problems, in words, at JSON paths', () => {
  it('names an unknown key and suggests the one that was meant', () => {
    expect(problemsOf({ backends: { claude: { provider: 'anthropic', modle: 'claude-3-5-sonnet' } } })).toEqual([
      { path: '/backends/claude/modle', message: 'unknown key "modle" — did you mean "model"?' },
    ]);
  });

  it('lists the allowed keys when nothing is close', () => {
    const [problem] = problemsOf({ backends: { a: { provider: 'mock' } }, server: { wibble: 1 } });
    expect(problem.path).toBe('/server/wibble');
    expect(problem.message).toBe('unknown key "wibble" (allowed here: host, port, apiKeys, maxBodyBytes, cors, strictParams, responsesTtlMs)');
  });

  it('says what type was expected and what it got', () => {
    expect(problemsOf({ backends: { claude: { provider: 'anthropic', maxTokens: 'many' } } })).toEqual([
      { path: '/backends/claude/maxTokens', message: 'must be an integer (got "many")' },
    ]);
  });

  it('reports a missing required key on its object', () => {
    expect(problemsOf({ backends: { claude: { model: 'x' } } })).toEqual([{ path: '/backends/claude', message: 'missing required key "provider"' }]);
    expect(problemsOf({})).toEqual([{ path: '/', message: 'missing required key "backends"' }]);
  });

  it('lists the allowed values of an enum', () => {
    expect(problemsOf({ backends: { a: { provider: 'mock' }, team: { strategy: 'roundrobin', targets: ['a'] } } })).toEqual([
      { path: '/backends/team/strategy', message: 'must be one of: fallback, loadbalance (got "roundrobin")' },
    ]);
    expect(problemsOf({ backends: { a: { provider: 'mock' }, team: { strategy: 'falback', targets: ['a'] } } })[0].message).toBe(
      'must be one of: fallback, loadbalance (got "falback" — did you mean "fallback"?)',
    );
  });

  it('checks a group (with "strategy") as a group and anything else as a provider backend', () => {
    expect(problemsOf({ backends: { a: { provider: 'mock' }, team: { strategy: 'fallback', targets: ['a'], model: 'x' } } })).toEqual([
      { path: '/backends/team/model', message: 'unknown key "model" (allowed here: strategy, targets, fallbackOn, cooldown)' },
    ]);
    expect(problemsOf({ backends: { a: { provider: 'mock' }, team: { strategy: 'loadbalance' } } })).toEqual([
      { path: '/backends/team', message: 'missing required key "targets"' },
    ]);
  });

  it('gives one problem per mistake inside either-or shapes (plugins, targets, cors)', () => {
    const raw = {
      backends: {
        a: { provider: 'mock' },
        team: { strategy: 'loadbalance', targets: [3, { backend: 'a', weight: 0 }] },
      },
      plugins: ['retry', 42, ['logging', 'verbose'], []],
      server: { cors: true, port: 70000 },
    };
    expect(problemsOf(raw)).toEqual([
      { path: '/backends/team/targets/0', message: 'must be a string or an object (got 3)' },
      { path: '/backends/team/targets/1/weight', message: 'must be greater than 0 (got 0)' },
      { path: '/plugins/1', message: 'must be a string or an array (got 42)' },
      { path: '/plugins/2/1', message: 'must be an object (got "verbose")' },
      { path: '/plugins/3', message: 'must not be empty' },
      { path: '/server/port', message: 'must be at most 65535 (got 70000)' },
      { path: '/server/cors', message: 'must be false or an object (got true)' },
    ]);
  });

  it('reports every problem at once, each with its JSON path', () => {
    const error = configErrorOf(() =>
      validateConfig(
        {
          defaultBackend: 'cluade',
          backends: {
            claude: { provider: 'anthropic', modle: 'x', maxTokens: 'many', rateLimits: { rpm: -1 } },
            'bad name': { provider: 'mock' },
          },
          plugins: [7],
          extra: true,
        },
        '/somewhere/hyperagent.config.json',
      ),
    );
    expect(error.code).toBe('HA_CONFIG');
    expect(error.file).toBe('/somewhere/hyperagent.config.json');
    expect(error.problems.map((p) => p.path).sort()).toEqual(
      [
        '/extra',
        '/backends/bad name',
        '/backends/claude/modle',
        '/backends/claude/maxTokens',
        '/backends/claude/rateLimits/rpm',
        '/plugins/0',
        '/defaultBackend',
      ].sort(),
    );
    expect(error.message).toContain('Invalid HyperAgent config in /somewhere/hyperagent.config.json (7 problems):');
    for (const problem of error.problems) expect(error.message).toContain(`  ${problem.path}: ${problem.message}`);
  });

  it('does not print values stored under secret keys', () => {
    const [problem] = problemsOf({ backends: { a: { provider: 'mock', headers: { Authorization: 12345678 } } } });
    expect(problem).toEqual({ path: '/backends/a/headers/Authorization', message: 'must be a string (got a number)' });
  });

  it('accepts a full config and returns it deep-frozen with ${VAR}s untouched', () => {
    const config = validateConfig({
      $schema: './schemas/hyperagent.config.schema.json',
      defaultBackend: 'team',
      backends: {
        claude: {
          provider: 'anthropic',
          model: 'claude-3-5-sonnet-20241022',
          apiKey: '${ANTHROPIC_API_KEY}',
          baseURL: '${ANTHROPIC_BASE_URL:-https://api.anthropic.com}',
          rateLimits: { rpm: 50, tpm: 40000, maxConcurrent: 4 },
          maxTokens: 1024,
          timeoutMs: 60000,
          headers: { 'x-team': 'research' },
          options: { anything: ['goes', 'here'] },
        },
        gpt: { provider: 'openai' },
        team: { strategy: 'fallback', targets: ['claude', { backend: 'gpt', weight: 2 }], fallbackOn: ['HA_RATE_LIMITED'], cooldown: { failures: 3, windowMs: 60000, cooldownMs: 30000 } },
      },
      plugins: ['logging', ['retry', { maxRetries: 3 }]],
      server: { host: '0.0.0.0', port: 8080, apiKeys: ['${GATEWAY_KEY}'], maxBodyBytes: 1048576, cors: { origins: ['https://example.com'] } },
    });
    expect((config.backends.claude as { apiKey: string }).apiKey).toBe('${ANTHROPIC_API_KEY}');
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.backends.claude)).toBe(true);
    expect(Object.isFrozen((config.backends.claude as { options: object }).options)).toBe(true);
    expect(validateConfig({ backends: { a: { provider: 'mock' } }, server: { cors: false } }).server?.cors).toBe(false);
  });
});

describe('names must point at backends', () => {
  it('catches a defaultBackend typo and suggests the backend', () => {
    expect(problemsOf({ defaultBackend: 'cluade', backends: { claude: { provider: 'anthropic' }, gpt: { provider: 'openai' } } })).toEqual([
      { path: '/defaultBackend', message: 'no backend is named "cluade" — did you mean "claude"?' },
    ]);
    expect(problemsOf({ defaultBackend: 'zzz', backends: { claude: { provider: 'anthropic' } } })[0].message).toBe(
      'no backend is named "zzz" (configured: claude)',
    );
  });

  it('checks group targets', () => {
    expect(problemsOf({ backends: { gpt: { provider: 'openai' }, team: { strategy: 'fallback', targets: ['gtp', { backend: 'nope' }] } } })).toEqual([
      { path: '/backends/team/targets/0', message: 'no backend is named "gtp" — did you mean "gpt"?' },
      { path: '/backends/team/targets/1/backend', message: 'no backend is named "nope" (configured: gpt)' },
    ]);
  });

  it('finds groups that target each other in a loop', () => {
    const problems = problemsOf({
      backends: {
        a: { strategy: 'fallback', targets: ['b'] },
        b: { strategy: 'loadbalance', targets: ['real', 'a'] },
        self: { strategy: 'fallback', targets: ['self'] },
        real: { provider: 'mock' },
      },
    });
    expect(problems).toEqual([
      { path: '/backends/a/targets', message: 'group backends target each other in a loop: a → b → a' },
      { path: '/backends/self/targets', message: 'group backends target each other in a loop: self → self' },
    ]);
  });
});

describe('prototype-polluting keys', () => {
  it('reports __proto__, constructor and prototype anywhere and never merges them', () => {
    const raw = JSON.parse(
      '{"backends": {"a": {"provider": "mock", "__proto__": {"polluted": true}, "options": {"constructor": {"prototype": {"x": 1}}}}}, "plugins": [["retry", {"prototype": 1}]]}',
    ) as unknown;
    const error = configErrorOf(() => validateConfig(raw));
    expect(error.problems.map((p) => p.path)).toEqual(['/backends/a/__proto__', '/backends/a/options/constructor', '/plugins/0/1/prototype']);
    expect(error.problems[0].message).toBe('the key "__proto__" is not allowed (it could change object prototypes); remove it');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('does not take a backend named "constructor"', () => {
    expect(problemsOf(JSON.parse('{"backends": {"constructor": {"provider": "mock"}}}'))).toEqual([
      { path: '/backends/constructor', message: 'the key "constructor" is not allowed (it could change object prototypes); remove it' },
    ]);
  });
});

describe('finding the config file (cosmiconfig)', () => {
  it.each([
    ['hyperagent.config.json', 'json', 'found-json'],
    ['.hyperagentrc', 'rc', 'found-rc'],
    ['.hyperagentrc.json', 'rc-json', 'found-rc-json'],
    ['package.json', 'package', 'found-package'],
  ])('finds %s', async (file, dir, backend) => {
    const cwd = join(configFixtures, 'search', dir);
    const loaded = await loadConfig({ cwd });
    expect(loaded.filepath).toBe(join(cwd, file));
    expect(loaded.configDir).toBe(cwd);
    expect(Object.keys(loaded.config.backends)).toEqual([backend]);
    expect(Object.isFrozen(loaded.config)).toBe(true);
  });

  describe('in a scratch project', () => {
    let root: string;
    beforeAll(async () => {
      root = await mkdtemp(join(tmpdir(), 'hyperagent-config-'));
    });
    afterAll(async () => {
      await rm(root, { recursive: true, force: true });
    });

    it('looks upward from a subfolder to the project root', async () => {
      const project = join(root, 'project');
      await mkdir(join(project, 'src', 'deep'), { recursive: true });
      await writeFile(join(project, 'package.json'), '{"name": "p"}');
      await writeFile(join(project, 'hyperagent.config.json'), '{"backends": {"up": {"provider": "mock"}}}');
      const loaded = await loadConfig({ cwd: join(project, 'src', 'deep') });
      expect(loaded.filepath).toBe(join(project, 'hyperagent.config.json'));
      expect(loaded.configDir).toBe(project);
    });

    it('prefers hyperagent.config.json over package.json#hyperagent', async () => {
      const dir = join(root, 'both');
      await mkdir(dir);
      await writeFile(join(dir, 'package.json'), '{"name": "p", "hyperagent": {"backends": {"pkg": {"provider": "mock"}}}}');
      await writeFile(join(dir, 'hyperagent.config.json'), '{"backends": {"file": {"provider": "mock"}}}');
      expect(Object.keys((await loadConfig({ cwd: dir })).config.backends)).toEqual(['file']);
    });

    it('says how to create a config when none is found', async () => {
      const dir = join(root, 'nothing-here');
      await mkdir(dir);
      const error = await loadConfig({ cwd: dir }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain(`No HyperAgent config found in ${dir}`);
      expect((error as Error).message).toContain('Create hyperagent.config.json, for example:');
      expect((error as Error).message).toContain('"backends"');
      expect((error as Error).message).toContain('or pass --config <path>');
    });

    it('loads an explicit --config path relative to cwd', async () => {
      await writeFile(join(root, 'custom.json'), '{"backends": {"explicit": {"provider": "mock"}}}');
      const loaded = await loadConfig({ cwd: root, configPath: 'custom.json' });
      expect(loaded.filepath).toBe(join(root, 'custom.json'));
      expect(Object.keys(loaded.config.backends)).toEqual(['explicit']);
      await expect(loadConfig({ cwd: root, configPath: 'missing.json' })).rejects.toThrow(`Config file not found: ${join(root, 'missing.json')}`);
    });

    it('rejects an empty file, naming it', async () => {
      const dir = join(root, 'empty');
      await mkdir(dir);
      await writeFile(join(dir, 'hyperagent.config.json'), '  \n');
      const error = (await loadConfig({ cwd: dir }).catch((e: unknown) => e)) as ConfigError;
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).toContain(`${join(dir, 'hyperagent.config.json')} is empty`);
    });

    it('reads .hyperagentrc as strict JSON, not YAML', async () => {
      const dir = join(root, 'yaml-rc');
      await mkdir(dir);
      await writeFile(join(dir, '.hyperagentrc'), 'backends:\n  a:\n    provider: mock\n');
      await expect(loadConfig({ cwd: dir })).rejects.toThrow(/\.hyperagentrc is not valid JSON: .* at line 1, column 1\./);
    });

    it('rejects $import, which cosmiconfig would otherwise merge in', async () => {
      await writeFile(join(root, 'imports.json'), '{"$import": "./other.json", "backends": {"a": {"provider": "mock"}}}');
      await expect(loadConfig({ cwd: root, configPath: 'imports.json' })).rejects.toThrow('"$import" is not supported');
    });
  });

  it('names the file and the line and column of a JSON syntax error', async () => {
    const file = join(configFixtures, 'invalid', 'not-json.json');
    const error = (await readConfigFile({ configPath: file }).catch((e: unknown) => e)) as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.file).toBe(file);
    expect(error.message).toBe(`${file} is not valid JSON: Expected ',' or '}' after property value at line 4, column 5.`);
  });

  it('finds the position of an unexpected token too', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hyperagent-token-'));
    await writeFile(join(dir, 'c.json'), '{\n  "backends": {\n    "a": }\n}');
    await expect(readConfigFile({ cwd: dir, configPath: 'c.json' })).rejects.toThrow(/at line 3, column 10\./);
    await rm(dir, { recursive: true, force: true });
  });

  it('validates what it loads', async () => {
    const error = (await loadConfig({ configPath: join(configFixtures, 'invalid', 'three-mistakes.json') }).catch((e: unknown) => e)) as ConfigError;
    expect(error.problems.map((p) => p.path)).toEqual(['/backends/fake/modle', '/backends/fake/maxTokens']);
  });
});

describe('${VAR} interpolation', () => {
  const env = { HOST: 'example.com', EMPTY: '' };

  it('replaces ${VAR} and ${VAR:-default} in nested strings, copying objects', () => {
    const value = { url: 'https://${HOST}/v1', list: ['${MISSING:-fallback}', '${EMPTY:-used when empty}'], n: 3, literal: '$${HOST}' };
    const result = interpolateEnv(value, env, '/x');
    expect(result).toEqual({ url: 'https://example.com/v1', list: ['fallback', 'used when empty'], n: 3, literal: '${HOST}' });
    expect(value.url).toBe('https://${HOST}/v1');
  });

  it('names the backend, the variable and where it is used', () => {
    const error = configErrorOf(() => resolveBackendConfig('local', { provider: 'openai-compatible', baseURL: '${LOCAL_URL}' }, {}));
    expect(error.message).toBe('backend "local": environment variable LOCAL_URL is not set (used at /backends/local/baseURL). Set it or remove the key.');
    expect(error.problems).toEqual([{ path: '/backends/local/baseURL', message: 'environment variable LOCAL_URL is not set' }]);
  });

  it('makes a missing variable that holds the API key a missing API key (which a fallback group can move on from)', () => {
    const missingKey = (headers?: Record<string, string>) => {
      try {
        resolveBackendConfig('claude', { provider: 'anthropic', apiKey: '${ANTHROPIC_API_KEY}', ...(headers ? { headers } : {}) }, {});
      } catch (error) {
        return error as HyperAgentError;
      }
      throw new Error('expected an error');
    };
    const error = missingKey();
    expect(error).toBeInstanceOf(MissingApiKeyError);
    expect(error.code).toBe('HA_MISSING_API_KEY');
    expect(error.message).toBe('backend "claude": environment variable ANTHROPIC_API_KEY is not set (used at /backends/claude/apiKey). Set it or remove the key.');
    // A key header counts as credentials too; any other missing variable makes it a config error.
    expect(missingKey({ 'X-Api-Key': '${OTHER_KEY}' })).toBeInstanceOf(MissingApiKeyError);
    expect(missingKey({ 'x-org': '${ORG}' })).toBeInstanceOf(ConfigError);
  });

  it('reports every missing variable of a backend together', () => {
    const error = configErrorOf(() => resolveBackendConfig('b', { provider: 'x', apiKey: '${A}', headers: { 'x-org': '${B}' } }, { B: '' }));
    expect(error.message).toBe('backend "b": environment variables A, B are not set (used at /backends/b/apiKey, /backends/b/headers/x-org). Set them or remove the keys.');
    expect(error.problems[1].message).toBe('environment variable B is set but empty');
  });

  it('rejects a malformed reference', () => {
    expect(() => interpolateEnv('${not a name}', {}, '/backends/a/model')).toThrow('"${not a name}" at /backends/a/model is not a valid environment reference');
  });

  it('resolves a backend and leaves its provider as written', () => {
    const resolved = resolveBackendConfig('local', { provider: '${NOT_INTERPOLATED}', baseURL: '${BASE:-http://127.0.0.1:11434/v1}', options: { region: '${HOST}' } }, env);
    expect(resolved).toEqual({ provider: '${NOT_INTERPOLATED}', baseURL: 'http://127.0.0.1:11434/v1', options: { region: 'example.com' } });
    expect(Object.isFrozen(resolved.options)).toBe(true);
  });
});

describe('environment variables are read when a backend is first used, not at load', () => {
  const config = {
    defaultBackend: 'fake',
    backends: {
      fake: { provider: './fake-provider.js', apiKey: '${FAKE_API_KEY}', baseURL: '${FAKE_BASE_URL:-http://127.0.0.1:9/v1}' },
      other: { provider: './fake-provider.js', model: '${OTHER_MODEL}' },
    },
  };

  it('loads without the variables and fails on first use, naming backend and variable', async () => {
    const agent = await createHyperAgent({ config, cwd: pluginFixtures, env: {} });
    expect(agent.backendNames).toEqual(['fake', 'other']);
    expect(() => agent.backend('fake')).toThrow(
      'backend "fake": environment variable FAKE_API_KEY is not set (used at /backends/fake/apiKey). Set it or remove the key.',
    );
    expect(() => agent.backend('fake')).toThrow(MissingApiKeyError);
    expect(() => agent.backend('other')).toThrow('backend "other": environment variable OTHER_MODEL is not set');
  });

  it('uses the value, or the default, once they are there', async () => {
    const agent = await createHyperAgent({ config, cwd: pluginFixtures, env: { FAKE_API_KEY: 'sk-test-not-a-real-key-000' } });
    const output = await agent.backend().infer([user('ping')]);
    expect(output.content).toBe('echo: ping');
    expect(output.metadata).toMatchObject({ backendName: 'fake', baseURL: 'http://127.0.0.1:9/v1', hasApiKey: true, backend: 'fake' });
  });
});

describe('did-you-mean', () => {
  it('counts a swap of two letters as one edit and ignores case', () => {
    expect(editDistance('modle', 'model')).toBe(1);
    expect(didYouMean('baseUrl', ['baseURL', 'model'])).toBe('baseURL');
    expect(didYouMean('maxToken', ['maxTokens', 'timeoutMs'])).toBe('maxTokens');
    expect(didYouMean('xyz', ['model', 'provider'])).toBeUndefined();
  });
});
