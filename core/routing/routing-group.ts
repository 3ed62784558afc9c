import { AbortError, ErrorCode, toHyperAgentError, type HyperAgentError } from '../errors.js';
import type { Operation, RoutingNotice } from '../hooks.js';
import { ManagedInferenceStream, streamRequestId } from '../inference-stream.js';
import type { Kernel } from '../kernel.js';
import type { EmbedOptions, EmbeddingOutput, InferOptions, InferenceOutput, InferenceStream, LLMBackend, LLMMessage, ModelInfo, StreamEvent, ToolSchema } from '../types.js';
import { withAttemptedTargets } from './attempted-targets-error.js';
import { groupModelInfo, ROUTING_PROVIDER } from './group-model-info.js';
import { planTargets } from './plan-targets.js';
import { RoutingCallContext } from './routing-call-context.js';
import { resolveRoutingOptions, type ResolvedRoutingOptions, type ResolvedTarget, type RoutingGroupOptions } from './routing-options.js';
import { SharedCooldowns } from './shared-cooldowns.js';
import { TargetHealth, type HealthChange, type TargetStatus } from './target-health.js';

/** What a group reports through `onNotice` as `{ type: 'routing', ...data }`. */
export type RoutingNoticeData = RoutingNotice;

export interface RoutingTargetState {
  readonly backend: string;
  readonly weight: number;
  readonly status: TargetStatus;
  /** Failures in a row within the cooldown window, toward `cooldown.failures`. */
  readonly recentFailures: number;
  /** When the current (or last, if half-open) cooldown ends, in the group clock's milliseconds. */
  readonly cooldownEndsAt: number | undefined;
  /** A half-open target's trial call is running. */
  readonly trialInFlight: boolean;
}

export interface RoutingGroupState {
  readonly group: string;
  readonly strategy: 'fallback' | 'loadbalance';
  readonly targets: readonly RoutingTargetState[];
}

/** What routing adds to an answer's metadata. `backend` is the target that answered. */
export interface RoutingMetadata {
  readonly routedBy: string;
  /** The targets tried, in order; the last one answered. */
  readonly attemptedTargets: readonly string[];
}

interface Routed<T> {
  readonly result: T;
  readonly target: string;
  readonly attempted: readonly string[];
}

interface OpenedStream {
  readonly stream: InferenceStream;
  readonly iterator: AsyncIterator<StreamEvent>;
  readonly first: IteratorResult<StreamEvent>;
}

/**
 * A backend made of other backends of the same kernel (see `core/routing/README.md`). Each attempt
 * calls `kernel.backend(target)`, so every hook runs once per target call, and cost is charged to
 * the target that answered; the group itself is registered unwrapped.
 */
export class RoutingGroup implements LLMBackend {
  readonly provider = ROUTING_PROVIDER;
  private readonly options: ResolvedRoutingOptions;
  private readonly health = new Map<string, TargetHealth>();
  private readonly cooldowns: SharedCooldowns;

  constructor(
    private readonly kernel: Kernel,
    readonly name: string,
    options: RoutingGroupOptions,
  ) {
    this.options = resolveRoutingOptions(name, options);
    for (const target of this.options.targets) this.health.set(target.backend, new TargetHealth(this.options.cooldown));
    this.cooldowns = new SharedCooldowns(kernel, name);
  }

  get strategy(): 'fallback' | 'loadbalance' {
    return this.options.strategy;
  }

  get targets(): readonly ResolvedTarget[] {
    return this.options.targets;
  }

  /** Each target's health, e.g. for `hyperagent models`. */
  state(): RoutingGroupState {
    const now = this.options.now();
    return {
      group: this.name,
      strategy: this.options.strategy,
      targets: this.options.targets.map((target) => {
        const health = this.health.get(target.backend)!;
        return {
          backend: target.backend,
          weight: target.weight,
          status: health.status(now),
          recentFailures: health.recentFailures(now),
          cooldownEndsAt: health.cooldownEndsAt,
          trialInFlight: health.trialInFlight,
        };
      }),
    };
  }

