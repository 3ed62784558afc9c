import type { GroupBackendConfig } from '../config.js';
import { FallbackPolicy } from './fallback-policy.js';
import type { CooldownPolicy } from './target-health.js';

/** How a group's targets are tried in code; the config's group entry plus what tests inject. */
export interface RoutingGroupOptions extends GroupBackendConfig {
  /** Milliseconds since the epoch, for cooldowns. @default Date.now */
  readonly now?: () => number;
  /** A number in [0, 1), for `loadbalance`. @default Math.random */
  readonly random?: () => number;
}

export const DEFAULT_COOLDOWN: CooldownPolicy = Object.freeze({ failures: 3, windowMs: 60_000, cooldownMs: 30_000 });

export interface ResolvedTarget {
  readonly backend: string;
  /** 1 unless set; only `loadbalance` reads it. */
  readonly weight: number;
}

export interface ResolvedRoutingOptions {
  readonly strategy: 'fallback' | 'loadbalance';
  readonly targets: readonly ResolvedTarget[];
  readonly fallback: FallbackPolicy;
  readonly cooldown: CooldownPolicy;
  readonly now: () => number;
  readonly random: () => number;
}

function positive(name: string, value: number | undefined, fallback: number, integer: boolean): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new TypeError(`${name} must be ${integer ? 'an integer' : 'a number'} greater than 0, received ${String(value)}.`);
  }
  return value;
}

/** Check a group given in code (the config loader already checked the ones from config files) and fill in defaults. */
export function resolveRoutingOptions(group: string, options: RoutingGroupOptions): ResolvedRoutingOptions {
  const where = `Backend group "${group}":`;
  if (options.strategy !== 'fallback' && options.strategy !== 'loadbalance') {
    throw new TypeError(`${where} \`strategy\` must be "fallback" or "loadbalance", received ${JSON.stringify(options.strategy)}.`);
  }
  if (!Array.isArray(options.targets) || options.targets.length === 0) throw new TypeError(`${where} \`targets\` must list at least one backend name.`);
  const targets = options.targets.map((target, index): ResolvedTarget => {
    const entry = typeof target === 'string' ? { backend: target } : target;
    if (typeof entry?.backend !== 'string' || entry.backend === '') throw new TypeError(`${where} \`targets[${index}]\` must be a backend name or { backend, weight }.`);
    if (entry.backend === group) throw new TypeError(`${where} a group cannot target itself.`);
    return Object.freeze({ backend: entry.backend, weight: positive(`${where} \`targets[${index}].weight\``, entry.weight, 1, false) });
  });
  const names = targets.map((target) => target.backend);
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated !== undefined) throw new TypeError(`${where} "${repeated}" is listed twice in \`targets\`; give it a larger weight instead.`);
  let fallback: FallbackPolicy;
  try {
    fallback = new FallbackPolicy(options.fallbackOn);
  } catch (error) {
    throw new TypeError(`${where} ${(error as Error).message}`);
  }
  const cooldown = options.cooldown ?? {};
  return Object.freeze({
    strategy: options.strategy,
    targets: Object.freeze(targets),
    fallback,
    cooldown: Object.freeze({
      failures: positive(`${where} \`cooldown.failures\``, cooldown.failures, DEFAULT_COOLDOWN.failures, true),
      windowMs: positive(`${where} \`cooldown.windowMs\``, cooldown.windowMs, DEFAULT_COOLDOWN.windowMs, false),
      cooldownMs: positive(`${where} \`cooldown.cooldownMs\``, cooldown.cooldownMs, DEFAULT_COOLDOWN.cooldownMs, false),
    }),
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
  });
}
