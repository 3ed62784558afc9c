import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HyperAgentConfig } from '../core/config.js';
import { checkConfig, createHyperAgent } from '../core/create-hyper-agent.js';
import { definePlugin, defineProvider, isPluginDefinition, isProviderDefinition } from '../core/define.js';
import { ConfigError, PluginLoadError } from '../core/errors.js';
import { Kernel } from '../core/kernel.js';
import { user } from '../core/messages.js';
import { BUILTIN_PLUGINS, BUILTIN_PROVIDERS, loadPlugin, loadProvider, optionsProblems, resolveModule, validateOptions } from '../core/plugin-loader.js';

const pluginDir = resolve(import.meta.dirname, 'fixtures', 'plugins');
const configDir = resolve(import.meta.dirname, 'fixtures', 'config', 'valid');

async function loadError(promise: Promise<unknown>): Promise<PluginLoadError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PluginLoadError);
  return error as PluginLoadError;
}

describe('finding a module', () => {
  it('imports a provider from a path relative to the config folder', async () => {
    const provider = await loadProvider('../../plugins/fake-provider.js', configDir);
    expect(provider.name).toBe('fake');
    expect(isProviderDefinition(provider)).toBe(true);
  });

  it('tries .js and index.js when the path has no extension', () => {
    expect(resolveModule('./fake-provider', pluginDir, 'provider').path).toBe(join(pluginDir, 'fake-provider.js'));
  });

  it('takes a named `provider` export when there is no default', async () => {
    expect((await loadProvider('./async-provider.js', pluginDir)).name).toBe('async-fake');
  });

  it('imports an npm package installed next to the config', async () => {
    const resolved = resolveModule('hyperagent-provider-fake', pluginDir, 'provider');
    expect(resolved).toEqual({ spec: 'hyperagent-provider-fake', source: 'package', path: join(pluginDir, 'node_modules', 'hyperagent-provider-fake', 'index.js') });
    expect((await loadProvider('hyperagent-provider-fake', pluginDir)).name).toBe('packaged-fake');
  });

  it('imports an ESM-only package that exports only an "import" condition', async () => {
    expect(resolveModule('hyperagent-plugin-esm-only', pluginDir, 'plugin').path).toBe(join(pluginDir, 'node_modules', 'hyperagent-plugin-esm-only', 'plugin.js'));
    expect((await loadPlugin('hyperagent-plugin-esm-only', pluginDir)).name).toBe('esm-only');
  });

  it('knows the built-in names, and a missing built-in module is a PluginLoadError, not a crash', async () => {
    expect(Object.keys(BUILTIN_PROVIDERS)).toEqual(['openai', 'anthropic', 'openrouter', 'openai-compatible', 'groq', 'deepseek', 'xai', 'together', 'fireworks', 'cerebras', 'perplexity', 'deepinfra', 'vllm', 'llamacpp', 'lmstudio', 'azure', 'bedrock', 'google', 'vertex', 'mistral', 'cohere', 'ollama', 'mock']);
    expect(Object.keys(BUILTIN_PLUGINS)).toEqual(['retry', 'rate-limit', 'logging', 'approval', 'cost']);
    for (const name of Object.keys(BUILTIN_PROVIDERS)) {
      await loadProvider(name, pluginDir).then(
        (definition) => expect(isProviderDefinition(definition)).toBe(true),
        (error: unknown) => {
          expect(error).toBeInstanceOf(PluginLoadError);
          expect((error as Error).message).toContain(`The built-in provider "${name}" is not available`);
        },
      );
    }
    for (const name of Object.keys(BUILTIN_PLUGINS)) {
      await loadPlugin(name, pluginDir).then(
        (definition) => expect(isPluginDefinition(definition)).toBe(true),
        (error: unknown) => expect(error).toBeInstanceOf(PluginLoadError),
      );
    }
  });
});

