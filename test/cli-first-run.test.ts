// A newcomer's first minutes at a terminal: a model with no config (`--model provider/model`, and
// the gateway's `"model": "provider/model"`), a .env beside the config, a mistyped option,
// FORCE_COLOR, and the logging plugin's lines kept out of the answer on a terminal.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { colorEnabled, main, makeStyle, type CliIO } from '../cli/main.js';
import { Kernel } from '../core/kernel.js';
import { enableModelSpecs, MAX_MODEL_SPEC_BACKENDS, parseModelSpec, registerModelSpec } from '../core/model-spec.js';
import { ensureBuilt, finished, runCli, startCli, tempConfig } from './cli-helpers.js';

let empty: string;
beforeAll(async () => {
  ensureBuilt();
  // A folder with no config anywhere above it up to its project root (the package.json marks it).
  empty = await mkdtemp(join(tmpdir(), 'hyperagent-first-run-'));
  await writeFile(join(empty, 'package.json'), '{ "name": "newcomer", "private": true }');
});
afterAll(() => rm(empty, { recursive: true, force: true }));

describe('--model provider/model, without a backend in a config', () => {
  it('chats with a built-in provider\'s model in a folder without any config', async () => {
    const { status, stdout, stderr } = await runCli(['chat', '--model', 'mock/mock-model', '--no-tools', 'Hello there'], { cwd: empty });
    expect(status, stderr).toBe(0);
    expect(stderr.split('\n')[0]).toBe('using mock/mock-model backend (mock: scripted answers, not a real model)');
    expect(stdout).toBe('This is a mock response.\n');
  });

  it('with the provider\'s key unset, says which variable to set', async () => {
    const { status, stderr } = await runCli(['chat', '--model', 'anthropic/claude-sonnet-4-6', 'Hello'], { cwd: empty });
    expect(status).toBe(1);
    expect(stderr).toContain('ANTHROPIC_API_KEY');
    expect(stderr).toContain('[HA_MISSING_API_KEY]');
  });

  it('refuses a model that names no built-in provider, listing them', async () => {
    const { status, stderr } = await runCli(['chat', '--model', 'claude-sonnet-4-6', 'Hello'], { cwd: empty });
    expect(status).toBe(2);
    expect(stderr).toMatch(/--model takes provider\/model with a built-in provider \(openai, anthropic, .*mock.*\), e\.g\. anthropic\/claude-sonnet-4-6/);
  });

  it('adds the model next to a config\'s backends, whose plugins still apply', async () => {
    const config = await tempConfig({ backends: { demo: { provider: 'mock' } }, plugins: [['logging', { level: 'info' }]] });
    try {
      const { status, stdout, stderr } = await runCli(['chat', '--model', 'mock/mock-model', '--no-tools', 'Hello'], { cwd: config.dir });
      expect(status, stderr).toBe(0);
      expect(stdout).toBe('This is a mock response.\n');
      // The logging plugin of the config logged the call, under the model's name.
      expect(stderr).toContain('"backend":"mock/mock-model"');
    } finally {
      await config.cleanup();
    }
  });

  it('parses provider/model at the first slash, for built-in providers only', () => {
    expect(parseModelSpec('anthropic/claude-sonnet-4-6')).toEqual({ provider: 'anthropic', model: 'claude-sonnet-4-6' });
    expect(parseModelSpec('openrouter/anthropic/claude-sonnet-4')).toEqual({ provider: 'openrouter', model: 'anthropic/claude-sonnet-4' });
    expect(parseModelSpec('my-company/model')).toBeUndefined();
    expect(parseModelSpec('anthropic/')).toBeUndefined();
  });

  it('registers an anthropic backend read from ANTHROPIC_API_KEY, and no more than the cap of such names', async () => {
    const kernel = new Kernel();
    await enableModelSpecs(kernel, { configDir: empty, env: { ANTHROPIC_API_KEY: 'sk-ant-test' }, providers: ['anthropic', 'mock'] });
    expect(registerModelSpec(kernel, 'anthropic/claude-sonnet-4-6')).toBe(true);
    const backend = kernel.backend('anthropic/claude-sonnet-4-6');
    expect([backend.provider, backend.modelInfo().id]).toEqual(['anthropic', 'claude-sonnet-4-6']);
    expect(registerModelSpec(kernel, 'openai/gpt-4o')).toBe(false); // not enabled on this kernel
    for (let i = 1; i < MAX_MODEL_SPEC_BACKENDS; i++) expect(registerModelSpec(kernel, `mock/m${i}`)).toBe(true);
    expect(registerModelSpec(kernel, 'mock/one-too-many')).toBe(false);
    expect(registerModelSpec(kernel, 'mock/m1')).toBe(true);
  });
});

