// The validators `npm run build` compiles from the config schema and the built-in option schemas
// (scripts/compile-schemas.js → dist/core/generated/). `npm test` builds first, so dist/ is current.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { withoutBuiltinLinks } from '../core/config-schema-links.js';
import { describe, expect, it } from 'vitest';
import { configProblems } from '../core/config.js';
import { BUILTIN_PLUGINS, BUILTIN_PROVIDERS, loadPlugin, loadProvider, optionsProblems } from '../core/plugin-loader.js';
import type { PluginDefinition, ProviderDefinition } from '../core/define.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const generatedIndex = join(root, 'dist', 'core', 'generated', 'validators.cjs');
const require = createRequire(import.meta.url);

interface Generated {
  readonly config: { readonly key: string; load(): (data: unknown) => boolean };
  readonly options: Readonly<Record<string, () => (data: unknown) => boolean>>;
}

async function builtins(): Promise<[string, ProviderDefinition | PluginDefinition][]> {
  return [
    ...(await Promise.all(Object.keys(BUILTIN_PROVIDERS).map(async (name) => [`provider ${name}`, await loadProvider(name, root)] as [string, ProviderDefinition]))),
    ...(await Promise.all(Object.keys(BUILTIN_PLUGINS).map(async (name) => [`plugin ${name}`, await loadPlugin(name, root)] as [string, PluginDefinition]))),
  ];
}

const CONFIGS: unknown[] = [
  { backends: { a: { provider: 'openai', model: 'gpt-4o-mini' } } },
  { defaultBackend: 'a', backends: { a: { provider: 'anthropic' } }, plugins: ['retry', ['logging', { level: 'info' }]] },
  { backends: { a: { provider: 'openai', modle: 'gpt-4o' } } },
  { backends: {} },
  { backends: { a: { strategy: 'fallbak', targets: ['b'] }, b: { provider: 'mock' } } },
  { backends: { a: { provider: 'openai' } }, plugins: [42, ['retry', 'x']], server: { port: 'eighty' } },
  { backend: { a: { provider: 'openai' } } },
  [],
  null,
];

describe('validators compiled at build time', () => {
  it('exist in dist/, compiled from the current config schema and every built-in options schema', async () => {
    expect(existsSync(generatedIndex)).toBe(true);
    const generated = require(generatedIndex) as Generated;
    const schema = withoutBuiltinLinks(JSON.parse(readFileSync(join(root, 'schemas', 'hyperagent.config.schema.json'), 'utf8')) as object);
    expect(generated.config.key).toBe(JSON.stringify(schema));
    for (const [, definition] of await builtins()) {
      if (definition.optionsSchema) expect(Object.hasOwn(generated.options, JSON.stringify(definition.optionsSchema))).toBe(true);
    }
  });

  it('give the same problems, in the same words, as the schemas compiled with Ajv', async () => {
    // dist/ is bundled (scripts/bundle.js): the library entry exports both.
    const dist = (await import(pathToFileURL(join(root, 'dist', 'index.js')).href)) as typeof import('../core/config.js') & typeof import('../core/plugin-loader.js');
    for (const config of CONFIGS) expect(dist.configProblems(config)).toEqual(configProblems(config));
    const distLoader = dist;
    const badOptions: unknown[] = [{}, { levle: 'info' }, { maxRetries: -1, retryOn: ['nope'] }, { budgetUsd: 'many' }, { baseURL: 3, apiKey: '' }, []];
    for (const [label, definition] of await builtins()) {
      const distDefinition = label.startsWith('provider') ? await distLoader.loadProvider(label.split(' ')[1], root) : await distLoader.loadPlugin(label.split(' ')[1], root);
      for (const options of badOptions) expect(distLoader.optionsProblems(distDefinition, options, '/x')).toEqual(optionsProblems(definition, options, '/x'));
    }
  });

  it('let a valid config with plugins start without loading Ajv', () => {
    const script = `
      import { createRequire } from 'node:module';
      const { createHyperAgent } = await import(${JSON.stringify(pathToFileURL(join(root, 'dist', 'index.js')).href)});
      const agent = await createHyperAgent({ config: { backends: { a: { provider: 'openai', apiKey: 'sk-test' } }, plugins: ['retry', 'cost', ['rate-limit', {}]] } });
      agent.backend();
      const loaded = Object.keys(createRequire(import.meta.url).cache);
      process.stdout.write(JSON.stringify(loaded.some((file) => /node_modules[\\\\/]ajv[\\\\/]dist[\\\\/](ajv|core|2020)\\.js$/.test(file))));
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(out).toBe('false');
  });
});
