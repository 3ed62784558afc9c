// Every example in README.md, checked: each fenced block is found by reading the file, so a section
// added later is checked without touching this test. Needs dist/ (run under the build lock:
// `flock /tmp/ha-build.lock npx vitest run test/readme-examples.test.ts`).
//
// What a block's info string (the words after its opening ```) asks for:
//
//   ```json                  a whole config: valid against schemas/hyperagent.config.schema.json
//                            (the built-ins' options included) and passes what `hyperagent validate`
//                            checks, its relative provider paths resolved to the README's js modules.
//   ```json partial          a fragment: a few "key": value members (wrapped in { } to parse), or a
//   ```json partial /backends   value; with a JSON pointer, the members go there in a config that is
//                            then validated like a whole one (other names it uses become mock backends).
//   ```ts  ```js             a program: type-checked (strict, NodeNext) against dist/'s declarations,
//                            then run with Node in a folder whose hyperagent.config.json makes every
//                            backend a README example names (MOCK_BACKENDS) a mock, with fake keys.
//   ```ts continues          a program that goes on from the section's previous ts/js block: both
//                            are run as one (for an example using a variable the previous one made).
//   ```ts module NAME.js     a provider or plugin module: compiled to NAME.js (js: written as is),
//                            imported, and its default export checked (a plugin is applied).
//   ```ts gateway            run while a gateway serves the mock config; the README's address
//                            http://127.0.0.1:8787 in it is replaced by the gateway's.
//   ```sh  ```console        each `hyperagent …` command (after `npx`, `$ `, in `&&` chains) must be
//                            a command of the CLI with options it has; each `npm run X` a script.
//   ```LANG skip REASON      not checked (the reason shows in the test's name).
//   ``` (no language)        text, not checked.
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../cli/main.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const schema = JSON.parse(readFileSync(join(root, 'schemas', 'hyperagent.config.schema.json'), 'utf8')) as object;
const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

/** The backend names the README's programs use; each is a mock when they run. */
const MOCK_BACKENDS = ['claude', 'gpt', 'demo', 'local', 'team', 'fake'];
const FAKE_ENV = { ANTHROPIC_API_KEY: 'sk-ant-readme-example-0000', OPENAI_API_KEY: 'sk-readme-example-0000', HYPERAGENT_API_KEY: '' };

interface Block {
  readonly index: number;
  readonly line: number;
  readonly section: string;
  readonly lang: string;
  readonly words: readonly string[];
  readonly code: string;
}

