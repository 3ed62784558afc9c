import { joinPointer } from '../config-errors.js';
import type { GroupBackendConfig } from '../config.js';
import { ConfigError } from '../errors.js';
import type { Kernel } from '../kernel.js';
import { RoutingGroup, type RoutingGroupState } from './routing-group.js';
import type { RoutingGroupOptions } from './routing-options.js';

const groupsByKernel = new WeakMap<Kernel, Map<string, RoutingGroup>>();

/**
 * Register a group under `name`: a backend whose calls go to the named targets of the same kernel.
 * The group is registered unwrapped (`wrap: false`) because each target call already runs the hooks.
 * Targets are looked up on each call, so they may be registered before or after the group.
 */
export function registerGroup(kernel: Kernel, name: string, options: RoutingGroupOptions): RoutingGroup {
  const group = new RoutingGroup(kernel, name, options);
  kernel.register(name, group, { wrap: false });
  let groups = groupsByKernel.get(kernel);
  if (!groups) groupsByKernel.set(kernel, (groups = new Map()));
  groups.set(name, group);
  return group;
}

/** The groups registered on `kernel`, by name, in registration order. */
export function routingGroups(kernel: Kernel): ReadonlyMap<string, RoutingGroup> {
  return groupsByKernel.get(kernel) ?? new Map();
}

/** Every group's per-target health (healthy, cooling, half-open; failures; when a cooldown ends), e.g. for `hyperagent models`. */
export function routingState(kernel: Kernel): RoutingGroupState[] {
  return [...routingGroups(kernel).values()].map((group) => group.state());
}

/** `registerGroup` for a group from the config file: a group the schema let through but that cannot work is a ConfigError at its path. */
export function registerConfiguredGroup(kernel: Kernel, name: string, entry: GroupBackendConfig, file?: string): RoutingGroup {
  try {
    return registerGroup(kernel, name, entry);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    const path = joinPointer('/backends', name);
    throw new ConfigError(`Invalid HyperAgent config${file ? ` in ${file}` : ''}: ${error.message}`, [{ path, message: error.message }], file);
  }
}
