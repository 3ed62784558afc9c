import { resolve } from 'node:path';
import { missingBackendMembers } from './backend-shape.js';
import { dedupe, formatProblems, joinPointer } from './config-errors.js';
import { configProblems, isGroupBackend, loadConfig, pluginEntryParts, validateConfig, type HyperAgentConfig, type LoadedConfig } from './config.js';
import type { PluginDefinition, ProviderContext, ProviderDefinition } from './define.js';
import { chooseDefaultBackend } from './default-backend.js';
import { interpolateEnv, resolveBackendConfig, type Env } from './env.js';
import { ConfigError, isHyperAgentError, PluginLoadError, type ConfigProblem } from './errors.js';
import { Kernel } from './kernel.js';
import { createStateStore } from './store/create-state-store.js';
import type { StoreStatus } from './store/redis-connection.js';
import type { StateStore } from './store/state-store.js';
import { loadPlugin, loadProvider, optionsProblems } from './plugin-loader.js';
import { loadPriceOverrides } from './pricing-table.js';
import { registerConfiguredGroup } from './routing/register-group.js';
import { registerOptionSecrets } from './secret-options.js';
import { registerSettingsSecrets } from './secret-sources.js';
import type { LLMBackend } from './types.js';

export interface CreateHyperAgentOptions {
  /** The config itself, or the path of a config file (relative to `cwd`). @default searched for from `cwd` */
  readonly config?: HyperAgentConfig | string;
  /** Where the config search starts; the config's folder when `config` is an object. @default process.cwd() */
  readonly cwd?: string;
  /** Where `${VAR}` values and providers' default API keys are read. @default process.env */
  readonly env?: Env;
  /** A kernel to assemble into, e.g. one you already tapped. @default a new Kernel */
  readonly kernel?: Kernel;
  /** Told when a remote state store (`store: { "type": "redis" }`) goes down or comes back. @default one line on stderr each time */
  readonly onStoreStatus?: (status: StoreStatus) => void;
}

export interface HyperAgent {
  readonly kernel: Kernel;
  readonly config: HyperAgentConfig;
  /** `undefined` when the config was given as an object. */
  readonly configPath: string | undefined;
  readonly configDir: string;
  /** The named backend, or the default one, wrapped so every call runs the plugins. */
  backend(name?: string): LLMBackend;
  /** Every configured backend name: provider backends, then groups, each in config order. */
  readonly backendNames: readonly string[];
  /** Close what this agent opened (the connection of a Redis state store). Call it at shutdown; idempotent. */
  close(): Promise<void>;
}

/** What `checkConfig` needs: a config as read from disk, maybe invalid. */
export interface ConfigToCheck {
  readonly config: unknown;
  readonly filepath?: string | undefined;
  readonly configDir: string;
}

/**
 * Build a HyperAgent from its config: import the providers and plugins it names, check their
 * options, register every provider backend (created on first use, which is when `${VAR}`s are
 * read) and apply the plugins in config order.
 */
export async function createHyperAgent(options: CreateHyperAgentOptions = {}): Promise<HyperAgent> {
  const { config, filepath, configDir } = await configFrom(options);
  // Before any backend is made: every catalog prices its models through the price table.
  if (config.prices !== undefined) loadPriceOverrides(resolve(configDir, config.prices));
  const env = options.env ?? process.env;
  const kernel = options.kernel ?? new Kernel();
  const modules = await loadModules(config, configDir);
  const failures = [...modules.providers.values(), ...modules.plugins].filter((m): m is PluginLoadError => m instanceof PluginLoadError);
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new PluginLoadError(failures[0].module, failures.map((f) => f.message).join('\n'), { cause: failures[0] });
  const providers = modules.providers as Map<string, ProviderDefinition>;
  const plugins = modules.plugins as PluginDefinition[];

  const problems: ConfigProblem[] = [];
  const owners = new Set<string>();
  for (const [name, entry] of Object.entries(config.backends)) {
    if (isGroupBackend(entry)) continue;
    const found = optionsProblems(providers.get(entry.provider)!, entry.options, joinPointer('/backends', name, 'options'));
    if (found.length > 0) owners.add(`provider "${entry.provider}"`);
    problems.push(...found);
  }
  (config.plugins ?? []).forEach((entry, index) => {
    const found = optionsProblems(plugins[index], pluginEntryParts(entry).options, typeof entry === 'string' ? joinPointer('/plugins', index) : joinPointer('/plugins', index, 1));
    if (found.length > 0) owners.add(`plugin "${pluginEntryParts(entry).spec}"`);
    problems.push(...found);
  });
  if (problems.length > 0) {
    const where = filepath ? ` in ${filepath}` : '';
    throw new ConfigError(`Invalid options for ${[...owners].join(', ')}${where}:\n${formatProblems(problems)}`, problems, filepath);
  }

  // Before the plugins are applied: they take kernel.store when they are.
  const store = await configuredStore(config, env, options.onStoreStatus ?? storeStatusLine);
  if (store) kernel.store = store;
  try {
    await assemble(kernel, config, providers, plugins, filepath, configDir, env);
  } catch (error) {
    await store?.close();
    throw error;
  }
  const defaultChoice = chooseDefaultBackend(config, env);
  if (defaultChoice !== undefined) kernel.defaultBackend = defaultChoice.name;

  let closed: Promise<void> | undefined;
  return Object.freeze({
    kernel,
    config,
    configPath: filepath,
    configDir,
    backend: (name?: string) => kernel.backend(name),
    get backendNames() {
      return kernel.backendNames;
    },
    close: () => (closed ??= Promise.resolve(store?.close())),
  });
}

