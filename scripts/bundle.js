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
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
 * Loaded at run time from node_modules, not bundled: package.json's `dependencies` (undici, ajv)
 * and optional `peerDependencies` (ioredis, imported only for `store: { type: "redis" }`). cosmiconfig
 * names typescript only to read .ts config files, which HyperAgent never asks it to: it must not be
 * bundled (nor installed). `checkDependencies` below holds package.json to exactly this list.
 */
const EXTERNAL = /^(undici|ajv|ioredis|typescript)(\/|$)/;
const NEVER_LOADED = new Set(['typescript']);

/** Bundled dependencies that only some entries need get chunks of their own, loaded with them. */
const DEPENDENCY_CHUNKS = [
  ['pino', /node_modules[\\/](pino|pino-std-serializers|@pinojs[\\/]redact|sonic-boom|thread-stream|quick-format-unescaped|atomic-sleep|on-exit-leak-free|safe-stable-stringify|real-require)[\\/]/],
  // The AWS signer and event-stream codec: bundled (one file loads faster than their many), loaded only by the bedrock provider.
  ['aws', /node_modules[\\/](@smithy|@aws-crypto|@aws-sdk|tslib)[\\/]/],
  ['cosmiconfig', /node_modules[\\/](cosmiconfig|env-paths|js-yaml|argparse|parse-json|@babel[\\/]code-frame|@babel[\\/]helper-validator-identifier|js-tokens|picocolors|error-ex|is-arrayish|json-parse-even-better-errors|lines-and-columns|import-fresh|parent-module|callsites|resolve-from)[\\/]/],
];

/** Code only the CLI, the gateway or one optional plugin uses stays out of the shared chunk. */
// The Google providers and their protocol load only when a config uses them (a cold start without them is unchanged).
// The Redis store (and with it ioredis, ~110 ms to import) loads only for `store: { type: "redis" }`.
const OWN_CHUNK = /[\\/](?:(?:cli|server|plugins[\\/](?:retry|rate-limit|logging|approval|cost|google|vertex|bedrock|mistral|cohere|ollama)|protocols[\\/](?:google-generative-ai|bedrock-converse|cohere-v2|ollama))[\\/]|core[\\/]store[\\/]redis-)/;

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
  // Read before close(): the chunks' fields come from the bundler's native side. Ajv and undici
  // are loaded with createRequire (lazily), which the bundler does not see: their calls (`require$1("undici")`
  // once renamed) are read from the code.
  const required = output.flatMap((chunk) => [...(chunk.code ?? '').matchAll(/\brequire(?:\$\d+)?\((["'])([^"'.][^"']*)\1\)/g)].map((match) => match[2]));
  const imported = output.flatMap((chunk) => [...(chunk.imports ?? []), ...(chunk.dynamicImports ?? []), ...required]);
  const externals = new Set(imported.filter((id) => EXTERNAL.test(id)).map(packageName));
  const moduleIds = output.flatMap((chunk) => chunk.moduleIds ?? []);
  await build.close();
  return { moduleIds, externals };
}

/** `ajv/dist/2020.js` -> `ajv`, `@scope/name/x` -> `@scope/name`. */
function packageName(id) {
  const parts = id.split('/');
  return id.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * What is installed with hyperagent must be what dist/ loads from node_modules: every external the
 * bundle loads is a dependency (or an optional peer), and every dependency is loaded. A bundled
 * package listed in `dependencies` would be installed for nothing (and audited for nothing). An
 * optional peer (ioredis) must stay external: its users install it, and it is imported only for them.
 */
function checkDependencies(externals) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const dependencies = Object.keys(pkg.dependencies ?? {});
  const peers = Object.keys(pkg.peerDependencies ?? {});
  const loaded = [...externals].filter((name) => !NEVER_LOADED.has(name)).sort();
  const problems = [
    ...loaded.filter((name) => !dependencies.includes(name) && !peers.includes(name)).map((name) => `${name} is loaded but not a dependency`),
    ...dependencies.filter((name) => !loaded.includes(name)).map((name) => `${name} is a dependency but bundled or unused (move it to devDependencies)`),
    ...peers.filter((name) => !EXTERNAL.test(name)).map((name) => `the peer dependency ${name} is not in EXTERNAL (it would be bundled)`),
  ];
  if (problems.length > 0) throw new Error(`bundle: package.json does not match what dist/ loads from node_modules (${loaded.join(', ')}): ${problems.join('; ')}.`);
}

