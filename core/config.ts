import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { createAjv } from './ajv-loader.js';
import type { Loader } from 'cosmiconfig';
import { ajvErrorsToProblems, dedupe, didYouMean, FORBIDDEN_KEYS, forbiddenKeyProblems, formatProblems, joinPointer } from './config-errors.js';
import { rethrowUnreadable, unreadableConfigError } from './config-file-errors.js';
import { withoutBuiltinLinks } from './config-schema-links.js';
import type { BackendConfig } from './define.js';
import { ConfigError, type ConfigProblem } from './errors.js';
import { precompiledConfigValidator, withAjvErrors } from './precompiled-validators.js';

/** Where a config is looked for, in each directory from `cwd` up to the project root (the first `package.json`). */
export const CONFIG_SEARCH_PLACES: readonly string[] = Object.freeze(['hyperagent.config.json', '.hyperagentrc', '.hyperagentrc.json', 'package.json']);

export type ProviderBackendConfig = BackendConfig;

export interface GroupTarget {
  readonly backend: string;
  /** Share of calls under `loadbalance`. @default 1 */
  readonly weight?: number;
}

export interface CooldownConfig {
  /** Failures within `windowMs` that take a target out of rotation. */
  readonly failures?: number;
  readonly windowMs?: number;
  /** How long a failing target stays out. */
  readonly cooldownMs?: number;
}

/** A backend made of other backends. */
export interface GroupBackendConfig {
  readonly strategy: 'fallback' | 'loadbalance';
  readonly targets: readonly (string | GroupTarget)[];
  /** Error codes or kinds that move on to the next target. */
  readonly fallbackOn?: readonly string[];
  readonly cooldown?: CooldownConfig;
}

export type BackendEntry = ProviderBackendConfig | GroupBackendConfig;

/** A plugin name or path, or a `[name, options]` pair. */
export type PluginEntry = string | readonly [spec: string, options?: Readonly<Record<string, unknown>>];

export interface ServerConfig {
  /** @default "127.0.0.1" */
  readonly host?: string;
  readonly port?: number;
  /** Keys clients must send as `Authorization: Bearer …`; `${VAR}` allowed. */
  readonly apiKeys?: readonly string[];
  readonly maxBodyBytes?: number;
  readonly cors?: false | { readonly origins: readonly string[] };
  /** A request field the backend cannot honour is a 400 naming it, not a warning header. @default false */
  readonly strictParams?: boolean;
  /** How long a stored Responses API response can be fetched and continued. @default 2592000000 (30 days) */
  readonly responsesTtlMs?: number;
}

/**
 * Where rate-limit windows, budgets and routing cooldowns live (see `core/store`): this process, or
 * a Redis shared by every instance that names the same `url` and `keyPrefix`.
 */
export type StoreConfig =
  | { readonly type: 'memory' }
  | {
      readonly type: 'redis';
      /** `redis://…`, or `rediss://…` for TLS; `${VAR}` allowed (read when the agent is created). */
      readonly url: string;
      /** @default 'hyperagent:' */
      readonly keyPrefix?: string;
      /** Longest wait for one store operation. @default 500 */
      readonly timeoutMs?: number;
      /** Refuse calls that need the store while it is down, or let them through uncounted. Budgets and rate limits alike. @default 'fail-closed' */
      readonly onStoreError?: 'fail-closed' | 'fail-open';
    };

/** The contents of `hyperagent.config.json`, validated and frozen. `${VAR}` references are still in place. */
export interface HyperAgentConfig {
  readonly $schema?: string;
  /**
   * The backend used when none is named, or a list of them: the first whose `${VAR}`s are all set
   * is used (see `chooseDefaultBackend`). @default the first backend
   */
  readonly defaultBackend?: string | readonly string[];
  readonly backends: Readonly<Record<string, BackendEntry>>;
  readonly plugins?: readonly PluginEntry[];
  readonly server?: ServerConfig;
  /** @default { type: 'memory' } */
  readonly store?: StoreConfig;
  /**
   * A price file (`hyperagent prices update --from FILE|URL` writes one), relative to the config's
   * folder: its prices come before the shipped snapshot's, for negotiated rates or newer models.
   * @default undefined (the shipped prices)
   */
  readonly prices?: string;
}

