// The shipped build (`npm run build`: tsc, compile-schemas, then scripts/bundle.js) and what a
// program that imports it pays for at start. `npm test` builds first, so dist/ is current.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../core/config.js';
import { ConfigError } from '../core/errors.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const distIndex = pathToFileURL(join(root, 'dist', 'index.js')).href;

/** Run an ES module script in a fresh Node process (cwd: the repository) and parse its JSON output. */
function run(script: string): unknown {
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' }));
}

function jsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return jsFiles(path);
    return path.endsWith('.js') ? [path] : [];
  });
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the bundled build', () => {
  it('ships a few bundled files, not one per source module, and keeps every declaration file', () => {
    const files = jsFiles(join(root, 'dist'));
    // One entry per built-in provider and plugin plus a few shared and lazy chunks: far fewer files
    // than the source modules, which Node 20 would load one by one.
    const pluginEntries = readdirSync(join(root, 'dist', 'plugins')).length;
    expect(files.length).toBeLessThan(pluginEntries + 30);
    expect(files.map((f) => f.slice(root.length + 1)).sort()).toEqual(expect.arrayContaining(['dist/index.js', 'dist/cli/main.js', 'dist/server/index.js', 'dist/plugins/openai/index.js', 'dist/plugins/logging/index.js']));
    for (const declaration of ['index.d.ts', 'core/kernel.d.ts', 'server/index.d.ts', 'plugins/openai/index.d.ts']) expect(statSync(join(root, 'dist', declaration)).isFile()).toBe(true);
  });

  it('loads no gateway, compression, undici, cosmiconfig, Ajv or Redis client when a program imports the library and builds from a config file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ha-bundle-'));
    dirs.push(dir);
    const config = join(dir, 'hyperagent.config.json');
    writeFileSync(config, JSON.stringify({ backends: { a: { provider: 'openai', apiKey: 'unused-test-key' } }, plugins: ['retry', 'cost', 'rate-limit', ['logging', { destination: join(dir, 'log.jsonl') }]] }));
    const loaded = run(`
      import { createRequire } from 'node:module';
      const { createHyperAgent } = await import(${JSON.stringify(distIndex)});
      const agent = await createHyperAgent({ config: ${JSON.stringify(config)} });
      agent.backend();
      const files = Object.keys(createRequire(import.meta.url).cache);
      const builtins = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13));
      process.stdout.write(JSON.stringify({ builtins, packages: files.filter((f) => f.includes('node_modules')).map((f) => f.split('node_modules/').pop().split('/')[0]) }));
    `) as { builtins: string[]; packages: string[] };
    for (const builtin of ['http', 'zlib', 'crypto', 'stream/consumers']) expect(loaded.builtins).not.toContain(builtin);
    for (const name of ['undici', 'cosmiconfig', 'ajv', 'tapable', 'pino', 'ioredis']) expect(loaded.packages).not.toContain(name);
  });

  it('exports the gateway as hyperagent/gateway, and the library entry no longer carries it', () => {
    const found = run(`
      const gateway = await import('hyperagent/gateway');
      const library = await import('hyperagent');
      process.stdout.write(JSON.stringify({ gateway: typeof gateway.createGateway, library: typeof library.createGateway, kernel: typeof library.Kernel }));
    `);
    expect(found).toEqual({ gateway: 'function', library: 'undefined', kernel: 'function' });
  });
});

describe('a config file named by path (read without cosmiconfig)', () => {
  function file(name: string, content: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'ha-config-path-'));
    dirs.push(dir);
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  }

  it('reads as a search would find it: byte-order mark, any file name, the folder as configDir', async () => {
    const path = file('my-config.json', `\uFEFF${JSON.stringify({ backends: { a: { provider: 'mock' } } })}`);
    const byPath = await loadConfig({ configPath: path });
    const bySearch = await loadConfig({ cwd: dirname(path), configPath: undefined }).catch((error: unknown) => error);
    expect(byPath.config).toEqual({ backends: { a: { provider: 'mock' } } });
    expect(byPath.configDir).toBe(dirname(path));
    expect(bySearch).toBeInstanceOf(ConfigError); // my-config.json is not a name a search looks for
  });

  it('names an empty file, invalid JSON with its line and column, and a $import', async () => {
    await expect(loadConfig({ configPath: file('hyperagent.config.json', ' \n') })).rejects.toThrow(/is empty\. Put a JSON config in it/);
    await expect(loadConfig({ configPath: file('hyperagent.config.json', '{\n  "backends": {,\n}') })).rejects.toThrow(/is not valid JSON: .* at line 2, column 16\./);
    await expect(loadConfig({ configPath: file('hyperagent.config.json', '{"$import": "x.json", "backends": {}}') })).rejects.toThrow(/"\$import" is not supported/);
  });

  it('still reads the "hyperagent" key of a package.json named by path', async () => {
    const path = file('package.json', JSON.stringify({ name: 'x', hyperagent: { backends: { a: { provider: 'mock' } } } }));
    expect((await loadConfig({ configPath: path })).config).toEqual({ backends: { a: { provider: 'mock' } } });
  });
});
