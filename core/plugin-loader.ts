import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Ajv, ValidateFunction } from 'ajv';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { createAjv, createAjv2020 } from './ajv-loader.js';
import { ajvErrorsToProblems, didYouMean, formatProblems } from './config-errors.js';
import { isPluginDefinition, isProviderDefinition, type JsonSchema, type PluginDefinition, type ProviderDefinition } from './define.js';
import { ConfigError, PluginLoadError, type ConfigProblem } from './errors.js';
import { precompiledOptionsValidator, withAjvErrors } from './precompiled-validators.js';

export type ModuleKind = 'provider' | 'plugin';

// The only place core knows plugins by name. Paths are relative to this file (core/ or dist/core/).
export const BUILTIN_PROVIDERS: Readonly<Record<string, string>> = Object.freeze({
  openai: '../plugins/openai/index.js',
  anthropic: '../plugins/anthropic/index.js',
  openrouter: '../plugins/openrouter/index.js',
  'openai-compatible': '../plugins/openai-compatible/index.js',
  groq: '../plugins/groq/index.js',
  deepseek: '../plugins/deepseek/index.js',
  xai: '../plugins/xai/index.js',
  together: '../plugins/together/index.js',
  fireworks: '../plugins/fireworks/index.js',
  cerebras: '../plugins/cerebras/index.js',
  perplexity: '../plugins/perplexity/index.js',
  deepinfra: '../plugins/deepinfra/index.js',
  vllm: '../plugins/vllm/index.js',
  llamacpp: '../plugins/llamacpp/index.js',
  lmstudio: '../plugins/lmstudio/index.js',
  azure: '../plugins/azure/index.js',
  bedrock: '../plugins/bedrock/index.js',
  google: '../plugins/google/index.js',
  vertex: '../plugins/vertex/index.js',
  mistral: '../plugins/mistral/index.js',
  cohere: '../plugins/cohere/index.js',
  ollama: '../plugins/ollama/index.js',
  mock: '../plugins/mock/index.js',
});

export const BUILTIN_PLUGINS: Readonly<Record<string, string>> = Object.freeze({
  retry: '../plugins/retry/index.js',
  'rate-limit': '../plugins/rate-limit/index.js',
  logging: '../plugins/logging/index.js',
  approval: '../plugins/approval/index.js',
  cost: '../plugins/cost/index.js',
});

export interface ResolvedModule {
  /** As written in the config. */
  readonly spec: string;
  readonly source: 'builtin' | 'path' | 'package';
  /** Absolute file path that will be imported. */
  readonly path: string;
}

const DEFINE = { provider: 'defineProvider', plugin: 'definePlugin' } as const;

function builtins(kind: ModuleKind): Readonly<Record<string, string>> {
  return kind === 'provider' ? BUILTIN_PROVIDERS : BUILTIN_PLUGINS;
}