function blocks(text: string): Block[] {
  const out: Block[] = [];
  const lines = text.split('\n');
  let section = '(top)';
  for (let i = 0; i < lines.length; i++) {
    const heading = /^#{1,6}\s+(.*)$/.exec(lines[i]);
    if (heading) section = heading[1];
    const fence = /^(\s*)(`{3,})(.*)$/.exec(lines[i]);
    if (!fence) continue;
    const [lang = '', ...words] = fence[3].trim().split(/\s+/).filter(Boolean);
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !lines[i].startsWith(`${fence[1]}${fence[2]}`); i++) body.push(lines[i].slice(fence[1].length));
    out.push({ index: out.length, line: start + 1, section, lang, words, code: body.join('\n') });
  }
  return out;
}

const all = blocks(readme);
const named = (block: Block): string => `${block.section}, line ${block.line} (\`\`\`${[block.lang, ...block.words].join(' ')})`;
const skipped = all.filter((block) => block.words[0] === 'skip');
const checked = all.filter((block) => block.words[0] !== 'skip');
const json = checked.filter((block) => block.lang === 'json');
const shell = checked.filter((block) => block.lang === 'sh' || block.lang === 'console' || block.lang === 'bash');
const programs = checked.filter((block) => ['ts', 'typescript', 'js', 'javascript'].includes(block.lang));

const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(schema);

function schemaErrors(config: unknown): string[] {
  return validate(config) ? [] : (validate.errors ?? []).filter((e) => e.keyword !== 'if').map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}

/** Mock backends for the usual names and every target `config` names, so a fragment validates alone. */
function withMocks(config: { backends?: Record<string, unknown> }): object {
  const targets = JSON.stringify(config.backends ?? {}).match(/"(?:backend|targets)":\s*(?:\[[^\]]*\]|"[^"]*")/g) ?? [];
  const named = targets.flatMap((match) => [...match.matchAll(/"([^"]+)"/g)].map((m) => m[1])).filter((name) => name !== 'backend' && name !== 'targets');
  const mocks = [...new Set([...MOCK_BACKENDS, ...named])].map((name) => [name, { provider: 'mock' }]);
  return { ...config, backends: { ...Object.fromEntries(mocks), ...config.backends } };
}

describe('README.md', () => {
  it('has examples, and a checked language for every block it means to be checked', () => {
    expect(json.length).toBeGreaterThan(0);
    expect(programs.length).toBeGreaterThan(0);
    const known = new Set(['', 'json', 'sh', 'console', 'bash', 'ts', 'typescript', 'js', 'javascript', 'text']);
    expect(checked.filter((block) => !known.has(block.lang)).map(named)).toEqual([]);
  });

  it.each(skipped.map((block) => [named(block), block.words.slice(1).join(' ')]))('skips %s: %s', (_name, reason) => {
    expect(reason, 'a skipped block says why').not.toBe('');
  });

  describe('JSON', () => {
    it.each(json.map((block) => [named(block), block] as const))('%s is valid', async (_name, block) => {
      const partial = block.words[0] === 'partial';
      const text = partial && block.code.trim().startsWith('"') ? `{${block.code}}` : block.code;
      let value: unknown;
      expect(() => (value = JSON.parse(text)), `${named(block)} does not parse as JSON`).not.toThrow();
      if (partial && block.words[1] === undefined) return;
      const config = partial ? placeAt(block.words[1], value) : value;
      expect(schemaErrors(config)).toEqual([]);
      // What `hyperagent validate` checks, in a folder holding the README's own provider modules.
      const { checkConfig } = (await import(pathToFileURL(join(root, 'dist', 'index.js')).href)) as typeof import('../core/create-hyper-agent.js');
      expect(await checkConfig({ config: partial ? withMocks(config as object) : config, configDir: moduleFolder() })).toEqual([]);
    });
  });

  describe('shell commands', () => {
    it.each(shell.map((block) => [named(block), block] as const))('%s uses real commands and options', (_name, block) => {
      const problems: string[] = [];
      for (const raw of block.code.split('\n')) {
        if (block.lang === 'console' && !raw.startsWith('$ ')) continue;
        for (const segment of raw.replace(/^\$ /, '').replace(/\s#.*$/, '').split(/&&|\|\||[|;]/)) {
          const words = segment.trim().split(/\s+/).filter(Boolean);
          if (words[0] === 'npx') words.shift();
          if (words[0] === 'npm' && (words[1] === 'run' || words[1] === 'test' || words[1] === 'start')) {
            const script = words[1] === 'run' ? words[2] : words[1];
            if (!script || !Object.hasOwn(scripts, script)) problems.push(`${raw}: no npm script "${script}"`);
          }
          if (words[0] !== 'hyperagent' || words.length < 2) continue;
          const command = commands[words[1]];
          if (!command && !['--help', '-h', '--version', '-v', 'help'].includes(words[1])) {
            problems.push(`${raw}: no command "${words[1]}"`);
            continue;
          }
          for (const word of words.slice(2)) {
            const option = /^--(no-)?([a-z][\w-]*)/.exec(word);
            if (option && command && !Object.hasOwn(command.options, `${option[1] ?? ''}${option[2]}`) && option[2] !== 'help') problems.push(`${raw}: "${command.name}" has no option ${word}`);
          }
        }
      }
      expect(problems).toEqual([]);
    });
  });

  describe('programs, compiled and run against dist/ with the mock backend', () => {
    let work: string;
    let gateway: { close(): Promise<void> } | undefined;
    let url = '';
    const compiled = new Map<number, string>();

    beforeAll(async () => {
      work = mkdtempSync(join(tmpdir(), 'hyperagent-readme-'));
      // The package as a dependency of the examples' folder (its own name resolves to dist/).
      mkdirSync(join(work, 'node_modules', '@types'), { recursive: true });
      symlinkSync(root, join(work, 'node_modules', 'hyperagent'), 'dir');
      symlinkSync(join(root, 'node_modules', '@types', 'node'), join(work, 'node_modules', '@types', 'node'), 'dir');
      const config = { backends: Object.fromEntries(MOCK_BACKENDS.map((name) => [name, { provider: 'mock', options: { defaultResponse: { text: `${name} says hello` } } }])) };
      writeFileSync(join(work, 'hyperagent.config.json'), JSON.stringify(config));
      writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'readme-examples', private: true, type: 'module' }));
      const dist = (path: string): string => pathToFileURL(join(root, 'dist', path)).href;
      const { createHyperAgent } = (await import(dist('index.js'))) as typeof import('../core/create-hyper-agent.js');
      const { createGateway } = (await import(dist('server/index.js'))) as typeof import('../server/index.js');
      if (programs.some((block) => block.words[0] === 'gateway')) {
        const agent = await createHyperAgent({ config, cwd: work, env: FAKE_ENV });
        const server = createGateway({ kernel: agent.kernel, port: 0, env: FAKE_ENV });
        url = (await server.listen()).url;
        gateway = server;
      }
      const files: string[] = [];
      for (const block of programs) {
        const source = programSource(block).replaceAll('http://127.0.0.1:8787', url || 'http://127.0.0.1:8787');
        for (const name of bareImports(source)) linkPackage(work, name);
        const module = block.words[0] === 'module' ? block.words[1] : undefined;
        if (isJs(block)) {
          const file = module ?? `block-${block.index}.mjs`;
          writeFileSync(join(work, file), source);
          compiled.set(block.index, file);
        } else {
          const file = `block-${block.index}.ts`;
          writeFileSync(join(work, file), source);
          files.push(file);
          compiled.set(block.index, join('out', module ?? `block-${block.index}.js`));
        }
      }
      writeFileSync(join(work, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2023'], types: ['node'], outDir: 'out', skipLibCheck: true }, files }));
      tscOutput = tsc(work);
      // A module block compiles to block-N.js; its README name is the file the config or a program imports.
      for (const block of programs) {
        if (block.words[0] === 'module' && !isJs(block)) writeFileSync(join(work, 'out', block.words[1]), readFileSync(join(work, 'out', `block-${block.index}.js`)));
      }
    }, 120_000);

    afterAll(async () => {
      await gateway?.close();
      if (work) rmSync(work, { recursive: true, force: true });
    });

    let tscOutput = '';

    function programSource(block: Block): string {
      if (block.words[0] !== 'continues') return block.code;
      const earlier = programs.filter((other) => other.section === block.section && other.index < block.index && other.words[0] !== 'module');
      const previous = earlier.at(-1);
      if (!previous) throw new Error(`${named(block)} continues, but is the first program of its section`);
      return `${programSource(previous)}\n${block.code}`;
    }

    it.each(programs.map((block) => [named(block), block] as const))('%s compiles and runs', async (_name, block) => {
      const file = `block-${block.index}.ts`;
      const errors = tscOutput.split('\n').filter((line) => line.startsWith(file));
      expect(errors, `tsc on ${file}:\n${programSource(block)}`).toEqual([]);
      const built = join(work, compiled.get(block.index)!);
      if (block.words[0] === 'module') {
        const dist = (await import(pathToFileURL(join(root, 'dist', 'index.js')).href)) as typeof import('../index.js');
        const exported = ((await import(pathToFileURL(built).href)) as { default: unknown }).default;
        if (dist.isProviderDefinition(exported)) await dist.loadProvider(built, work);
        else {
          expect(dist.isPluginDefinition(exported), `${block.words[1]}'s default export is neither a provider nor a plugin`).toBe(true);
          const plugin = await dist.loadPlugin(built, work);
          await plugin.apply(new dist.Kernel(), {});
        }
        return;
      }
      // Asynchronous: the gateway an example calls answers from this process.
      const run = promisify(execFile)(process.execPath, [built], { cwd: work, env: { ...process.env, ...FAKE_ENV, NO_COLOR: '1' }, encoding: 'utf8', timeout: 30_000 });
      await expect(run.catch((error: { stderr?: string; message: string }) => Promise.reject(new Error(`${named(block)} failed:\n${error.stderr || error.message}`)))).resolves.toBeDefined();
    });
  });
});

let modules: string | undefined;

/** A folder with the README's JavaScript module blocks (`my-provider.js`…), where a config's relative paths resolve. */
function moduleFolder(): string {
  if (modules) return modules;
  modules = mkdtempSync(join(tmpdir(), 'hyperagent-readme-modules-'));
  mkdirSync(join(modules, 'node_modules'));
  symlinkSync(root, join(modules, 'node_modules', 'hyperagent'), 'dir');
  writeFileSync(join(modules, 'package.json'), JSON.stringify({ name: 'readme-modules', private: true, type: 'module' }));
  for (const block of programs) if (isJs(block) && block.words[0] === 'module') writeFileSync(join(modules, block.words[1]), block.code);
  return modules;
}

afterAll(() => {
  if (modules) rmSync(modules, { recursive: true, force: true });
});

function isJs(block: Block): boolean {
  return block.lang === 'js' || block.lang === 'javascript';
}

/** `value` placed at JSON pointer `pointer` of an otherwise empty config (members merged into an object there). */
function placeAt(pointer: string, value: unknown): unknown {
  const keys = pointer.split('/').slice(1);
  const config: Record<string, unknown> = {};
  let node = config;
  keys.forEach((key, i) => {
    node[key] = i === keys.length - 1 ? value : {};
    node = node[key] as Record<string, unknown>;
  });
  return keys[0] === 'backends' ? withMocks(config) : config;
}

function bareImports(source: string): string[] {
  return [...source.matchAll(/from\s+['"]([^'".][^'"]*)['"]/g)].map((match) => (match[1].startsWith('@') ? match[1].split('/').slice(0, 2).join('/') : match[1].split('/')[0])).filter((name) => !name.startsWith('node:') && name !== 'hyperagent');
}

/** Make `name` importable from the examples' folder: the project's own copy (a devDependency). */
function linkPackage(work: string, name: string): void {
  const target = join(work, 'node_modules', name);
  mkdirSync(dirname(target), { recursive: true });
  try {
    symlinkSync(join(root, 'node_modules', name), target, 'dir');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

function tsc(work: string): string {
  try {
    return execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(work, 'tsconfig.json')], { cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    return `${(error as { stdout?: string }).stdout ?? ''}${(error as { stderr?: string }).stderr ?? ''}`;
  }
}
