import type { Kernel } from './kernel.js';
import type { LLMBackend, RateLimits } from './types.js';

/** A JSON Schema object (draft 2020-12 subset understood by ajv). */
export type JsonSchema = Record<string, unknown>;

/** One backend's entry in `hyperagent.config.json`, after `${ENV}` interpolation. */
export interface BackendConfig<Options = Record<string, unknown>> {
  /** Built-in provider name, npm package name, or a path relative to the config file. */
  readonly provider: string;
  readonly model?: string;
  readonly apiKey?: string;
  readonly baseURL?: string;
  readonly rateLimits?: RateLimits;
  /** Default `maxTokens` for calls that do not set it. */
  readonly maxTokens?: number;
  /** Whole-request timeout in milliseconds. @default 600000 */
  readonly timeoutMs?: number;
  /** Extra HTTP headers sent with every request. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Provider-specific options, validated against the provider's `optionsSchema`. */
  readonly options?: Options;
}

export interface ProviderContext {
  /** The backend's name in the config. */
  readonly backendName: string;
  /** Directory of the config file (or cwd), for resolving relative paths. */
  readonly configDir: string;
  /** Environment to read default API keys from. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface ProviderDefinition<Options = Record<string, unknown>> {
  /** The provider's name, e.g. `openai`. */
  readonly name: string;
  /**
   * JSON Schema for the backend's `options` object. A node with `"x-secret": true` marks its value
   * a credential (every string under it is registered as a secret when the backend is created).
   */
  readonly optionsSchema?: JsonSchema;
  /**
   * Paths of options that are credentials, keys joined by `.`, `*` for any key or index, e.g.
   * `["serviceAccount.privateKey", "tokens.*"]`: the same as `"x-secret": true` in the schema, for
   * a provider without one. Tokens minted from them at run time go to `registerSecret`.
   * @default []
   */
  readonly secretOptions?: readonly string[];
  /** Synchronous: do asynchronous set-up (catalog fetches...) lazily, on the first call. */
  create(config: BackendConfig<Options>, context: ProviderContext): LLMBackend;
}

export interface PluginDefinition<Options = Record<string, unknown>> {
  /** The plugin's name; also the name it taps hooks under. */
  readonly name: string;
  /** JSON Schema for the plugin's options, checked before `apply`. */
  readonly optionsSchema?: JsonSchema;
  apply(kernel: Kernel, options: Options): void | Promise<void>;
}

const PROVIDER_BRAND = Symbol.for('hyperagent.provider');
const PLUGIN_BRAND = Symbol.for('hyperagent.plugin');

/** Make a provider plugin. A module's default export should be the result. */
export function defineProvider<Options = Record<string, unknown>>(definition: ProviderDefinition<Options>): ProviderDefinition<Options> {
  if (!definition || typeof definition.name !== 'string' || definition.name === '') throw new TypeError('defineProvider: `name` must be a non-empty string.');
  if (typeof definition.create !== 'function') throw new TypeError(`defineProvider(${definition.name}): \`create\` must be a function.`);
  const secretOptions = definition.secretOptions;
  if (secretOptions !== undefined && (!Array.isArray(secretOptions) || !secretOptions.every((path) => typeof path === 'string' && path !== ''))) {
    throw new TypeError(`defineProvider(${definition.name}): \`secretOptions\` must be an array of option paths such as "credentials.privateKey", got ${JSON.stringify(secretOptions)}.`);
  }
  return Object.freeze({ ...definition, [PROVIDER_BRAND]: true });
}

/** Make a cross-cutting plugin. A module's default export should be the result. */
export function definePlugin<Options = Record<string, unknown>>(definition: PluginDefinition<Options>): PluginDefinition<Options> {
  if (!definition || typeof definition.name !== 'string' || definition.name === '') throw new TypeError('definePlugin: `name` must be a non-empty string.');
  if (typeof definition.apply !== 'function') throw new TypeError(`definePlugin(${definition.name}): \`apply\` must be a function.`);
  return Object.freeze({ ...definition, [PLUGIN_BRAND]: true });
}

export function isProviderDefinition(value: unknown): value is ProviderDefinition {
  return typeof value === 'object' && value !== null && typeof (value as ProviderDefinition).create === 'function' && typeof (value as ProviderDefinition).name === 'string';
}

export function isPluginDefinition(value: unknown): value is PluginDefinition {
  return typeof value === 'object' && value !== null && typeof (value as PluginDefinition).apply === 'function' && typeof (value as PluginDefinition).name === 'string';
}