describe('the gateway\'s "model": "provider/model"', () => {
  it('answers a model no backend is named after, and 404s a provider that does not exist', async () => {
    const config = await tempConfig({ backends: { demo: { provider: 'mock' } } });
    const child = startCli(['serve', '--port', '0'], { cwd: config.dir });
    const done = finished(child);
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /listening on (http:\/\/\S+)/.exec(out);
          if (match) resolve(match[1]);
        });
        child.once('close', () => reject(new Error(`serve exited: ${out}`)));
      });
      const ask = (model: string) => fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }) });
      const ok = await ask('mock/mock-model');
      expect(ok.status).toBe(200);
      expect(((await ok.json()) as { choices: { message: { content: string } }[] }).choices[0].message.content).toBe('This is a mock response.');
      expect(ok.headers.get('x-hyperagent-backend')).toBe('mock/mock-model');
      const missing = await ask('nobody/model');
      expect(missing.status).toBe(404);
    } finally {
      child.kill('SIGTERM');
      await done;
      await config.cleanup();
    }
  });
});

describe('.env in the config\'s folder', () => {
  it('is loaded, and never overrides a variable already set', async () => {
    const config = await tempConfig({ backends: { demo: { provider: 'mock', options: { defaultResponse: { text: 'greeting: ${GREETING}' } } } } });
    try {
      await writeFile(join(config.dir, '.env'), 'GREETING=from the .env file\n');
      const fromFile = await runCli(['chat', '--no-tools', 'hi'], { cwd: config.dir });
      expect(fromFile.stdout, fromFile.stderr).toBe('greeting: from the .env file\n');
      const fromShell = await runCli(['chat', '--no-tools', 'hi'], { cwd: config.dir, env: { GREETING: 'from the shell' } });
      expect(fromShell.stdout, fromShell.stderr).toBe('greeting: from the shell\n');
    } finally {
      await config.cleanup();
    }
  });

  it('is explained in --help', async () => {
    const { stdout } = await runCli(['--help']);
    expect(stdout).toMatch(/\.env file in the config's folder .* process\.loadEnvFile; it never overrides a variable already set/s);
  });
});

describe('options and colours', () => {
  it('a mistyped option gets a did-you-mean', async () => {
    const { status, stderr } = await runCli(['chat', '--modle', 'mock/mock-model', 'hi'], { cwd: empty });
    expect(status).toBe(2);
    expect(stderr).toContain(`Unknown option '--modle'. Did you mean "--model"? Run "hyperagent chat --help".`);
  });

  it('FORCE_COLOR forces colours on a pipe; FORCE_COLOR=0 and NO_COLOR turn them off', async () => {
    // The error's code is dimmed where colours are on.
    const args = ['chat', '--model', 'anthropic/claude-sonnet-4-6', 'hi'];
    const forced = await runCli(args, { cwd: empty, env: { FORCE_COLOR: '1' } });
    expect(forced.stderr).toContain('\u001b[2m[HA_MISSING_API_KEY]\u001b[22m');
    const off = await runCli(args, { cwd: empty, env: { FORCE_COLOR: '0' } });
    expect(off.stderr).not.toContain('\u001b[');
    expect(colorEnabled({}, true)).toBe(true);
    expect(colorEnabled({ NO_COLOR: '1' }, true)).toBe(false);
    expect(colorEnabled({}, false)).toBe(false);
    expect(colorEnabled({ FORCE_COLOR: 'false' }, true)).toBe(false);
  });
});

describe('log lines on a terminal', () => {
  it('come after the answer, each on its own line, never inside it', async () => {
    const config = await tempConfig({
      backends: { demo: { provider: 'mock', options: { defaultResponse: { text: 'one two three four five six seven' }, streamChunkSize: 1 } } },
      plugins: [['logging', { level: 'info' }]],
    });
    // One screen: stdout and stderr are the same terminal.
    let screen = '';
    const terminal = (): NodeJS.WritableStream => {
      const stream = new PassThrough();
      stream.on('data', (chunk: Buffer) => (screen += chunk.toString()));
      return stream;
    };
    const io: CliIO = {
      stdin: new PassThrough(),
      stdout: terminal(),
      stderr: terminal(),
      env: {},
      cwd: config.dir,
      tty: { stdin: false, stdout: true, stderr: true },
      style: makeStyle(false),
      errorStyle: makeStyle(false),
    };
    try {
      expect(await main(['chat', '--no-tools', 'hi'], io), screen).toBe(0);
      // What the terminal shows of each line: the spinner's frames are rubbed out with \r.
      const lines = screen.split('\n').map((line) => line.slice(line.lastIndexOf('\r') + 1).replaceAll('\u001b[K', ''));
      expect(lines).toContain('one two three four five six seven');
      const answerAt = lines.indexOf('one two three four five six seven');
      const logLines = lines.map((line, index) => [line, index] as const).filter(([line]) => line.includes('"level"'));
      expect(logLines.length).toBeGreaterThan(0);
      for (const [line, index] of logLines) {
        expect(line.startsWith('{'), line).toBe(true);
        expect(index).toBeGreaterThan(answerAt);
      }
    } finally {
      await config.cleanup();
    }
  });
});