/** The config's `store`, when it names one other than this process's memory (which every kernel has). */
async function configuredStore(config: HyperAgentConfig, env: Env, onStatus: (status: StoreStatus) => void): Promise<StateStore | undefined> {
  const settings = config.store;
  if (settings === undefined || settings.type !== 'redis') return undefined;
  const url = interpolateEnv(settings.url, env, '/store/url');
  return createStateStore({ ...settings, url, onStatus });
}

/** The store's address only (never its password), one line each way. */
function storeStatusLine(status: StoreStatus): void {
  const line = status.state === 'down' ? `hyperagent: the state store (${status.store}) is unreachable: ${status.error.message}` : `hyperagent: the state store (${status.store}) is reachable again.`;
  process.stderr.write(`${line}\n`);
}

async function assemble(
  kernel: Kernel,
  config: HyperAgentConfig,
  providers: Map<string, ProviderDefinition>,
  plugins: PluginDefinition[],
  filepath: string | undefined,
  configDir: string,
  env: Env,
): Promise<void> {
  for (const [name, entry] of Object.entries(config.backends)) {
    if (isGroupBackend(entry)) continue;
    const definition = providers.get(entry.provider)!;
    const context: ProviderContext = { backendName: name, configDir, env };
    kernel.register(name, () => createBackend(definition, resolveBackendConfig(name, entry, env), context));
  }
  // After the provider backends, so the default stays the first provider backend unless the config names one.
  for (const [name, entry] of Object.entries(config.backends)) if (isGroupBackend(entry)) registerConfiguredGroup(kernel, name, entry, filepath);
  for (const [index, entry] of (config.plugins ?? []).entries()) {
    const { spec, options: pluginOptions } = pluginEntryParts(entry);
    const plugin = plugins[index];
    try {
      await kernel.applyStaged(() => plugin.apply(kernel, pluginOptions));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new PluginLoadError(spec, `The plugin "${plugin.name}" (${spec}, /plugins/${index}) failed while being applied: ${reason}`, { cause: error });
    }
    kernel.markApplied(plugin.name);
  }
}

/**
 * Every problem in a config as `hyperagent validate` reports it: the schema, names, modules that
 * fail to import, and options their schemas reject. Needs no environment variables and creates no backend.
 */
export async function checkConfig(loaded: ConfigToCheck | LoadedConfig): Promise<ConfigProblem[]> {
  const problems = configProblems(loaded.config);
  const raw = loaded.config as { backends?: unknown; plugins?: unknown } | null;
  const backends = isRecord(raw?.backends) ? Object.entries(raw.backends) : [];
  const usable = backends.filter((pair): pair is [string, Record<string, unknown>] => isRecord(pair[1]) && !('strategy' in pair[1]) && typeof pair[1].provider === 'string' && pair[1].provider !== '');
  const pluginEntries = Array.isArray(raw?.plugins) ? (raw.plugins as unknown[]) : [];
  const [providerResults, pluginResults] = await Promise.all([
    Promise.all(usable.map(([, entry]) => settle(loadProvider(entry.provider as string, loaded.configDir), entry.provider as string))),
    Promise.all(
      pluginEntries.map((entry) => {
        const spec = typeof entry === 'string' ? entry : Array.isArray(entry) && typeof entry[0] === 'string' ? entry[0] : '';
        return spec ? settle(loadPlugin(spec, loaded.configDir), spec) : undefined;
      }),
    ),
  ]);
  usable.forEach(([name, entry], index) => {
    const result = providerResults[index];
    if (result instanceof PluginLoadError) problems.push({ path: joinPointer('/backends', name, 'provider'), message: result.message });
    else if (entry.options === undefined || isRecord(entry.options)) problems.push(...safeOptionsProblems(result, entry.options, joinPointer('/backends', name, 'options')));
  });
  pluginEntries.forEach((entry, index) => {
    const result = pluginResults[index];
    const pair = Array.isArray(entry);
    if (result instanceof PluginLoadError) problems.push({ path: joinPointer('/plugins', index, ...(pair ? [0] : [])), message: result.message });
    else if (result && (!pair || entry[1] === undefined || isRecord(entry[1]))) problems.push(...safeOptionsProblems(result, pair ? (entry[1] ?? {}) : {}, joinPointer('/plugins', index, ...(pair ? [1] : []))));
  });
  return dedupe(problems);
}