function isPathSpec(spec: string): boolean {
  return spec.startsWith('./') || spec.startsWith('../') || spec.startsWith('file:') || isAbsolute(spec) || spec === '.' || spec === '..';
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

/** Where `spec` (a built-in name, a path relative to `configDir`, or a package name) will be imported from. */
export function resolveModule(spec: string, configDir: string, kind: ModuleKind): ResolvedModule {
  const table = builtins(kind);
  if (Object.hasOwn(table, spec)) {
    const path = fileURLToPath(new URL(table[spec], import.meta.url));
    // Under a TypeScript runner (vitest) this file is core/plugin-loader.ts and the sources are .ts.
    const source = path.replace(/\.js$/, '.ts');
    if (isFile(path)) return { spec, source: 'builtin', path };
    if (import.meta.url.endsWith('.ts') && isFile(source)) return { spec, source: 'builtin', path: source };
    throw new PluginLoadError(spec, `The built-in ${kind} "${spec}" is not available: its module is missing at ${path}. Run "npm run build", or reinstall hyperagent.`);
  }
  if (isPathSpec(spec)) {
    const base = spec.startsWith('file:') ? fileURLToPath(spec) : resolve(configDir, spec);
    const path = [base, `${base}.js`, `${base}.mjs`, `${base}.cjs`, join(base, 'index.js')].find(isFile);
    if (!path) throw new PluginLoadError(spec, `Cannot load ${kind} "${spec}": no file at ${base} (relative paths are resolved from the config file's folder, ${configDir}).`);
    return { spec, source: 'path', path };
  }
  return { spec, source: 'package', path: resolvePackage(spec, configDir, kind) };
}

function resolvePackage(spec: string, configDir: string, kind: ModuleKind): string {
  const require = createRequire(join(configDir, 'package.json'));
  try {
    return require.resolve(spec);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') {
      const viaImport = resolveImportCondition(spec, require.resolve.paths(spec) ?? []);
      if (viaImport) return viaImport;
    }
    const names = Object.keys(builtins(kind));
    const suggestion = didYouMean(spec, names);
    const hint = suggestion ? ` Did you mean the built-in ${kind} "${suggestion}"?` : ` Built-in ${kind}s: ${names.join(', ')}.`;
    const reason = code === 'MODULE_NOT_FOUND' ? `no package "${spec}" is installed where the config is (${configDir})` : (error as Error).message;
    throw new PluginLoadError(spec, `Cannot load ${kind} "${spec}": ${reason}. Install it next to the config, or give a path starting with "./".${hint}`, { cause: error });
  }
}

/** ESM-only packages export only an `import` condition, which `require.resolve` cannot see. */
function resolveImportCondition(spec: string, lookupPaths: readonly string[]): string | undefined {
  const parts = spec.split('/');
  const nameLength = spec.startsWith('@') ? 2 : 1;
  const name = parts.slice(0, nameLength).join('/');
  const subpath = ['.', ...parts.slice(nameLength)].join('/');
  for (const dir of lookupPaths) {
    const packageDir = join(dir, name);
    if (!isFile(join(packageDir, 'package.json'))) continue;
    const { exports } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { exports?: unknown };
    const isSubpathMap = typeof exports === 'object' && exports !== null && !Array.isArray(exports) && Object.keys(exports).some((k) => k.startsWith('.'));
    const target = pickCondition(isSubpathMap ? (exports as Record<string, unknown>)[subpath] : subpath === '.' ? exports : undefined);
    return target ? resolve(packageDir, target) : undefined;
  }
  return undefined;
}

function pickCondition(target: unknown): string | undefined {
  if (typeof target === 'string') return target;
  if (Array.isArray(target)) return target.map(pickCondition).find(Boolean);
  if (typeof target !== 'object' || target === null) return undefined;
  for (const condition of ['import', 'node', 'default']) {
    const found = pickCondition((target as Record<string, unknown>)[condition]);
    if (found) return found;
  }
  return undefined;
}

/** How long importing a provider or plugin module may take, when neither the option nor the environment says. */
export const DEFAULT_IMPORT_TIMEOUT_MS = 10_000;

/** The environment variable that sets the import timeout (milliseconds) for every load. */
export const IMPORT_TIMEOUT_ENV = 'HYPERAGENT_IMPORT_TIMEOUT_MS';

