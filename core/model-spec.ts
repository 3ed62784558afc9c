import { createBackend } from './create-hyper-agent.js';
import type { ProviderDefinition } from './define.js';
import { resolveBackendConfig, type Env } from './env.js';
import type { Kernel } from './kernel.js';
import { BUILTIN_PROVIDERS, loadProvider } from './plugin-loader.js';

/** `anthropic/claude-sonnet-4-6`: a built-in provider and one of its models, with no backend named in a config. */
export interface ModelSpec {
  readonly provider: string;
  readonly model: string;
}

/**
 * At most this many `provider/model` backends per kernel: the gateway makes one per name its
 * clients send, and a client must not grow the process without end by inventing names.
 */
export const MAX_MODEL_SPEC_BACKENDS = 64;

/**
 * `name` as `provider/model` when its first segment is a built-in provider: `openai/gpt-4o`,
 * `openrouter/anthropic/claude-sonnet-4` (the model keeps its own slashes). Else `undefined`.
 */
export function parseModelSpec(name: string): ModelSpec | undefined {
  const slash = name.indexOf('/');
  if (slash <= 0 || slash === name.length - 1) return undefined;
  const provider = name.slice(0, slash);
  return Object.hasOwn(BUILTIN_PROVIDERS, provider) ? { provider, model: name.slice(slash + 1) } : undefined;
}

interface Resolver {
  readonly providers: ReadonlyMap<string, ProviderDefinition>;
  readonly configDir: string;
  readonly env: Env;
  registered: number;
}

const resolvers = new WeakMap<Kernel, Resolver>();

export interface ModelSpecOptions {
  /** Where relative paths are resolved from (the config's folder). */
  readonly configDir: string;
  /** Where providers read their default API key (`ANTHROPIC_API_KEY`...). @default process.env */
  readonly env?: Env;
  /** The built-in providers to make ready. @default every built-in provider */
  readonly providers?: readonly string[];
}

/**
 * Let `kernel` serve `provider/model` names that no config entry has: each becomes a backend of that
 * provider with that model and the provider's own defaults, its key read from the provider's
 * variable (`ANTHROPIC_API_KEY`...). Loads the providers now, so that `registerModelSpec` is
 * synchronous. The plugins already applied run around these backends like any other.
 */
export async function enableModelSpecs(kernel: Kernel, options: ModelSpecOptions): Promise<void> {
  const names = options.providers ?? Object.keys(BUILTIN_PROVIDERS);
  const providers = new Map(await Promise.all(names.map(async (name) => [name, await loadProvider(name, options.configDir)] as const)));
  resolvers.set(kernel, { providers, configDir: options.configDir, env: options.env ?? process.env, registered: 0 });
}

/**
 * Make sure `kernel` has a backend named `name`: true when it had one, or `name` is a
 * `provider/model` that `enableModelSpecs` made possible and it was registered now.
 */
export function registerModelSpec(kernel: Kernel, name: string): boolean {
  if (kernel.has(name)) return true;
  const resolver = resolvers.get(kernel);
  const spec = resolver && parseModelSpec(name);
  const definition = spec && resolver.providers.get(spec.provider);
  if (!resolver || !spec || !definition || resolver.registered >= MAX_MODEL_SPEC_BACKENDS) return false;
  resolver.registered++;
  const { configDir, env } = resolver;
  kernel.register(name, () => createBackend(definition, resolveBackendConfig(name, { provider: spec.provider, model: spec.model }, env), { backendName: name, configDir, env }));
  return true;
}