/**
 * Declarations of bundled packages that HyperAgent's own public declarations use (Kernel's hooks are
 * tapable's): copied into dist/vendor/, since the package itself is not installed with hyperagent.
 */
const VENDORED_TYPES = { tapable: 'tapable/tapable.d.ts' };

/**
 * Point the declarations at the vendored copies, then check what a consumer's type checker reads
 * from the public entry points: every package it imports must be installed with hyperagent (a
 * dependency, an optional peer, @types/node) or vendored. A bundled package's types would
 * otherwise be missing, and with skipLibCheck silently `any`.
 */
function vendorTypes() {
  mkdirSync(join(dist, 'vendor'), { recursive: true });
  for (const [name, file] of Object.entries(VENDORED_TYPES)) copyFileSync(join(root, 'node_modules', file), join(dist, 'vendor', `${name}.d.ts`));
  const bare = /(from\s+|import\()(['"])([^'".][^'"]*)\2/g;
  walk(dist, (path) => {
    if (!path.endsWith('.d.ts') || path.includes(`${join(dist, 'vendor')}`)) return;
    const text = readFileSync(path, 'utf8');
    const out = text.replace(bare, (all, head, quote, id) => {
      if (!Object.hasOwn(VENDORED_TYPES, id)) return all;
      const target = relative(dirname(path), join(dist, 'vendor', `${id}.js`)).replaceAll('\\', '/');
      return `${head}${quote}${target.startsWith('.') ? target : `./${target}`}${quote}`;
    });
    if (out !== text) writeFileSync(path, out);
  });
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const installed = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]);
  const entries = Object.values(pkg.exports).map((entry) => entry?.types).filter(Boolean).map((file) => join(root, file));
  const seen = new Set();
  const problems = [];
  const visit = (file) => {
    if (seen.has(file) || !existsSync(file)) return;
    seen.add(file);
    for (const match of readFileSync(file, 'utf8').matchAll(/(?:from\s+|import\()(['"])([^'"]+)\1/g)) {
      const id = match[2];
      if (id.startsWith('.')) visit(join(dirname(file), id.replace(/\.js$/, '.d.ts')));
      else if (!id.startsWith('node:') && !installed.has(packageName(id))) problems.push(`${relative(root, file)} imports types from ${id}`);
    }
  };
  entries.forEach(visit);
  if (problems.length > 0) throw new Error(`bundle: the public declarations use packages not installed with hyperagent (vendor their types in VENDORED_TYPES, or keep them out of the public API): ${problems.join('; ')}.`);
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

/** The price data (core/prices/*.json) is read at run time, lazily, from beside the code in dist/core/. */
function copyPrices() {
  const target = join(dist, 'core', 'prices');
  mkdirSync(target, { recursive: true });
  for (const name of readdirSync(join(root, 'core', 'prices'))) if (name.endsWith('.json')) copyFileSync(join(root, 'core', 'prices', name), join(target, name));
}

const { moduleIds, externals } = await bundle();
install();
copyPrices();
writeLicenses(moduleIds);
checkDependencies(externals);
vendorTypes();
// The bin must stay executable: tsc and the bundler write plain files, and npm links the bin as is
// from a tarball packed after a rebuild (`sh: hyperagent: Permission denied` otherwise).
chmodSync(join(dist, 'cli', 'main.js'), 0o755);
await check();
const files = [];
walk(dist, (path) => path.endsWith('.js') && !path.includes(join('core', 'generated')) && files.push(path));
process.stdout.write(`bundle: ${files.length} files in ${dist}\n`);