export interface LoadModuleOptions {
  /**
   * How long the module's `import()` may take before it is a PluginLoadError: a module whose
   * top-level `await` never settles would otherwise end the process with exit code 13 and no
   * output, or hang it when the module holds a timer.
   * @default HYPERAGENT_IMPORT_TIMEOUT_MS from `env`, else 10000
   */
  readonly importTimeoutMs?: number;
  /** Where HYPERAGENT_IMPORT_TIMEOUT_MS is read. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The import timeout `options` ask for: a bad option is a TypeError, a bad HYPERAGENT_IMPORT_TIMEOUT_MS a ConfigError. */
export function importTimeoutMs(options: LoadModuleOptions = {}): number {
  if (options.importTimeoutMs !== undefined) {
    if (!(options.importTimeoutMs > 0)) throw new TypeError(`importTimeoutMs: expected a number of milliseconds > 0, got ${String(options.importTimeoutMs)}.`);
    return options.importTimeoutMs;
  }
  const env = options.env ?? process.env;
  const text = Object.hasOwn(env, IMPORT_TIMEOUT_ENV) ? env[IMPORT_TIMEOUT_ENV] : undefined;
  if (text === undefined || text.trim() === '') return DEFAULT_IMPORT_TIMEOUT_MS;
  const value = Number(text);
  if (!(value > 0)) {
    throw new ConfigError(`${IMPORT_TIMEOUT_ENV} must be a number of milliseconds > 0, got "${text}". Set it to e.g. 30000, or unset it for the default (${DEFAULT_IMPORT_TIMEOUT_MS}).`);
  }
  return value;
}

// setTimeout fires at once past 2^31 - 1 ms: clamp, which is as good as never.
const MAX_TIMER_MS = 2 ** 31 - 1;

async function importModule(resolved: ResolvedModule, kind: ModuleKind, options: LoadModuleOptions): Promise<Record<string, unknown>> {
  const waitMs = importTimeoutMs(options);
  let timer: ReturnType<typeof setTimeout> | undefined;
  // The timer also keeps the event loop alive, so a never-settling import ends in this error, not in exit code 13.
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const message =
        `Cannot load ${kind} "${resolved.spec}" from ${resolved.path}: its import did not settle within ${waitMs} ms ` +
        `(its top-level code awaits something that never finishes). Fix the module, or set ${IMPORT_TIMEOUT_ENV} to wait longer.`;
      reject(new PluginLoadError(resolved.spec, message));
    }, Math.min(waitMs, MAX_TIMER_MS));
  });
  try {
    return (await Promise.race([import(pathToFileURL(resolved.path).href), timeout])) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof PluginLoadError) throw error;
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    const hint = resolved.path.endsWith('.ts') && !import.meta.url.endsWith('.ts') ? ' Node cannot import TypeScript: compile the module to .js.' : '';
    throw new PluginLoadError(resolved.spec, `Cannot load ${kind} "${resolved.spec}" from ${resolved.path}: ${reason}.${hint}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}

function describeExport(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'function') return 'a function';
  if (typeof value !== 'object') return `a ${typeof value}`;
  return `an object with keys ${Object.keys(value).join(', ') || '(none)'}`;
}

/** `, lacking create() (a function)`: what an object default export misses to be a `kind` definition. */
function lacking(value: unknown, kind: ModuleKind): string {
  if (typeof value !== 'object' || value === null) return '';
  const record = value as Record<string, unknown>;
  const method = kind === 'provider' ? 'create' : 'apply';
  const missing = [...(typeof record.name === 'string' && record.name !== '' ? [] : ['name (a non-empty string)']), ...(typeof record[method] === 'function' ? [] : [`${method}() (a function)`])];
  return missing.length ? `, lacking ${missing.join(' and ')}` : '';
}

function definitionFrom(namespace: Record<string, unknown>, resolved: ResolvedModule, kind: ModuleKind): unknown {
  const accepts = kind === 'provider' ? isProviderDefinition : isPluginDefinition;
  const fallback = (namespace.default as { default?: unknown } | undefined)?.default; // CommonJS `exports.default`
  const candidates = [namespace.default, fallback, namespace[kind]];
  const found = candidates.find(accepts);
  if (found) return found;
  const where = `${kind} module "${resolved.spec}" (${resolved.path})`;
  const other = kind === 'provider' ? 'plugin' : 'provider';
  if (candidates.some(kind === 'provider' ? isPluginDefinition : isProviderDefinition)) {
    const section = other === 'plugin' ? 'under "plugins"' : `as a backend's "provider"`;
    throw new PluginLoadError(resolved.spec, `The ${where} exports a ${other} made with ${DEFINE[other]}, not a ${kind}: list it ${section}.`);
  }
  const names = Object.keys(namespace).filter((key) => key !== 'default');
  const what =
    namespace.default === undefined
      ? `has no default export made with ${DEFINE[kind]}${names.length ? ` (it exports: ${names.join(', ')})` : ''}`
      : `has a default export that is ${describeExport(namespace.default)}${lacking(namespace.default, kind)}, not a ${kind} made with ${DEFINE[kind]}`;
  throw new PluginLoadError(resolved.spec, `The ${where} ${what}. Export default ${DEFINE[kind]}({ name, ... }).`);
}