  /** See `groupModelInfo`. Targets that cannot be made (a provider that fails to load) are left out. */
  modelInfo(model?: string): ModelInfo {
    const infos: ModelInfo[] = [];
    let failure: unknown;
    for (const target of this.options.targets) {
      try {
        infos.push(this.kernel.backend(target.backend).modelInfo(model));
      } catch (error) {
        failure ??= error;
      }
    }
    if (infos.length === 0) throw failure;
    return groupModelInfo(model ?? this.name, infos);
  }

  supportsFunctionCalling(): boolean {
    return this.everyTarget((backend) => backend.supportsFunctionCalling());
  }

  supportsStreaming(): boolean {
    return this.everyTarget((backend) => backend.supportsStreaming());
  }

  async infer(messages: readonly LLMMessage[], tools: readonly ToolSchema[] = [], options: InferOptions = {}): Promise<InferenceOutput> {
    const context = this.context('infer', options.signal);
    const targetOptions = this.targetOptions(options);
    const routed = await this.route(context, (backend) => backend.infer(messages, tools, targetOptions));
    return { ...routed.result, metadata: { ...routed.result.metadata, ...this.routingMetadata(routed.attempted) } };
  }

  async embed(input: string | readonly string[], options: EmbedOptions = {}): Promise<EmbeddingOutput> {
    const context = this.context('embed', options.signal);
    const targetOptions = this.targetOptions(options);
    const routed = await this.route(context, (backend) => backend.embed(input, targetOptions));
    return { ...routed.result, metadata: { ...routed.result.metadata, ...this.routingMetadata(routed.attempted) } };
  }

  /**
   * An attempt on a target lasts until its stream's first event: a target that fails before it
   * (after its own retries) is fallen back from; once an event was delivered, the stream belongs to
   * that target and an error ends it, as it would a plain backend's.
   */
  inferStream(messages: readonly LLMMessage[], tools: readonly ToolSchema[] = [], options: InferOptions = {}): InferenceStream {
    const context = this.context('stream', options.signal);
    const targetOptions = this.targetOptions(options);
    const metadata: Record<string, unknown> = { routedBy: this.name };
    let stream: ManagedInferenceStream;
    const produce = (): AsyncIterable<StreamEvent> => this.streamEvents(messages, tools, targetOptions, context, () => stream);
    stream = new ManagedInferenceStream(produce, { provider: this.provider, model: this.name, metadata, ...(options.signal ? { signal: options.signal } : {}) });
    return stream;
  }

  private async *streamEvents(
    messages: readonly LLMMessage[],
    tools: readonly ToolSchema[],
    options: InferOptions,
    context: RoutingCallContext,
    outer: () => ManagedInferenceStream,
  ): AsyncGenerator<StreamEvent> {
    let opened: OpenedStream | undefined;
    let finished = false;
    try {
      const routed = await this.route(context, async (backend): Promise<OpenedStream> => {
        const stream = backend.inferStream(messages, tools, options);
        const iterator = stream[Symbol.asyncIterator]();
        const first = await iterator.next();
        if (!first.done && first.value.type === 'error') {
          await iterator.return?.();
          throw first.value.error;
        }
        return { stream, iterator, first };
      });
      opened = routed.result;
      const backend = this.kernel.backend(routed.target);
      const requestId = streamRequestId(opened.stream);
      Object.assign(outer().accumulator.metadata, { provider: backend.provider, backend: routed.target, ...(requestId ? { requestId } : {}), ...this.routingMetadata(routed.attempted) });
      let next = opened.first;
      while (!next.done) {
        const event = next.value;
        if (event.type === 'done' || event.type === 'error') {
          finished = true;
          // One more step lets the target's stream settle, so its `output()` (after `afterInfer`, with cost) is ready.
          await opened.iterator.next();
          if (event.type === 'done') {
            const output = await opened.stream.output().catch(() => undefined);
            if (output) outer().overrideOutput({ ...output, metadata: { ...output.metadata, ...this.routingMetadata(routed.attempted) } });
          } else if (this.options.fallback.allows(event.error) && !context.signal?.aborted) {
            this.report(context, routed.target, this.health.get(routed.target)!.failed(this.options.now()), event.error);
          }
          yield event;
          return;
        }
        yield event;
        next = await opened.iterator.next();
      }
    } finally {
      // The consumer left early: close the target's stream so its request is cancelled.
      if (opened && !finished) await opened.iterator.return?.();
    }
  }