export interface LoadedConfig {
  readonly config: HyperAgentConfig;
  /** `undefined` when the config was given as an object. */
  readonly filepath: string | undefined;
  /** Relative provider and plugin paths are resolved from here. */
  readonly configDir: string;
}

export interface LoadConfigOptions {
  /** An explicit config file (`--config`), relative to `cwd`. Skips the search. */
  readonly configPath?: string;
  /** Where the search starts. @default process.cwd() */
  readonly cwd?: string;
}

/** A config file as read from disk, not yet validated. */
export interface RawConfigFile {
  readonly raw: unknown;
  readonly filepath: string;
  readonly configDir: string;
}

export function isGroupBackend(entry: BackendEntry): entry is GroupBackendConfig {
  return 'strategy' in entry;
}

/** The spec and options of a plugin entry; a bare name has options `{}`. */
export function pluginEntryParts(entry: PluginEntry): { readonly spec: string; readonly options: Readonly<Record<string, unknown>> } {
  return typeof entry === 'string' ? { spec: entry, options: {} } : { spec: entry[0], options: entry[1] ?? {} };
}

const EXAMPLE = `{
  "$schema": "./node_modules/hyperagent/schemas/hyperagent.config.schema.json",
  "defaultBackend": "claude",
  "backends": {
    "claude": { "provider": "anthropic", "model": "claude-sonnet-4-6" }
  }
}`;

/** Read and parse the config file (found by search or given), without validating it. */
export async function readConfigFile(options: LoadConfigOptions = {}): Promise<RawConfigFile> {
  const cwd = resolve(options.cwd ?? process.cwd());
  if (options.configPath !== undefined && basename(options.configPath) !== 'package.json') return readNamedConfigFile(resolve(cwd, options.configPath));
  // Loaded here, not with the library: a config passed as an object or a path never needs it.
  const { cosmiconfig } = await import('cosmiconfig');
  const explorer = cosmiconfig('hyperagent', {
    searchPlaces: [...CONFIG_SEARCH_PLACES],
    searchStrategy: 'project',
    loaders: { '.json': loadJson, noExt: loadJson, default: loadJson },
    ignoreEmptySearchPlaces: false,
    cache: false,
  });
  let result;
  if (options.configPath !== undefined) {
    const filepath = resolve(cwd, options.configPath);
    checkConfigFileExists(filepath);
    result = await explorer.load(filepath).catch((error: unknown) => rethrowUnreadable(error));
    if (result === null) throw new ConfigError(`${filepath} has no "hyperagent" key. Add one with your config, or pass a hyperagent.config.json.`, [], filepath);
  } else {
    result = await explorer.search(cwd).catch((error: unknown) => rethrowUnreadable(error));
    if (result === null) {
      throw new ConfigError(
        `No HyperAgent config found in ${cwd} or its parents up to the project root. ` +
          `Create hyperagent.config.json, for example:\n${EXAMPLE}\nor pass --config <path>.`,
      );
    }
  }
  if (result.isEmpty) throw emptyConfigError(result.filepath);
  return { raw: result.config, filepath: result.filepath, configDir: dirname(result.filepath) };
}

/**
 * A config file named by path is read as cosmiconfig reads it with our loaders (the same checks and
 * messages), without loading cosmiconfig: it only earns its place when searching, or for the
 * `hyperagent` key of a package.json.
 */
function readNamedConfigFile(filepath: string): RawConfigFile {
  checkConfigFileExists(filepath);
  let content: string;
  try {
    content = readFileSync(filepath, 'utf8');
  } catch (error) {
    throw unreadableConfigError(filepath, error as NodeJS.ErrnoException);
  }
  if (content.trim() === '') throw emptyConfigError(filepath);
  return { raw: loadJson(filepath, content), filepath, configDir: dirname(filepath) };
}