/** Import a provider: a built-in name, a path relative to `configDir`, or a package installed next to the config. */
export async function loadProvider(spec: string, configDir: string, options: LoadModuleOptions = {}): Promise<ProviderDefinition> {
  const resolved = resolveModule(spec, configDir, 'provider');
  return definitionFrom(await importModule(resolved, 'provider', options), resolved, 'provider') as ProviderDefinition;
}

/** Import a cross-cutting plugin, found the same way as a provider. */
export async function loadPlugin(spec: string, configDir: string, options: LoadModuleOptions = {}): Promise<PluginDefinition> {
  const resolved = resolveModule(spec, configDir, 'plugin');
  return definitionFrom(await importModule(resolved, 'plugin', options), resolved, 'plugin') as PluginDefinition;
}

// Compiling a schema is the slow part; plugin schemas are module constants, so key by identity.
const validators = new WeakMap<JsonSchema, ValidateFunction>();
let draft07: Ajv | undefined;
let draft2020: Ajv2020 | undefined;

/** The Ajv options options schemas are compiled with, here and by scripts/compile-schemas.js. */
export const OPTIONS_AJV_OPTIONS = Object.freeze({ allErrors: true, verbose: true, strict: false });

/** Whether an options schema is compiled as draft-07 (its `$schema` says draft-04/06/07) rather than 2020-12. */
export function isDraft07(schema: JsonSchema): boolean {
  return typeof schema.$schema === 'string' && /draft-0[467]/.test(schema.$schema);
}

/** The validator of a provider's or plugin's `optionsSchema`, compiled once per schema object. */
export function compileOptionsSchema(schema: JsonSchema): ValidateFunction {
  let validate = validators.get(schema);
  if (!validate) {
    const compile = (): ValidateFunction =>
      isDraft07(schema) ? (draft07 ??= createAjv(OPTIONS_AJV_OPTIONS)).compile(schema) : (draft2020 ??= createAjv2020(OPTIONS_AJV_OPTIONS)).compile(schema);
    // The built-in providers' and plugins' schemas are compiled to code at build time (scripts/compile-schemas.js).
    const fast = precompiledOptionsValidator(schema);
    validate = fast ? withAjvErrors(fast, compile) : compile();
    validators.set(schema, validate);
  }
  return validate;
}

function kindOf(definition: ProviderDefinition | PluginDefinition): ModuleKind {
  return isPluginDefinition(definition) ? 'plugin' : 'provider';
}

/**
 * Problems with `options` against the definition's `optionsSchema`, at JSON paths under `where`
 * (e.g. `/plugins/2/1`). A schema that does not compile is a PluginLoadError: the module is broken.
 */
export function optionsProblems(definition: ProviderDefinition | PluginDefinition, options: unknown, where: string): ConfigProblem[] {
  if (!definition.optionsSchema) return [];
  let validate: ValidateFunction;
  try {
    validate = compileOptionsSchema(definition.optionsSchema);
  } catch (error) {
    throw new PluginLoadError(definition.name, `The ${kindOf(definition)} "${definition.name}" has an invalid optionsSchema: ${(error as Error).message}`, { cause: error });
  }
  return validate(options ?? {}) ? [] : ajvErrorsToProblems(validate.errors, where);
}

/**
 * Throw a PluginLoadError listing every problem with `options`, each at its JSON path.
 * `module` is the spec the definition was loaded from, named in the message. @default definition.name
 */
export function validateOptions(definition: ProviderDefinition | PluginDefinition, options: unknown, where: string, module: string = definition.name): void {
  const problems = optionsProblems(definition, options, where);
  if (problems.length === 0) return;
  const from = module === definition.name ? '' : ` (from "${module}")`;
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  throw new PluginLoadError(module, `Invalid options for the ${kindOf(definition)} "${definition.name}"${from} at ${where || '/'} (${count}):\n${formatProblems(problems)}`, { problems });
}
