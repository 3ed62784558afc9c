import type { KernelHooks } from './hooks.js';

const TAP_METHODS: ReadonlySet<PropertyKey> = new Set(['tap', 'tapAsync', 'tapPromise', 'intercept']);

/** The hooks as a plugin sees them while it is applied: taps are held until `commit`, or dropped. */
export interface StagedHooks {
  readonly hooks: KernelHooks;
  /** The plugin was applied: every held tap reaches its hook, in order; later taps go straight through. */
  commit(): void;
  /** The plugin failed: its held taps are dropped; later taps go straight through. */
  discard(): void;
}

/**
 * Views of `hooks` that hold back `tap`/`tapAsync`/`tapPromise`/`intercept` — through tapable's
 * public API only — so a plugin whose `apply` throws half-way leaves no tap behind. Everything else
 * (`call`, `promise`, `isUsed`…) is the real hook's, so a plugin that keeps the view works as usual.
 */
export function stageHooks(hooks: KernelHooks): StagedHooks {
  let held: (() => void)[] | undefined = [];
  const views: Record<string, unknown> = {};
  for (const [name, hook] of Object.entries(hooks) as [string, object][]) {
    const bound = new Map<PropertyKey, unknown>();
    views[name] = new Proxy(hook, {
      get(target, property) {
        const value = Reflect.get(target, property, target) as unknown;
        if (typeof value !== 'function') return value;
        let method = bound.get(property);
        if (method === undefined) {
          const real = (value as (...args: unknown[]) => unknown).bind(target);
          method = TAP_METHODS.has(property) ? (...args: unknown[]) => (held === undefined ? real(...args) : void held.push(() => real(...args))) : real;
          bound.set(property, method);
        }
        return method;
      },
    });
  }
  return {
    hooks: Object.freeze(views) as unknown as KernelHooks,
    commit() {
      const taps = held ?? [];
      held = undefined;
      for (const tap of taps) tap();
    },
    discard() {
      held = undefined;
    },
  };
}
