import { toHyperAgentError } from '../../core/errors.js';
import { Stage, type Attempt, type CallContext, type EmbedRequest, type InferRequest } from '../../core/hooks.js';
import type { Kernel } from '../../core/kernel.js';
import type { ModelInfo, OutputMetadata } from '../../core/types.js';
import { estimateEmbedTokens, estimateInferTokens, type TokenEstimate } from '../../core/estimate.js';
import { systemClock, type Clock } from './clock.js';
import { mergeLimits, type ResolvedRateLimitOptions } from './rate-limit-options.js';
import type { RateLimitPermit } from './rate-limit-permit.js';
import { RateLimiter } from './rate-limiter.js';
import { storeUnavailableNotice } from '../../core/store/store-failure.js';

/** The permit of a call's successful attempt, kept until `onCost`, `onError` or `onCallEnd` settles it. */
interface Pending {
  readonly permit: RateLimitPermit;
  readonly promptTokens: number;
}

const PENDING = Symbol('rate-limit.pending');

function modelInfoOf(context: CallContext): ModelInfo | undefined {
  try {
    return context.modelInfo();
  } catch {
    return undefined;
  }
}

function estimate(context: CallContext, defaultOutputTokens: number): TokenEstimate {
  const request = context.request;
  if (request === undefined) return { promptTokens: 0, outputTokens: 0, totalTokens: 0 };
  if (context.operation === 'embed') return estimateEmbedTokens(request as EmbedRequest, context);
  return estimateInferTokens(request as InferRequest, defaultOutputTokens, modelInfoOf(context)?.maxOutputTokens, context);
}

/**
 * Count the tokens really used (or, for a call that ended without usage, the prompt the provider
 * read) and free the slot. `measured` when the count is the provider's own for a whole call, so the
 * calibration of the backend's estimates can learn from it.
 */
function finish(context: CallContext, tokens: number | undefined, measured = false): void {
  const pending = context.state.get(PENDING) as Pending | undefined;
  if (pending === undefined) return;
  context.state.delete(PENDING);
  pending.permit.settle(tokens ?? pending.promptTokens, measured && tokens !== undefined);
  pending.permit.release();
}

export function applyRateLimit(kernel: Kernel, pluginName: string, options: ResolvedRateLimitOptions, clock: Clock = systemClock): void {
  const hooks = kernel.hooks;
  const limiters = new Map<string, RateLimiter>();
  const observed = new WeakSet<object>();

  const limiterFor = (context: CallContext): RateLimiter => {
    let limiter = limiters.get(context.backendName);
    if (limiter === undefined) {
      const limits = mergeLimits(options.backends[context.backendName], modelInfoOf(context)?.rateLimits, options.defaults);
      limiter = new RateLimiter({
        ...limits,
        name: context.backendName,
        provider: context.provider,
        maxWaitMs: options.maxWaitMs,
        maxPauseMs: options.maxPauseMs,
        clock,
        // The kernel's store (shared across instances when it is); a clock of the test's own keeps a memory store on that clock.
        ...(clock === systemClock ? { store: kernel.store } : {}),
        storeKey: `rate-limit:${context.backendName}`,
        onStoreError: (error, action) => hooks.onNotice.call(storeUnavailableNotice(pluginName, error, action), context),
      });
      limiters.set(context.backendName, limiter);
    }
    return limiter;
  };

  /** A provider's `retry-after` holds back every call to that backend; its rate-limit headers set what is left. Both at most maxPauseMs (the limiter caps). */
  const observeError = (limiter: RateLimiter, error: unknown): void => {
    if (typeof error !== 'object' || error === null || observed.has(error)) return;
    observed.add(error);
    const typed = toHyperAgentError(error);
    if (typed.retryAfterMs !== undefined) limiter.pause(typed.retryAfterMs);
    if (typed.rateLimit !== undefined) limiter.observe(typed.rateLimit);
  };

  const observeMetadata = (limiter: RateLimiter, metadata: Partial<OutputMetadata> | undefined): void => {
    const info = metadata?.rateLimit;
    if (typeof info === 'object' && info !== null) limiter.observe(info);
  };

  const limited =
    (attempt: Attempt): Attempt =>
    async (context) => {
      const limiter = limiterFor(context);
      const tokens = estimate(context, options.defaultOutputTokens);
      // Admitted at once (the usual case) costs no promise; otherwise wait in the queues.
      // The limiter's own refusal is not the provider's retry-after: marked observed, it pauses nothing.
      const permit =
        limiter.tryAcquire(tokens.totalTokens, context.signal) ??
        (await limiter.acquire(tokens.totalTokens, context.signal).catch((error: unknown) => {
          if (typeof error === 'object' && error !== null) observed.add(error);
          throw error;
        }));
      if (permit.reason !== undefined) hooks.onNotice.call({ type: 'rate-limit-wait', waitedMs: permit.waitedMs, reason: permit.reason }, context);
      let result: unknown;
      try {
        result = await attempt(context);
      } catch (error) {
        // The upstream may have received it (and read the prompt): it counts from now, as sent.
        permit.stamp();
        permit.settle(tokens.promptTokens, false);
        permit.release();
        observeError(limiter, error);
        throw error;
      }
      // The request reached the upstream no later than now (infer returned, or the stream's first event came).
      permit.stamp();
      finish(context, undefined);
      context.state.set(PENDING, { permit, promptTokens: tokens.promptTokens } satisfies Pending);
      // Headers come with the answer (a call) or before its first event (a stream: StreamStart.metadata).
      observeMetadata(limiter, (result as { metadata?: Partial<OutputMetadata> } | undefined)?.metadata);
      // A stream keeps its slot until the call ends (onCost at `done`, or onCallEnd if cut short).
      if (context.operation !== 'stream') permit.release();
      return result;
    };

  hooks.wrapAttempt.tap({ name: pluginName, stage: Stage.RATE_LIMIT }, limited);
  // Backends not called yet have no limiter and so no known wait.
  kernel.addCapacityProbe((backendName) => limiters.get(backendName)?.waitMs());
  // A partial or estimated count says little about what the estimates are worth: it settles, but teaches nothing.
  hooks.onCost.tap(pluginName, (cost, context) => finish(context, cost.usage.totalTokens, !cost.partial && !cost.estimated));
  hooks.onError.tap(pluginName, (error, context) => {
    finish(context, undefined);
    const limiter = limiters.get(context.backendName);
    if (limiter) observeError(limiter, error);
  });
  hooks.onCallEnd.tap(pluginName, (_end, context) => finish(context, undefined));
}