function checkConfigFileExists(filepath: string): void {
  let stats;
  try {
    stats = statSync(filepath);
  } catch (error) {
    throw unreadableConfigError(filepath, error as NodeJS.ErrnoException);
  }
  if (!stats.isFile()) throw new ConfigError(`${filepath} is a directory, not a config file. Pass the path of a hyperagent.config.json.`, [], filepath);
}

function emptyConfigError(filepath: string): ConfigError {
  return new ConfigError(`${filepath} is empty. Put a JSON config in it, for example:\n${EXAMPLE}`, [], filepath);
}

/** Find, read and validate the config. The result is deep-frozen; `${VAR}`s are resolved later, per backend. */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const { raw, filepath, configDir } = await readConfigFile(options);
  return { config: validateConfig(raw, filepath), filepath, configDir };
}

/** Check `raw` against the schema and the rules the schema cannot express. Throws a ConfigError listing every problem. */
export function validateConfig(raw: unknown, file?: string): HyperAgentConfig {
  const problems = configProblems(raw);
  if (problems.length > 0) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    throw new ConfigError(`Invalid HyperAgent config${file ? ` in ${file}` : ''} (${count}):\n${formatProblems(problems)}`, problems, file);
  }
  return deepFreeze(structuredClone(raw)) as HyperAgentConfig;
}

/** Every problem in `raw`: forbidden keys, schema violations, unknown backend names, target cycles. */
export function configProblems(raw: unknown): ConfigProblem[] {
  // Checked before the schema: a validator's errors for a huge list of bad entries grow as the
  // square of their number (100,000 plugin entries took minutes), and no person reads them all.
  const oversized = oversizedProblem(raw);
  if (oversized) return [oversized];
  const validate = configValidator();
  validate(raw);
  return dedupe([...forbiddenKeyProblems(raw), ...ajvErrorsToProblems(validate.errors), ...semanticProblems(raw)]);
}

/** More plugins than any config needs: the list is refused whole rather than entry by entry. */
export const MAX_PLUGIN_ENTRIES = 1_000;

function oversizedProblem(raw: unknown): ConfigProblem | undefined {
  if (!isRecord(raw) || !Array.isArray(raw.plugins) || raw.plugins.length <= MAX_PLUGIN_ENTRIES) return undefined;
  return { path: '/plugins', message: `lists ${raw.plugins.length} entries; at most ${MAX_PLUGIN_ENTRIES} are allowed (each plugin once, with its options)` };
}

let validator: ValidateFunction | undefined;

/** The Ajv options the config schema is compiled with, here and by scripts/compile-schemas.js. */
export const CONFIG_AJV_OPTIONS = Object.freeze({ allErrors: true, verbose: true, strict: true, strictRequired: false, strictTuples: false });

