// Bundles the compiled library (run by `npm run build`, after tsc and compile-schemas).
//
// Node 20 loads ES modules one file at a time, each with its own asynchronous read, parse and link:
// the ~130 files tsc writes cost more of a cold start than the code in them. Rolldown bundles the
// TypeScript sources into a few files with the same entry points and paths as before:
//
//   dist/index.js               the library                dist/cli/main.js      the CLI
//   dist/server/index.js        hyperagent/gateway         dist/plugins/<name>/index.js, each built-in
//   dist/core/hyperagent-*.js   the code they share        dist/core/<dependency>-*.js, loaded lazily
//
// Shared code lives in dist/core/, where core/*.ts lived, so the paths it resolves from its own
// URL (../plugins/<name>/index.js, ./generated/validators.cjs, ../../schemas/) still hold. The
// built-in plugins stay separate entries: a config loads only those it names. Small dependencies are
// bundled in; undici and Ajv stay external (both load lazily, Ajv only to explain invalid config),
// and so does everything that ships files of its own. The .d.ts files are tsc's, as written.
//
// After writing, the bundle is checked: every built-in provider and plugin must load from it.
import { existsSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { rolldown } from 'rolldown';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const staging = join(root, 'dist', '.bundle');

const PLUGIN_DIRS = readdirSync(join(root, 'plugins')).filter((name) => existsSync(join(root, 'plugins', name, 'index.ts')));
const input = {
  index: join(root, 'index.ts'),
  'cli/main': join(root, 'cli', 'main.ts'),
  'server/index': join(root, 'server', 'index.ts'),
  ...Object.fromEntries(PLUGIN_DIRS.map((name) => [`plugins/${name}/index`, join(root, 'plugins', name, 'index.ts')])),
};

/**
 * Loaded at run time from node_modules, not bundled. cosmiconfig names typescript only to read
 * .ts config files, which HyperAgent never asks it to: it must not be bundled (nor installed).
 */
const EXTERNAL = /^(undici|ajv|typescript)(\/|$)/;

/** Bundled dependencies that only some entries need get chunks of their own, loaded with them. */
const DEPENDENCY_CHUNKS = [
  ['pino', /node_modules[\\/](pino|pino-std-serializers|@pinojs[\\/]redact|sonic-boom|thread-stream|quick-format-unescaped|atomic-sleep|on-exit-leak-free|safe-stable-stringify|real-require)[\\/]/],
  ['cosmiconfig', /node_modules[\\/](cosmiconfig|env-paths|js-yaml|argparse|parse-json|@babel[\\/]code-frame|@babel[\\/]helper-validator-identifier|js-tokens|picocolors|error-ex|is-arrayish|json-parse-even-better-errors|lines-and-columns|import-fresh|parent-module|callsites|resolve-from)[\\/]/],
];

/** Code only the CLI, the gateway or one optional plugin uses stays out of the shared chunk. */
const OWN_CHUNK = /[\\/](cli|server|plugins[\\/](retry|rate-limit|logging|approval|cost))[\\/]/;

async function bundle() {
  rmSync(staging, { recursive: true, force: true });
  const build = await rolldown({
    input,
    platform: 'node',
    external: (id) => EXTERNAL.test(id),
    // tsc already checked the types; rolldown only strips them.
    logLevel: 'warn',
  });
  const { output } = await build.write({
    dir: staging,
    format: 'esm',
    sourcemap: true,
    entryFileNames: '[name].js',
    chunkFileNames: 'core/[name]-[hash].js',
    codeSplitting: {
      groups: [
        ...DEPENDENCY_CHUNKS.map(([name, test]) => ({ name, test })),
        { name: 'hyperagent', test: (id) => !OWN_CHUNK.test(id) },
      ],
    },
  });
  await build.close();
  return output.flatMap((chunk) => chunk.moduleIds ?? []);
}

/** The bundled packages' licence texts, which their licences ask to travel with their code. */
function writeLicenses(moduleIds) {
  const packages = new Map();
  for (const id of moduleIds) {
    const match = /^(.*[\\/]node_modules[\\/](?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/.exec(id);
    if (match && !packages.has(match[1])) packages.set(match[1], JSON.parse(readFileSync(join(match[1], 'package.json'), 'utf8')));
  }
  const sections = [...packages].sort(([, a], [, b]) => a.name.localeCompare(b.name)).map(([dir, pkg]) => {
    const file = readdirSync(dir).find((name) => /^(licen[cs]e|copying)(\.|$)/i.test(name));
    const text = file ? readFileSync(join(dir, file), 'utf8').trim() : `${pkg.license} (no licence file in the package)`;
    return `${pkg.name}@${pkg.version} (${pkg.license})\n\n${text}\n`;
  });
  writeFileSync(join(dist, 'THIRD_PARTY_LICENSES.txt'), `Packages bundled into HyperAgent's dist/ by scripts/bundle.js:\n\n${sections.join(`\n${'-'.repeat(72)}\n\n`)}`);
}

function walk(dir, visit) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, visit);
    else visit(path);
  }
}

/** Replace tsc's JavaScript in dist/ with the bundle; keep its declarations and the generated validators. */
function install() {
  walk(dist, (path) => {
    if (path.startsWith(staging) || path.includes(`${join('core', 'generated')}`)) return;
    if (path.endsWith('.js') || path.endsWith('.js.map')) rmSync(path);
  });
  walk(staging, (path) => {
    const target = join(dist, relative(staging, path));
    renameSync(path, target);
  });
  rmSync(staging, { recursive: true, force: true });
}

async function check() {
  const library = await import(pathToFileURL(join(dist, 'index.js')).href);
  for (const name of Object.keys(library.BUILTIN_PROVIDERS)) await library.loadProvider(name, root);
  for (const name of Object.keys(library.BUILTIN_PLUGINS)) await library.loadPlugin(name, root);
}

const moduleIds = await bundle();
install();
writeLicenses(moduleIds);
await check();
const files = [];
walk(dist, (path) => path.endsWith('.js') && !path.includes(join('core', 'generated')) && files.push(path));
process.stdout.write(`bundle: ${files.length} files in ${dist}\n`);
