import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, readConfigFile, validateConfig } from '../core/config.js';
import { chooseDefaultBackend } from '../core/default-backend.js';
import { interpolateEnv, missingEnvVariables, resolveBackendConfig } from '../core/env.js';
import { ConfigError, PluginLoadError } from '../core/errors.js';
import { DEFAULT_IMPORT_TIMEOUT_MS, importTimeoutMs, loadPlugin, loadProvider } from '../core/plugin-loader.js';

const pluginDir = resolve(import.meta.dirname, 'fixtures', 'plugins');
const INHERITED = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'];

async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: Error) => error,
  );
}

describe('${VAR} reads only the environment’s own variables', () => {
  it.each(INHERITED)('${%s} is unset, even in process.env, which inherits it from Object.prototype', (name) => {
    expect(() => interpolateEnv(`\${${name}}`, process.env, '/backends/a/model')).toThrow(`environment variable ${name} is not set (used at /backends/a/model)`);
    expect(interpolateEnv(`\${${name}:-fallback}`, process.env, '/x')).toBe('fallback');
    expect(missingEnvVariables({ model: `\${${name}}` }, process.env)).toEqual([name]);
  });

  it('a variable of that name the environment really has is used', () => {
    expect(interpolateEnv('${constructor}-${toString}', { constructor: 'built', toString: 'text' }, '/x')).toBe('built-text');
  });

  it('an inherited name does not count as set when choosing the default backend', () => {
    const config = validateConfig({
      defaultBackend: ['sneaky', 'demo'],
      backends: { sneaky: { provider: 'openai', apiKey: '${constructor}' }, demo: { provider: 'mock' } },
    });
    expect(chooseDefaultBackend(config, process.env)).toEqual({ name: 'demo', skipped: [{ name: 'sneaky', missing: ['constructor'] }], ready: true });
    expect(() => resolveBackendConfig('sneaky', config.backends.sneaky as never, process.env)).toThrow(/environment variable constructor is not set/);
  });
});

describe('nested defaults ${X:-${B}}', () => {
  const at = '/backends/local/baseURL';
  it('X when set, else B, else the innermost default', () => {
    expect(interpolateEnv('${X:-${B}}', { X: 'x', B: 'b' }, at)).toBe('x');
    expect(interpolateEnv('${X:-${B}}', { B: 'b' }, at)).toBe('b');
    expect(interpolateEnv('${X:-${B}}', { X: '', B: 'b' }, at)).toBe('b');
    expect(interpolateEnv('http://${HOST:-${FALLBACK_HOST:-127.0.0.1}}:${PORT:-11434}/v1', {}, at)).toBe('http://127.0.0.1:11434/v1');
  });

  it('a default with braces or an escaped reference stays whole', () => {
    expect(interpolateEnv('${X:-{"a":{"b":1}}}', {}, at)).toBe('{"a":{"b":1}}');
    expect(interpolateEnv('${X:-$${LITERAL}}!', {}, at)).toBe('${LITERAL}!');
  });

  it('when every level is unset, the innermost variable is the one reported missing', () => {
    expect(() => interpolateEnv('${X:-${B}}', {}, at)).toThrow(`environment variable B is not set (used at ${at})`);
    expect(missingEnvVariables({ url: '${X:-${B}}' }, {})).toEqual(['B']);
    expect(missingEnvVariables({ url: '${X:-${B}}' }, { X: 'x' })).toEqual([]);
  });

  it('a reference never closed is a ConfigError naming it, not text with a stray brace', () => {
    const error = (() => {
      try {
        interpolateEnv('${X:-${B}', { X: 'x' }, at);
      } catch (caught) {
        return caught as ConfigError;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.message).toContain(`"\${X:-\${B}" at ${at} is never closed`);
  });
});

describe('a provider or plugin whose import never settles', () => {
  it('is a PluginLoadError naming the module and the wait', async () => {
    const error = await rejection(loadProvider('./import-never-settles.js', pluginDir, { importTimeoutMs: 50 }));
    expect(error).toBeInstanceOf(PluginLoadError);
    expect(error.message).toContain(`Cannot load provider "./import-never-settles.js" from ${join(pluginDir, 'import-never-settles.js')}`);
    expect(error.message).toContain('did not settle within 50 ms');
    expect(error.message).toContain('HYPERAGENT_IMPORT_TIMEOUT_MS');
  });

  it('takes the wait from HYPERAGENT_IMPORT_TIMEOUT_MS, for plugins too', async () => {
    const error = await rejection(loadPlugin('./import-never-settles.js', pluginDir, { env: { HYPERAGENT_IMPORT_TIMEOUT_MS: '30' } }));
    expect(error).toBeInstanceOf(PluginLoadError);
    expect(error.message).toMatch(/Cannot load plugin .* within 30 ms/);
  });

  it('waits 10 s by default; a bad value names itself', () => {
    expect(importTimeoutMs({ env: {} })).toBe(DEFAULT_IMPORT_TIMEOUT_MS);
    expect(DEFAULT_IMPORT_TIMEOUT_MS).toBe(10_000);
    expect(importTimeoutMs({ importTimeoutMs: 5, env: { HYPERAGENT_IMPORT_TIMEOUT_MS: '99' } })).toBe(5);
    expect(() => importTimeoutMs({ env: { HYPERAGENT_IMPORT_TIMEOUT_MS: 'soon' } })).toThrow(/HYPERAGENT_IMPORT_TIMEOUT_MS must be a number of milliseconds > 0, got "soon"/);
    expect(() => importTimeoutMs({ importTimeoutMs: 0 })).toThrow(TypeError);
  });

  it('a module that loads in time is unaffected', async () => {
    expect((await loadProvider('./fake-provider.js', pluginDir, { importTimeoutMs: 5_000 })).name).toBe('fake');
  });
});

describe('a config path that is a symbolic link loop', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ha-eloop-'));
    await symlink(join(dir, 'b.json'), join(dir, 'a.json'));
    await symlink(join(dir, 'a.json'), join(dir, 'b.json'));
    await symlink(join(dir, 'nowhere.json'), join(dir, 'dangling.json'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('--config at the loop is reported as a loop, not as not found', async () => {
    const error = await rejection(loadConfig({ configPath: 'a.json', cwd: dir }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain(`${join(dir, 'a.json')} is a symbolic link loop (ELOOP)`);
    expect(error.message).not.toMatch(/not found/);
  });

  it('the same when the search finds the loop', async () => {
    const searched = await mkdtemp(join(tmpdir(), 'ha-eloop-search-'));
    try {
      await writeFile(join(searched, 'package.json'), '{"name":"x"}');
      await symlink(join(searched, 'hyperagent.config.json'), join(searched, 'hyperagent.config.json'));
      const error = await rejection(readConfigFile({ cwd: searched }));
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).toContain(`${join(searched, 'hyperagent.config.json')} is a symbolic link loop`);
    } finally {
      await rm(searched, { recursive: true, force: true });
    }
  });

  it('a link to nothing says where it points; a missing file is still "not found"', async () => {
    expect((await rejection(loadConfig({ configPath: 'dangling.json', cwd: dir }))).message).toContain(`is a symbolic link to ${join(dir, 'nowhere.json')}, which does not exist`);
    expect((await rejection(loadConfig({ configPath: 'absent.json', cwd: dir }))).message).toBe(`Config file not found: ${join(dir, 'absent.json')}. Check the --config path.`);
  });
});
