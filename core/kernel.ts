import { createHooks, type KernelHooks } from './hooks.js';
import { stageHooks, type StagedHooks } from './staged-hooks.js';
import { KernelBackend } from './kernel-backend.js';
import { ConfigError } from './errors.js';
import { MemoryStateStore } from './store/memory-state-store.js';
import type { StateStore } from './store/state-store.js';
import type { LLMBackend } from './types.js';


type BackendFactory = () => LLMBackend;

export interface RegisterOptions {
  /**
   * Wrap the backend so every call on it runs the hooks. Pass `false` only for a backend whose calls
   * go through backends the kernel already wraps (a routing group calls `kernel.backend(target)`):
   * wrapping it again would run every hook twice, charging cost twice and nesting retries.
   * @default true
   */
  readonly wrap?: boolean;
}

/**
 * How long a call to `backendName` would have to wait for capacity (rate limits) if it started
 * now, in milliseconds; 0 when it would not wait, `undefined` when the probe does not know.
 */
export type CapacityProbe = (backendName: string) => number | undefined;

interface RegistryEntry {
  readonly factory: BackendFactory;
  readonly wrap: boolean;
  instance: LLMBackend | undefined;
}

/**
 * Owns the hooks and the registry of named backends. Backends handed out by `backend()` are
 * wrapped, so every call on them runs the hooks; they are created on first use, which is when a
 * missing `${ENV}` variable or API key is reported.
 */
export class Kernel {
  private readonly ownHooks: KernelHooks = createHooks();
  /** While a plugin is applied (`applyStaged`): the views it taps through. */
  private staged: StagedHooks | undefined;
  private stagedProbes: CapacityProbe[] | undefined;

  /** The hooks, one frozen set per kernel (while a plugin is applied, views of them that hold its taps). */
  get hooks(): KernelHooks {
    return this.staged === undefined ? this.ownHooks : this.staged.hooks;
  }
  private readonly entries = new Map<string, RegistryEntry>();
  private readonly appliedPlugins: string[] = [];
  private readonly capacityProbes: CapacityProbe[] = [];
  private callCounter = 0;
  private running = 0;
  defaultBackend: string | undefined;
  /**
   * The state shared by calls, and by instances when it is a shared store: rate-limit windows,
   * budgets, routing cooldowns — and whatever a third-party plugin keeps there (namespace your keys,
   * e.g. `my-plugin:…`). Every operation is atomic; results are `MaybePromise`s (see `core/store`):
   * the default memory store answers synchronously, a Redis one with promises that reject with
   * `StoreUnavailableError` when it is down. `createHyperAgent` sets it from the config's `store`
   * before applying plugins, so read it in `apply` or later, and set it only before.
   * @default a new MemoryStateStore (this process only)
   */
  store: StateStore = new MemoryStateStore();

  /** Register a backend under `name`, from an instance or a factory run on first use. */
  register(name: string, backend: LLMBackend | BackendFactory, options: RegisterOptions = {}): this {
    if (this.entries.has(name)) throw new ConfigError(`A backend named "${name}" is already registered. Pick another name.`, [{ path: `/backends/${name}`, message: 'duplicate backend name' }]);
    const factory = typeof backend === 'function' ? backend : () => backend;
    this.entries.set(name, { factory, wrap: options.wrap ?? true, instance: undefined });
    this.defaultBackend ??= name;
    return this;
  }

  /**
   * Run `apply` (a plugin's) so that it changes the kernel only if it succeeds: its taps and
   * capacity probes are held and reach the hooks when it returns, or are dropped when it throws —
   * a plugin that fails half-way through must not leave taps on a kernel still in use.
   */
  async applyStaged(apply: () => void | Promise<void>): Promise<void> {
    if (this.staged !== undefined) throw new TypeError('Kernel.applyStaged: another plugin is being applied; apply plugins one at a time.');
    const staged = stageHooks(this.ownHooks);
    const probes: CapacityProbe[] = [];
    this.staged = staged;
    this.stagedProbes = probes;
    try {
      await apply();
    } catch (error) {
      staged.discard();
      throw error;
    } finally {
      this.staged = undefined;
      this.stagedProbes = undefined;
    }
    staged.commit();
    this.capacityProbes.push(...probes);
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  get backendNames(): readonly string[] {
    return [...this.entries.keys()];
  }

  /** The named backend (or the default), wrapped by the kernel unless it was registered with `wrap: false`. */
  backend(name: string | undefined = this.defaultBackend): LLMBackend {
    if (name === undefined) throw new ConfigError('No backend is configured: add one under "backends" in hyperagent.config.json.', [{ path: '/backends', message: 'no backends' }]);
    const entry = this.entries.get(name);
    if (!entry) {
      const known = this.backendNames.join(', ') || '(none)';
      throw new ConfigError(`Unknown backend "${name}". Configured backends: ${known}.`, [{ path: `/backends/${name}`, message: 'not configured' }]);
    }
    entry.instance ??= entry.wrap ? new KernelBackend(this, name, entry.factory()) : entry.factory();
    return entry.instance;
  }

  /** Wrap a backend that is not in the registry so its calls run this kernel's hooks. */
  wrap(name: string, backend: LLMBackend): LLMBackend {
    return new KernelBackend(this, name, backend);
  }

  /** Let a plugin that holds calls back (rate limiting) tell routing how long a backend would make a call wait. */
  addCapacityProbe(probe: CapacityProbe): void {
    (this.stagedProbes ?? this.capacityProbes).push(probe);
  }

  /** How long a call to `backendName` would wait for capacity now, in ms: the longest any probe reports; 0 when none knows of a wait. */
  capacityWaitMs(backendName: string): number {
    let wait = 0;
    for (const probe of this.capacityProbes) wait = Math.max(wait, probe(backendName) ?? 0);
    return wait;
  }

  /** Record that a plugin was applied; plugins may check for the ones they depend on. */
  markApplied(pluginName: string): void {
    this.appliedPlugins.push(pluginName);
  }

  hasPlugin(pluginName: string): boolean {
    return this.appliedPlugins.includes(pluginName);
  }

  get plugins(): readonly string[] {
    return this.appliedPlugins;
  }

  nextCallId(): string {
    this.callCounter += 1;
    return `call-${this.callCounter}`;
  }

  /** @internal A backend call starts: its id, and it counts in `callsInFlight` until `callEnded`. */
  callStarted(): string {
    this.running += 1;
    return this.nextCallId();
  }

  /** @internal A call has ended, just before its `onCallEnd`. */
  callEnded(): void {
    this.running -= 1;
  }

  /**
   * Backend calls started and not yet ended; while a call's `onCallEnd` runs, it no longer counts.
   * A plugin that batches work across calls (the log file) can tell the last call from a busy time.
   */
  get callsInFlight(): number {
    return this.running;
  }
}
