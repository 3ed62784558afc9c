import type { CallContext } from './hooks.js';
import type { Kernel } from './kernel.js';
import { builtInTokenEstimator } from './estimate-weights.js';
import type { TokenEstimator } from './token-estimator.js';

/** Which calls an estimator set with `setTokenEstimator` counts. Both unset: every call of the kernel. */
export interface TokenEstimatorScope {
  /** Only calls to backends of this provider, e.g. `anthropic`. @default every provider */
  readonly provider?: string;
  /** Only calls whose model id starts with this, e.g. `claude-` or `meta-llama/`. @default every model */
  readonly modelPrefix?: string;
}

interface Entry extends TokenEstimatorScope {
  readonly estimator: TokenEstimator;
}

// Per kernel, so two HyperAgent instances in one process can count differently; a WeakMap, so a
// dropped kernel takes its estimators with it.
const entriesByKernel = new WeakMap<object, Entry[]>();

/**
 * Counts the tokens of the calls in `scope` on `kernel` with `estimator` instead of the built-in
 * one: for a model family with its own tokenizer. Budgets, the rate limiter and approval all
 * reserve by it. When several match a call, the one with the longest `modelPrefix` wins, then one
 * with a `provider`, then the one set last.
 *
 * @example
 * definePlugin({ name: 'llama-tokens', apply(kernel) {
 *   setTokenEstimator(kernel, { name: 'llama3', countText: (text) => Math.ceil(text.length / 3) }, { modelPrefix: 'llama' });
 * } });
 */
export function setTokenEstimator(kernel: Kernel, estimator: TokenEstimator, scope: TokenEstimatorScope = {}): void {
  if (typeof kernel !== 'object' || kernel === null) throw new TypeError(`setTokenEstimator: \`kernel\` must be the Kernel a plugin's apply() receives, received ${String(kernel)}.`);
  if (typeof estimator !== 'object' || estimator === null || typeof estimator.countText !== 'function') {
    throw new TypeError('setTokenEstimator: `estimator` must be an object with countText(text) returning a token count, e.g. { name: "mine", countText: (text) => ... }.');
  }
  for (const key of ['provider', 'modelPrefix'] as const) {
    const value = scope[key];
    if (value !== undefined && (typeof value !== 'string' || value === '')) throw new TypeError(`setTokenEstimator: \`scope.${key}\` must be a non-empty string, received ${JSON.stringify(value)}.`);
  }
  const entries = entriesByKernel.get(kernel) ?? [];
  entries.push({ estimator, provider: scope.provider, modelPrefix: scope.modelPrefix });
  entriesByKernel.set(kernel, entries);
}

/** The estimator for a call: the best match set on its kernel, else the built-in one for its model. */
export function tokenEstimatorFor(context: Pick<CallContext, 'kernel' | 'provider' | 'model'>, model: string | undefined = context.model): TokenEstimator {
  const entries = typeof context.kernel === 'object' && context.kernel !== null ? entriesByKernel.get(context.kernel) : undefined;
  if (entries !== undefined) {
    let best: Entry | undefined;
    let bestScore = -1;
    for (const entry of entries) {
      if (entry.provider !== undefined && entry.provider !== context.provider) continue;
      if (entry.modelPrefix !== undefined && !(model ?? '').startsWith(entry.modelPrefix)) continue;
      const score = (entry.modelPrefix?.length ?? 0) * 2 + (entry.provider === undefined ? 0 : 1);
      if (score >= bestScore) {
        best = entry;
        bestScore = score;
      }
    }
    if (best !== undefined) return best.estimator;
  }
  return builtInTokenEstimator(model);
}