function configValidator(): ValidateFunction {
  if (validator) return validator;
  // Read at run time: from core/ in the sources and from dist/core/ once built.
  const candidates = ['../schemas/hyperagent.config.schema.json', '../../schemas/hyperagent.config.schema.json'].map((p) => fileURLToPath(new URL(p, import.meta.url)));
  const file = candidates.find((candidate) => existsSync(candidate));
  if (!file) throw new ConfigError(`The config schema is missing (looked for ${candidates.join(', ')}). Reinstall hyperagent.`);
  const schema = withoutBuiltinLinks(JSON.parse(readFileSync(file, 'utf8')) as object);
  const compile = (): ValidateFunction => createAjv(CONFIG_AJV_OPTIONS).compile(schema);
  // The build compiles this schema to code (scripts/compile-schemas.js): no Ajv at start-up unless the config is invalid.
  const fast = precompiledConfigValidator(JSON.stringify(schema));
  validator = fast ? withAjvErrors(fast, compile) : compile();
  return validator;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unknownBackend(name: string, known: readonly string[]): string {
  const suggestion = didYouMean(name, known);
  const hint = suggestion ? ` — did you mean "${suggestion}"?` : ` (configured: ${known.join(', ') || 'none'})`;
  return `no backend is named "${name}"${hint}`;
}

/** What the schema cannot say: names must point at backends, and groups must not target each other in a loop. */
function semanticProblems(raw: unknown): ConfigProblem[] {
  if (!isRecord(raw) || !isRecord(raw.backends)) return [];
  const backends = raw.backends;
  const names = Object.keys(backends).filter((name) => !FORBIDDEN_KEYS.has(name));
  const problems: ConfigProblem[] = [];
  if (typeof raw.defaultBackend === 'string' && raw.defaultBackend !== '' && !names.includes(raw.defaultBackend)) {
    problems.push({ path: '/defaultBackend', message: unknownBackend(raw.defaultBackend, names) });
  }
  if (Array.isArray(raw.defaultBackend)) {
    raw.defaultBackend.forEach((name: unknown, index) => {
      if (typeof name === 'string' && name !== '' && !names.includes(name)) problems.push({ path: joinPointer('/defaultBackend', index), message: unknownBackend(name, names) });
    });
  }
  const edges = new Map<string, string[]>();
  for (const name of names) {
    const entry = backends[name];
    if (!isRecord(entry) || !('strategy' in entry) || !Array.isArray(entry.targets)) continue;
    const targets: string[] = [];
    entry.targets.forEach((target: unknown, index) => {
      const targetName = typeof target === 'string' ? target : isRecord(target) && typeof target.backend === 'string' ? target.backend : undefined;
      if (!targetName) return;
      const path = joinPointer('/backends', name, 'targets', index, ...(typeof target === 'string' ? [] : ['backend']));
      if (names.includes(targetName)) targets.push(targetName);
      else problems.push({ path, message: unknownBackend(targetName, names.filter((n) => n !== name)) });
    });
    edges.set(name, targets);
  }
  return [...problems, ...cycleProblems(edges)];
}

/** One problem per loop among group backends, e.g. `a → b → a`. */
function cycleProblems(edges: ReadonlyMap<string, readonly string[]>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): void => {
    state.set(name, 'visiting');
    stack.push(name);
    for (const target of edges.get(name) ?? []) {
      if (!edges.has(target)) continue;
      if (state.get(target) === 'visiting') {
        const loop = [...stack.slice(stack.indexOf(target)), target];
        problems.push({ path: joinPointer('/backends', target, 'targets'), message: `group backends target each other in a loop: ${loop.join(' → ')}` });
      } else if (!state.has(target)) {
        visit(target);
      }
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const name of edges.keys()) if (!state.has(name)) visit(name);
  return problems;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Strict JSON for every config file, with the line and column of a syntax error. */
const loadJson: Loader = (filepath, content) => {
  const text = content.replace(/^\uFEFF/, '');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const { line, column } = lineAndColumn(text, syntaxErrorOffset(text, message));
    const reason = message.replace(/ in JSON at position \d+.*$/s, '').replace(/, ".*is not valid JSON$/s, '');
    throw new ConfigError(`${filepath} is not valid JSON: ${reason} at line ${line}, column ${column}.`, [{ path: '/', message: `${reason} at line ${line}, column ${column}` }], filepath);
  }
  // cosmiconfig would merge files named by `$import` itself, past our checks for prototype keys.
  const own = basename(filepath) === 'package.json' && isRecord(parsed) ? parsed.hyperagent : parsed;
  if (isRecord(own) && Object.hasOwn(own, '$import')) {
    throw new ConfigError(`${filepath}: "$import" is not supported in a HyperAgent config.`, [{ path: '/$import', message: 'unknown key "$import"' }], filepath);
  }
  return parsed;
};

function syntaxErrorOffset(text: string, message: string): number {
  const at = /at position (\d+)/.exec(message);
  if (at) return Number(at[1]);
  if (message.includes('Unexpected end of JSON input')) return text.length;
  // V8 names no position for an unexpected token: find the longest prefix that still parses as far as it goes.
  let good = 0;
  let bad = text.length;
  while (bad - good > 1) {
    const middle = (good + bad) >> 1;
    if (isValidPrefix(text.slice(0, middle))) good = middle;
    else bad = middle;
  }
  return good;
}

function isValidPrefix(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return true;
  } catch (error) {
    const message = (error as Error).message;
    const at = /at position (\d+)/.exec(message);
    return message.includes('Unexpected end of JSON input') || (at !== null && Number(at[1]) >= prefix.trimEnd().length);
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}
