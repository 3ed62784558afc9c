import type { CallContext, EmbedRequest, InferRequest, Operation } from '../hooks.js';
import type { Kernel } from '../kernel.js';
import type { LLMBackend, ModelInfo } from '../types.js';

/**
 * The context of one call on a group, for the group's own notices. Each attempt on a target is a
 * call of that target with its own context; `attempt` here counts targets tried.
 */
export class RoutingCallContext implements CallContext {
  attempt = 0;
  request: InferRequest | EmbedRequest | undefined;
  readonly state = new Map<unknown, unknown>();
  readonly startedAt = performance.now();
  readonly provider: string;
  readonly model: string;

  constructor(
    readonly kernel: Kernel,
    readonly callId: string,
    readonly backendName: string,
    readonly backend: LLMBackend,
    readonly operation: Operation,
    readonly signal: AbortSignal | undefined,
  ) {
    this.provider = backend.provider;
    this.model = backendName;
  }

  modelInfo(): ModelInfo {
    return this.backend.modelInfo();
  }
}