describe('modules that cannot be used', () => {
  it('a path with no file names the module and the resolved path', async () => {
    const error = await loadError(loadProvider('./missing-provider.js', pluginDir));
    expect(error.module).toBe('./missing-provider.js');
    expect(error.code).toBe('HA_PLUGIN_LOAD');
    expect(error.message).toBe(
      `Cannot load provider "./missing-provider.js": no file at ${join(pluginDir, 'missing-provider.js')} (relative paths are resolved from the config file's folder, ${pluginDir}).`,
    );
  });

  it('a package that is not installed suggests the built-in that was meant', async () => {
    const error = await loadError(loadProvider('opneai', pluginDir));
    expect(error.message).toContain(`Cannot load provider "opneai": no package "opneai" is installed where the config is (${pluginDir})`);
    expect(error.message).toContain('Did you mean the built-in provider "openai"?');
  });

  it('a module without a default export says what it exports', async () => {
    const error = await loadError(loadProvider('./no-default-export.js', pluginDir));
    expect(error.message).toBe(
      `The provider module "./no-default-export.js" (${join(pluginDir, 'no-default-export.js')}) has no default export made with defineProvider (it exports: helper, somethingElse). Export default defineProvider({ name, ... }).`,
    );
  });

  it('a default export of the wrong shape is described', async () => {
    const error = await loadError(loadProvider('./wrong-default-export.js', pluginDir));
    expect(error.message).toContain('has a default export that is an object with keys name, options, lacking create() (a function), not a provider made with defineProvider');
  });

  it('a plugin listed as a provider (and the reverse) says where it belongs', async () => {
    expect((await loadError(loadProvider('./tag-plugin.js', pluginDir))).message).toContain('exports a plugin made with definePlugin, not a provider: list it under "plugins".');
    expect((await loadError(loadPlugin('./fake-provider.js', pluginDir))).message).toContain(`exports a provider made with defineProvider, not a plugin: list it as a backend's "provider".`);
  });

  it('a syntax error names the module, the path and the reason', async () => {
    const error = await loadError(loadProvider('./syntax-error.js', pluginDir));
    expect(error.message).toMatch(new RegExp(`^Cannot load provider "\\./syntax-error\\.js" from ${join(pluginDir, 'syntax-error.js').replace(/[.]/g, '\\.')}: .+`));
    expect(error.cause).toBeDefined();
  });

  it('a module that throws while loading names the module, the path and the error', async () => {
    const error = await loadError(loadPlugin('./throws-at-load.js', pluginDir));
    expect(error.message).toBe(`Cannot load plugin "./throws-at-load.js" from ${join(pluginDir, 'throws-at-load.js')}: boom at load time.`);
  });
});

describe('options are checked against the module schema', () => {
  it('lists every problem with its JSON path and names the module', async () => {
    const plugin = await loadPlugin('./tag-plugin.js', pluginDir);
    expect(optionsProblems(plugin, { tag: '', colour: 'red' }, '/plugins/0/1')).toEqual([
      { path: '/plugins/0/1/colour', message: 'unknown key "colour" (allowed here: tag, upper)' },
      { path: '/plugins/0/1/tag', message: 'must not be empty' },
    ]);
    let error: unknown;
    try {
      validateOptions(plugin, { upper: 'yes' }, '/plugins/0/1', './tag-plugin.js');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PluginLoadError);
    expect((error as PluginLoadError).module).toBe('./tag-plugin.js');
    expect((error as Error).message).toBe(
      'Invalid options for the plugin "tag" (from "./tag-plugin.js") at /plugins/0/1 (2 problems):\n' +
        '  /plugins/0/1: missing required key "tag"\n' +
        '  /plugins/0/1/upper: must be true or false (got "yes")',
    );
  });

  it('accepts anything when there is no schema, and reports a schema that does not compile', () => {
    const loose = definePlugin({ name: 'loose', apply() {} });
    expect(optionsProblems(loose, { any: 'thing' }, '/plugins/0/1')).toEqual([]);
    const broken = defineProvider({ name: 'broken', optionsSchema: { type: 'no-such-type' }, create: () => undefined as never });
    expect(() => optionsProblems(broken, {}, '/backends/x/options')).toThrow(PluginLoadError);
    expect(() => optionsProblems(broken, {}, '/backends/x/options')).toThrow('The provider "broken" has an invalid optionsSchema');
  });

  it('understands draft-07 schemas as well as 2020-12', () => {
    const provider = defineProvider({
      name: 'old-style',
      optionsSchema: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: { n: { type: 'integer' } } },
      create: () => undefined as never,
    });
    expect(optionsProblems(provider, { n: 1.5 }, '/backends/x/options')).toEqual([{ path: '/backends/x/options/n', message: 'must be an integer (got 1.5)' }]);
  });
});