function safeOptionsProblems(definition: ProviderDefinition | PluginDefinition, options: unknown, where: string): ConfigProblem[] {
  try {
    return optionsProblems(definition, options, where);
  } catch (error) {
    return [{ path: where, message: (error as Error).message }];
  }
}

async function configFrom(options: CreateHyperAgentOptions): Promise<LoadedConfig> {
  if (typeof options.config === 'string') return loadConfig({ configPath: options.config, cwd: options.cwd });
  if (options.config !== undefined) return { config: validateConfig(options.config), filepath: undefined, configDir: options.cwd ?? process.cwd() };
  return loadConfig({ cwd: options.cwd });
}

interface LoadedModules {
  /** By provider spec; each spec is imported once however many backends use it. */
  readonly providers: ReadonlyMap<string, ProviderDefinition | PluginLoadError>;
  /** In config order. */
  readonly plugins: readonly (PluginDefinition | PluginLoadError)[];
}

async function loadModules(config: HyperAgentConfig, configDir: string): Promise<LoadedModules> {
  const specs = [...new Set(Object.values(config.backends).flatMap((entry) => (isGroupBackend(entry) ? [] : [entry.provider])))];
  const pluginSpecs = (config.plugins ?? []).map((entry) => pluginEntryParts(entry).spec);
  const [providers, plugins] = await Promise.all([
    Promise.all(specs.map((spec) => settle(loadProvider(spec, configDir), spec))),
    Promise.all(pluginSpecs.map((spec) => settle(loadPlugin(spec, configDir), spec))),
  ]);
  return { providers: new Map(specs.map((spec, index) => [spec, providers[index]])), plugins };
}

function settle<T>(promise: Promise<T>, spec: string): Promise<T | PluginLoadError> {
  return promise.catch((error: unknown) =>
    error instanceof PluginLoadError ? error : new PluginLoadError(spec, `Cannot load "${spec}": ${error instanceof Error ? error.message : String(error)}`, { cause: error }),
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A backend from a provider definition: its secrets registered first, its result checked. */
export function createBackend(definition: ProviderDefinition, config: Parameters<ProviderDefinition['create']>[0], context: ProviderContext): LLMBackend {
  const check = (backend: unknown): LLMBackend => {
    const missing = missingBackendMembers(backend);
    if (missing.length === 0) return backend as LLMBackend;
    throw new PluginLoadError(definition.name, `The provider "${definition.name}" returned an incomplete LLMBackend from create() for backend "${context.backendName}": it lacks ${missing.join(', ')}. See LLMBackend in core/types.ts.`);
  };
  // Before create(): what a provider throws while creating may quote them.
  registerSettingsSecrets(config);
  registerOptionSecrets(definition, config.options);
  let created: ReturnType<ProviderDefinition['create']>;
  try {
    created = definition.create(config, context);
  } catch (error) {
    if (isHyperAgentError(error)) throw error;
    throw new PluginLoadError(definition.name, `The provider "${definition.name}" failed to create backend "${context.backendName}": ${(error as Error)?.message ?? String(error)}`, { cause: error });
  }
  if (typeof (created as Partial<PromiseLike<LLMBackend>>)?.then === 'function') {
    throw new PluginLoadError(
      definition.name,
      `The provider "${definition.name}" returned a Promise from create() for backend "${context.backendName}": create() must be synchronous. Do asynchronous set-up lazily, on the first call.`,
    );
  }
  return check(created);
}