  /** Try the planned targets in order until one answers or an error may not be fallen back from. */
  private async route<T>(context: RoutingCallContext, attempt: (backend: LLMBackend) => Promise<T>): Promise<Routed<T>> {
    const { now, fallback } = this.options;
    if (this.cooldowns.shared) await this.cooldowns.adopt(this.health, now());
    const plan = planTargets({ ...this.options, health: this.health, now: now(), capacityWaitMs: (backend) => this.kernel.capacityWaitMs(backend) });
    if (plan.forced) {
      const target = plan.order[0].backend;
      this.notice(context, { event: 'all-cooling', group: this.name, target, cooldownEndsAt: this.health.get(target)!.cooldownEndsAt });
    }
    const attempted: string[] = [];
    let last: HyperAgentError | undefined;
    let contextFloor: number | undefined;
    for (const target of plan.order) {
      const health = this.health.get(target.backend)!;
      // Another call may have taken a half-open target's one trial since the plan was made.
      if (!plan.forced && !health.isAvailable(now())) continue;
      if (contextFloor !== undefined && !((this.contextWindowOf(target.backend) ?? Infinity) > contextFloor)) continue;
      if (last && context.signal?.aborted) throw new AbortError('The request was aborted by its AbortSignal before the next target of the group was tried.', { cause: context.signal.reason });
      if (last) this.notice(context, { event: 'fallback', group: this.name, from: attempted[attempted.length - 1], code: last.code, status: last.status });
      attempted.push(target.backend);
      context.attempt = attempted.length;
      this.notice(context, { event: 'attempt', group: this.name, target: target.backend, attempt: context.attempt });
      health.begin(now());
      try {
        const result = await attempt(this.kernel.backend(target.backend));
        this.report(context, target.backend, health.succeeded());
        return { result, target: target.backend, attempted };
      } catch (error) {
        const typed = toHyperAgentError(error);
        if (context.signal?.aborted || !fallback.allows(typed)) {
          health.released();
          throw attempted.length > 1 ? withAttemptedTargets(typed, this.name, attempted) : typed;
        }
        this.report(context, target.backend, health.failed(now()), typed);
        last = typed;
        // A prompt too long for this target only fits a target with a larger window.
        if (typed.code === ErrorCode.CONTEXT_LENGTH_EXCEEDED) contextFloor = Math.max(contextFloor ?? 0, this.contextWindowOf(target.backend) ?? 0);
      }
    }
    throw withAttemptedTargets(last!, this.name, attempted);
  }

  private report(context: RoutingCallContext, target: string, change: HealthChange, error?: HyperAgentError): void {
    if (change === 'recovered') this.notice(context, { event: 'recovered', group: this.name, target });
    if (change === 'cooldown') {
      const cooldownEndsAt = this.health.get(target)!.cooldownEndsAt!;
      this.cooldowns.publish(target, cooldownEndsAt - this.options.now());
      this.notice(context, { event: 'cooldown', group: this.name, target, cooldownEndsAt, code: error?.code ?? 'unknown' });
    }
  }

  private notice(context: RoutingCallContext, data: RoutingNoticeData): void {
    this.kernel.hooks.onNotice.call({ type: 'routing', ...data }, context);
  }

  private context(operation: Operation, signal: AbortSignal | undefined): RoutingCallContext {
    return new RoutingCallContext(this.kernel, this.kernel.nextCallId(), this.name, this, operation, signal);
  }

  /** Target calls carry the group's name in `metadata.routedBy`, for plugins and logs. */
  private targetOptions<O extends InferOptions | EmbedOptions>(options: O): O {
    return { ...options, metadata: { ...options.metadata, routedBy: this.name } };
  }

  private routingMetadata(attempted: readonly string[]): RoutingMetadata {
    return { routedBy: this.name, attemptedTargets: [...attempted] };
  }

  private contextWindowOf(target: string): number | undefined {
    try {
      return this.kernel.backend(target).modelInfo().contextWindow;
    } catch {
      return undefined;
    }
  }

  private everyTarget(test: (backend: LLMBackend) => boolean): boolean {
    return this.options.targets.every((target) => {
      try {
        return test(this.kernel.backend(target.backend));
      } catch {
        return false;
      }
    });
  }
}