describe('createHyperAgent with third-party modules', () => {
  const config: HyperAgentConfig = {
    defaultBackend: 'local',
    backends: {
      local: { provider: './fake-provider.js', model: 'fake-1', options: { greeting: 'hello' } },
      packaged: { provider: 'hyperagent-provider-fake', options: { suffix: '!' } },
      later: { provider: './async-provider.js', model: 'async-1' },
      team: { strategy: 'fallback', targets: ['local', 'packaged'] },
    },
    plugins: [['./tag-plugin.js', { tag: 'tagged' }], 'hyperagent-plugin-esm-only'],
  };

  it('uses a provider from a relative path and one from a package, through the kernel and its plugins', async () => {
    const agent = await createHyperAgent({ config, cwd: pluginDir, env: {} });
    expect(agent.configDir).toBe(pluginDir);
    expect(agent.configPath).toBeUndefined();
    expect(agent.kernel.plugins).toEqual(['tag', 'esm-only']);
    expect(agent.backendNames).toEqual(['local', 'packaged', 'later', 'team']);
    expect(agent.kernel.defaultBackend).toBe('local');

    const local = await agent.backend().infer([user('hi there')]);
    expect(local.content).toBe('hello: hi there [tagged]');
    expect(local.metadata.backend).toBe('local');
    expect(local.metadata.costUsd).toBeCloseTo((3 * 1 + 2 * 2) / 1_000_000);

    const packaged = await agent.backend('packaged').infer([user('hey')]);
    expect(packaged.content).toBe('packaged: hey! [tagged]');
    expect(packaged.metadata.provider).toBe('packaged-fake');
  });

  it('refuses a provider whose create() returns a Promise, naming it, when the backend is first used', async () => {
    const agent = await createHyperAgent({ config, cwd: pluginDir, env: {} });
    expect(() => agent.backend('later')).toThrow(/"async-fake" returned a Promise from create\(\) for backend "later": create\(\) must be synchronous/);
  });

  it('assembles into a kernel that was passed in', async () => {
    const kernel = new Kernel();
    const agent = await createHyperAgent({ config, cwd: pluginDir, env: {}, kernel });
    expect(agent.kernel).toBe(kernel);
    expect(kernel.has('local')).toBe(true);
  });

  it('loads a config file by path and resolves modules from its folder', async () => {
    const agent = await createHyperAgent({ config: join(configDir, 'hyperagent.config.json'), env: { FAKE_API_KEY: 'sk-test-0000000000000000' } });
    expect(agent.configPath).toBe(join(configDir, 'hyperagent.config.json'));
    expect((await agent.backend().infer([user('x')])).content).toBe('hi: x [checked]');
  });

  it('reports bad backend options and bad plugin options together, naming the modules and paths', async () => {
    const bad: HyperAgentConfig = {
      backends: { local: { provider: './fake-provider.js', options: { region: 'mars' } } },
      plugins: [['./tag-plugin.js', { tag: 7 }]],
    };
    const error = (await createHyperAgent({ config: bad, cwd: pluginDir, env: {} }).catch((e: unknown) => e)) as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.problems).toEqual([
      { path: '/backends/local/options/region', message: 'must be one of: eu, us (got "mars")' },
      { path: '/plugins/0/1/tag', message: 'must be a string (got 7)' },
    ]);
    expect(error.message).toContain('Invalid options for provider "./fake-provider.js", plugin "./tag-plugin.js"');
    expect(error.message).toContain('/plugins/0/1/tag: must be a string (got 7)');
  });

  it('names a plugin whose apply() throws', async () => {
    const error = await loadError(createHyperAgent({ config: { backends: config.backends, plugins: ['./throwing-plugin.js'] }, cwd: pluginDir, env: {} }));
    expect(error.module).toBe('./throwing-plugin.js');
    expect(error.message).toBe('The plugin "throwing" (./throwing-plugin.js, /plugins/0) failed while being applied: the throwing plugin needs a database');
  });

  it('names every module that fails to load', async () => {
    const error = await loadError(
      createHyperAgent({ config: { backends: { a: { provider: './nope.js' } }, plugins: ['./no-default-export.js'] }, cwd: pluginDir, env: {} }),
    );
    expect(error.message).toContain('Cannot load provider "./nope.js"');
    expect(error.message).toContain('The plugin module "./no-default-export.js"');
  });
});

describe('checkConfig (what `hyperagent validate` reports)', () => {
  it('returns schema, module and options problems at once, without needing env vars', async () => {
    const raw = {
      defaultBackend: 'locl',
      backends: {
        local: { provider: './fake-provider.js', apiKey: '${NOT_SET_ANYWHERE}', options: { region: 'mars' } },
        gone: { provider: './nope.js' },
        typo: { provider: './fake-provider.js', modle: 'x' },
      },
      plugins: [['./tag-plugin.js', {}], './throws-at-load.js'],
    };
    const problems = await checkConfig({ config: raw, filepath: join(pluginDir, 'x.json'), configDir: pluginDir });
    expect(problems.map((p) => p.path)).toEqual([
      '/backends/typo/modle',
      '/defaultBackend',
      '/backends/local/options/region',
      '/backends/gone/provider',
      '/plugins/0/1',
      '/plugins/1',
    ]);
    expect(problems.find((p) => p.path === '/plugins/1')?.message).toContain('boom at load time');
  });

  it('finds nothing wrong with a good config', async () => {
    const { loadConfig } = await import('../core/config.js');
    expect(await checkConfig(await loadConfig({ cwd: configDir }))).toEqual([]);
  });
});
