// The package as a user gets it: `npm pack` of the built tree, installed from the tarball into a
// fresh project, then used there as ES module and CommonJS, by its bin, and by TypeScript
// consumers. Needs dist/ (run under the build lock: `flock /tmp/ha-build.lock npx vitest run
// test/package-install.test.ts`). npm resolves the few dependencies from its cache
// (--prefer-offline), so the registry is asked only about what the cache lacks.
import { execFileSync, type ExecFileSyncOptions } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
let work: string;
let project: string;
let tarball: string;

function run(command: string, args: readonly string[], options: ExecFileSyncOptions = {}): string {
  // No inherited npm_* variables: this test may itself run under `npm run`, whose config they carry.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')));
  return execFileSync(command, args, { cwd: project, encoding: 'utf8', env: { ...env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000, ...options }) as string;
}

/** tsc's complaints about the project in `dir`, '' when it type-checks. */
function typecheck(dir: string): string {
  try {
    return run('node', [tsc, '-p', join(project, dir, 'tsconfig.json')]).trim();
  } catch (error) {
    return `${(error as { stdout?: string }).stdout ?? ''}${(error as { stderr?: string }).stderr ?? ''}`.trim() || String(error);
  }
}

function write(file: string, text: string): void {
  mkdirSync(dirname(join(project, file)), { recursive: true });
  writeFileSync(join(project, file), text);
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'hyperagent-pack-'));
  project = join(work, 'consumer');
  mkdirSync(project);
  // --ignore-scripts: pack dist/ as built (the test runs under the build lock), not a rebuild.
  const packed = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: root })) as { filename: string }[];
  tarball = join(work, packed[0].filename);
  write('package.json', JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }, null, 2));
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball]);
  // The consumers' type checks need Node's types, which a TypeScript project installs itself.
  mkdirSync(join(project, 'node_modules', '@types'), { recursive: true });
  symlinkSync(join(root, 'node_modules', '@types', 'node'), join(project, 'node_modules', '@types', 'node'), 'dir');
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed tarball, installed into a fresh project', () => {
  it('installs hyperagent and its runtime dependencies only', () => {
    const installed = run('npm', ['ls', '--all', '--parseable']).trim().split('\n').slice(1).filter((line) => line.startsWith(join(project, 'node_modules')) && !line.includes(join('node_modules', '@types')));
    const names = installed.map((line) => line.slice(line.lastIndexOf('node_modules') + 'node_modules/'.length));
    process.stdout.write(`package-install: ${installed.length} packages installed: ${names.join(', ')}\n`);
    expect(names).toContain('hyperagent');
    for (const name of Object.keys(pkg.dependencies)) expect(names).toContain(name);
    for (const bundled of ['pino', 'cosmiconfig', 'tapable', 'p-retry', 'p-queue', 'eventsource-parser', 'ioredis']) expect(names).not.toContain(bundled);
    expect(installed.length).toBeLessThanOrEqual(7);
  });

  it('ships the CLI executable and the licences of what it bundles', () => {
    const listing = run('tar', ['-tvzf', tarball]);
    expect(listing).toMatch(/^-rwxr-xr-x .* package\/dist\/cli\/main\.js$/m);
    expect(listing).toMatch(/package\/dist\/THIRD_PARTY_LICENSES\.txt$/m);
  });

  it('runs as an ES module: import, then a call to the mock backend', () => {
    write('esm.mjs', `
import { createHyperAgent, user } from 'hyperagent';
import { createGateway } from 'hyperagent/gateway';
const agent = await createHyperAgent({ config: { backends: { demo: { provider: 'mock', options: { defaultResponse: { text: 'hello from the tarball' } } } } } });
const output = await agent.backend().infer([user('hi')]);
console.log(JSON.stringify({ content: output.content, gateway: typeof createGateway }));
`);
    expect(JSON.parse(run('node', ['esm.mjs']))).toEqual({ content: 'hello from the tarball', gateway: 'function' });
  });

  it('loads with require(), both entry points, and calls the mock', () => {
    write('cjs.cjs', `
const { createHyperAgent, user, AnthropicProvider } = require('hyperagent');
const { createGateway } = require('hyperagent/gateway');
createHyperAgent({ config: { backends: { demo: { provider: 'mock', options: { echo: true } } } } })
  .then((agent) => agent.backend().infer([user('echo me')]))
  .then((output) => console.log(JSON.stringify({ content: output.content, gateway: typeof createGateway, presets: typeof AnthropicProvider })));
`);
    expect(JSON.parse(run('node', ['cjs.cjs']))).toEqual({ content: 'echo me', gateway: 'function', presets: 'function' });
  });

  it('runs its bin with npx', () => {
    const help = run('npx', ['--no-install', 'hyperagent', '--help']);
    expect(help).toMatch(/^hyperagent \d+\.\d+\.\d+: one interface over many LLM providers/);
    expect(help).toContain('Commands:');
  });

  const consumer = `
import { createHyperAgent, definePlugin, Kernel, user, type LLMBackend } from 'hyperagent';
import { createGateway } from 'hyperagent/gateway';
const plugin = definePlugin<{ readonly greeting?: string }>({
  name: 'greeter',
  apply(kernel: Kernel, options) {
    // The hooks' types are tapable's, vendored into the package: a wrong tap fails to compile.
    kernel.hooks.beforeInfer.tapPromise({ name: 'greeter', stage: 0 }, async (request) => request);
    void options.greeting?.toUpperCase();
  },
});
export async function main(): Promise<string> {
  const agent = await createHyperAgent({ config: { backends: { demo: { provider: 'mock' } } } });
  const backend: LLMBackend = agent.backend();
  void createGateway;
  void plugin;
  return (await backend.infer([user('hi')])).content;
}
`;
  const strict = { strict: true, noEmit: true, skipLibCheck: false, types: ['node'], target: 'es2022', lib: ['es2023'] };

  it.each([
    ['NodeNext, an ES module project', { type: 'module' }, { module: 'nodenext', moduleResolution: 'nodenext' }, 'index.ts', consumer],
    ['NodeNext, a CommonJS project (require of the ES module, Node >= 20.19)', {}, { module: 'nodenext', moduleResolution: 'nodenext' }, 'index.cts', consumer],
    ['bundler resolution', { type: 'module' }, { module: 'esnext', moduleResolution: 'bundler' }, 'index.ts', consumer],
  ])('type-checks a TypeScript consumer: %s', (label, packageJson, compilerOptions, file, source) => {
    const dir = join('ts', label.replace(/\W+/g, '-'));
    write(join(dir, 'package.json'), JSON.stringify({ name: 'ts-consumer', private: true, ...packageJson }));
    write(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...strict, ...compilerOptions }, files: [file] }));
    write(join(dir, file), source);
    expect(typecheck(dir)).toBe('');
    // And a mistake is caught: the types are real, not \`any\`.
    write(join(dir, file), `${source}\nexport const wrong: number = (null as unknown as LLMBackend).provider;\n`);
    expect(typecheck(dir)).toMatch(/error TS2322: Type 'string' is not assignable to type 'number'/);
  });
});
