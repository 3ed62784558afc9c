// Hundreds of malformed configs, generated deterministically: each must end in a ConfigError that
// names where the problem is, never in a crash (a TypeError, a stack overflow, a hang), and none may
// reach Object.prototype.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config.js';
import { createHyperAgent } from '../../core/create-hyper-agent.js';
import { ConfigError } from '../../core/errors.js';
import { baseConfig, malformedConfigs, type MalformedConfig } from './malformed-configs.js';

const cases = malformedConfigs();
const objects = cases.filter((item): item is Extract<MalformedConfig, { kind: 'object' }> => item.kind === 'object');
const texts = cases.filter((item): item is Extract<MalformedConfig, { kind: 'text' }> => item.kind === 'text');
const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hyperagent-config-fuzz-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function expectUnpolluted(): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.prototype.constructor).toBe(Object);
}

/** What went wrong, as a string a failed assertion can show, or `undefined` when it was a good ConfigError. */
function judge(error: unknown, expectedPath?: string, file?: string): string | undefined {
  if (!(error instanceof ConfigError)) return `threw ${error instanceof Error ? `${error.name}: ${error.message.slice(0, 200)}` : String(error)}`;
  if (error.message.trim() === '') return 'ConfigError with an empty message';
  if (file !== undefined) {
    // A file that is not a config: the error names the file, and a JSON syntax error its line and column.
    if (error.file !== file || !error.message.includes(file)) return `ConfigError does not name the file: ${error.message.slice(0, 200)}`;
    return error.problems.every((problem) => problem.path === '' || problem.path.startsWith('/')) ? undefined : `bad problem paths ${JSON.stringify(error.problems)}`;
  }
  if (error.problems.length === 0) return `ConfigError without problems: ${error.message.slice(0, 200)}`;
  for (const problem of error.problems) {
    // RFC 6901: "" is the whole document.
    if (typeof problem.path !== 'string' || !(problem.path === '' || problem.path.startsWith('/'))) return `problem without a JSON path: ${JSON.stringify(problem)}`;
    if (typeof problem.message !== 'string' || problem.message === '') return `problem without a message: ${JSON.stringify(problem)}`;
  }
  if (expectedPath && !error.problems.some((problem) => problem.path.startsWith(expectedPath) || expectedPath.startsWith(problem.path || '/'))) {
    return `no problem at or under ${expectedPath}: ${JSON.stringify(error.problems.map((problem) => problem.path).slice(0, 5))}`;
  }
  return undefined;
}

describe('malformed config documents', () => {
  it('are many and deterministic', () => {
    expect(cases.length).toBeGreaterThanOrEqual(200);
    expect(JSON.stringify(malformedConfigs().map((item) => item.name))).toBe(JSON.stringify(cases.map((item) => item.name)));
  });

  it('the base they are mutated from is itself valid', async () => {
    const agent = await createHyperAgent({ config: baseConfig() as never, env: {} });
    expect(agent.backendNames).toEqual(['main', 'second']);
  });

  it(`as objects (${objects.length}): each a ConfigError naming a JSON path, never a crash`, async () => {
    const failures: string[] = [];
    for (const item of objects) {
      const error = await createHyperAgent({ config: item.doc as never, env: {} }).then(
        () => new Error('accepted'),
        (caught: unknown) => caught,
      );
      const verdict = judge(error, item.path);
      if (verdict) failures.push(`${item.name}: ${verdict}`);
    }
    expect(failures).toEqual([]);
    expectUnpolluted();
  });

  it(`as files (${texts.length}): each a ConfigError naming the file, never a crash`, async () => {
    const failures: string[] = [];
    for (const [index, item] of texts.entries()) {
      const file = join(dir, `case-${index}.json`);
      writeFileSync(file, item.text, 'utf8');
      const error = await loadConfig({ configPath: file }).then(
        () => new Error('accepted'),
        (caught: unknown) => caught,
      );
      const verdict = judge(error, undefined, file);
      if (verdict) failures.push(`${item.name}: ${verdict}`);
    }
    expect(failures).toEqual([]);
    expectUnpolluted();
  });

  it('a config path that is empty or a directory is a ConfigError naming it, not EISDIR', async () => {
    for (const configPath of ['', '.', dir]) {
      const error = await createHyperAgent({ config: configPath, cwd: dir, env: {} }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toMatch(/is a directory/);
    }
  });

  it('a config that names a provider or plugin that does not exist is a PluginLoadError, not a crash', async () => {
    const missingProvider = createHyperAgent({ config: { backends: { main: { provider: 'no-such-provider-xyz' } } }, env: {} });
    await expect(missingProvider).rejects.toMatchObject({ code: 'HA_PLUGIN_LOAD', message: expect.stringContaining('no-such-provider-xyz') });
    const missingPlugin = createHyperAgent({ config: { backends: { main: { provider: 'mock' } }, plugins: ['./no/such/plugin.js'] }, env: {} });
    await expect(missingPlugin).rejects.toMatchObject({ code: 'HA_PLUGIN_LOAD', message: expect.stringContaining('./no/such/plugin.js') });
  });

  it('leaves the config it accepted frozen, so nothing can change it afterwards', async () => {
    const agent = await createHyperAgent({ config: baseConfig() as never, env: {} });
    expect(Object.isFrozen(agent.config)).toBe(true);
    expect(Object.isFrozen(agent.config.backends.main)).toBe(true);
    expectUnpolluted();
  });
});
