import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'dist', 'cli', 'main.js');
const fixtures = join(root, 'test', 'fixtures', 'config');

/** Run the built CLI the way a user does; `npm test` builds first (pretest). */
function run(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', HYPERAGENT_DEBUG: undefined, FAKE_API_KEY: undefined, ...options.env };
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: options.cwd ?? root, env, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  if (!existsSync(bin)) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
});

describe('hyperagent validate', () => {
  it('prints every problem of a config with three mistakes, one line each, and exits 1', () => {
    const { status, stdout, stderr } = run(['validate', '--config', 'test/fixtures/config/invalid/three-mistakes.json']);
    expect(status).toBe(1);
    expect(stderr).toBe('');
    const file = 'test/fixtures/config/invalid/three-mistakes.json';
    expect(stdout.trimEnd().split('\n')).toEqual([
      `${file}: /backends/fake/modle: unknown key "modle" — did you mean "model"?`,
      `${file}: /backends/fake/maxTokens: must be an integer (got "many")`,
      `${file}: /backends/fake/options/region: must be one of: eu, us (got "mars")`,
      `✖ 3 problems in ${file}`,
    ]);
  });

  it('says a valid config is valid, with its counts, and exits 0 (no env vars needed)', () => {
    const { status, stdout } = run(['validate', '-c', join(fixtures, 'valid', 'hyperagent.config.json')]);
    expect(status).toBe(0);
    expect(stdout).toBe('✔ test/fixtures/config/valid/hyperagent.config.json is valid (3 backends, 1 plugin)\n');
  });

  it('passes on the default config the README command uses', () => {
    const { status, stdout } = run(['validate']);
    expect(status).toBe(0);
    expect(stdout).toBe('✔ hyperagent.config.json is valid (4 backends, 3 plugins)\n');
  });

  it('checks every name of a defaultBackend list', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hyperagent-cli-'));
    const file = join(dir, 'hyperagent.config.json');
    await writeFile(file, JSON.stringify({ defaultBackend: ['claude', 'gtp', 'demo'], backends: { claude: { provider: 'anthropic' }, gpt: { provider: 'openai' }, demo: { provider: 'mock' } } }));
    const { status, stdout } = run(['validate', '--config', file]);
    await rm(dir, { recursive: true, force: true });
    expect(status).toBe(1);
    expect(stdout).toContain('/defaultBackend/1: no backend is named "gtp" — did you mean "gpt"?');
  });

  it('finds the config by searching from the current folder', () => {
    const { status, stdout } = run(['validate'], { cwd: join(fixtures, 'valid') });
    expect(status).toBe(0);
    expect(stdout).toContain('✔ hyperagent.config.json is valid');
  });

  it('prints one clear line on stderr, without a stack trace, for a file that is not JSON', () => {
    const { status, stdout, stderr } = run(['validate', '--config', join(fixtures, 'invalid', 'not-json.json')]);
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(`hyperagent: ${join(fixtures, 'invalid', 'not-json.json')} is not valid JSON: Expected ',' or '}' after property value at line 4, column 5. [HA_CONFIG]\n`);
  });

  it('shows the stack trace when HYPERAGENT_DEBUG=1', () => {
    const { status, stderr } = run(['validate', '--config', join(fixtures, 'invalid', 'not-json.json')], { env: { HYPERAGENT_DEBUG: '1' } });
    expect(status).toBe(1);
    expect(stderr).toMatch(/ConfigError: .* is not valid JSON[\s\S]*\n\s+at /);
  });

  it('tells the user how to create a config when there is none', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'hyperagent-cli-'));
    const { status, stderr } = run(['validate'], { cwd: empty });
    await rm(empty, { recursive: true, force: true });
    expect(status).toBe(1);
    expect(stderr).toMatch(/^hyperagent: No HyperAgent config found in .*Create hyperagent\.config\.json, for example:/);
    expect(stderr).toContain('or pass --config <path>.');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('has help for the command', () => {
    const { status, stdout } = run(['validate', '--help']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^Usage: hyperagent validate \[--config PATH\]/);
    expect(stdout).toContain('-c, --config PATH');
  });

  it('rejects an unknown option with exit code 2', () => {
    const { status, stderr } = run(['validate', '--strict']);
    expect(status).toBe(2);
    expect(stderr).toBe(`hyperagent: Unknown option '--strict'. Run "hyperagent validate --help".\n`);
  });
});

describe('hyperagent', () => {
  it('lists its commands with --help', () => {
    const { status, stdout } = run(['--help']);
    expect(status).toBe(0);
    expect(stdout).toContain('Usage: hyperagent <command> [options]');
    expect(stdout).toMatch(/validate\s+Check the config/);
  });

  it('prints its version', () => {
    const { status, stdout } = run(['--version']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('suggests the command that was meant', () => {
    const { status, stderr } = run(['valdate']);
    expect(status).toBe(2);
    expect(stderr).toBe('hyperagent: unknown command "valdate". Did you mean "validate"? Run "hyperagent --help" for the list.\n');
  });

  it('uses no colour when stdout is not a terminal', () => {
    const { stdout } = run(['validate', '-c', join(fixtures, 'valid', 'hyperagent.config.json')], { env: { NO_COLOR: '' } });
    expect(stdout).not.toContain('\u001b[');
  });
});
