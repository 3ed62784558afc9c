import { isGroupBackend } from '../core/config.js';
import type { HyperAgent } from '../core/create-hyper-agent.js';
import { chooseDefaultBackend } from '../core/default-backend.js';
import type { Env } from '../core/env.js';
import type { LLMBackend } from '../core/types.js';

/** Joins names as people list alternatives: `A`, `A or B`, `A, B or C`. */
export function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/**
 * What `chat` says on stderr about the backend it uses, e.g. `gpt backend (openai, gpt-4o-mini)`.
 * A mock is labelled as one; when it was picked because the real backends before it in the
 * `defaultBackend` list lack their keys, the label says which variables would pick a real model.
 */
export function backendLabel(agent: HyperAgent, name: string, backend: LLMBackend, env: Env, named: boolean): string {
  const entry = Object.hasOwn(agent.config.backends, name) ? agent.config.backends[name] : undefined;
  if (entry && isGroupBackend(entry)) {
    const targets = entry.targets.map((target) => (typeof target === 'string' ? target : target.backend));
    return `${name} backend (group: ${entry.strategy} → ${targets.join(', ')})`;
  }
  const info = backend.modelInfo();
  if (backend.provider !== 'mock') return `${name} backend (${info.provider}, ${info.id})`;
  const skipped = named ? [] : (chooseDefaultBackend(agent.config, env)?.skipped ?? []);
  const missing = [...new Set(skipped.flatMap((entry) => entry.missing))];
  if (missing.length === 0) return `${name} backend (mock: scripted answers, not a real model)`;
  const what = missing.every((variable) => /KEY|TOKEN/.test(variable)) ? 'no API key set' : `${orList(missing)} not set`;
  return `${name} backend (mock, ${what} — set ${orList(missing)} to use a real model)`;
}
