import type { Call } from './call.js';
import type { DeniedToolCall, ToolCallReview } from './hooks.js';
import type { StreamEvent, ToolCall } from './types.js';

interface HeldCall {
  readonly events: StreamEvent[];
  toolCall: ToolCall | undefined;
  review: ToolCallReview | undefined;
}

/**
 * A stream's tool calls on hold until `reviewToolCall` decided each: nothing of a call reaches the
 * consumer before its review allowed it. Calls are reviewed one at a time as they complete and
 * released in the order the model proposed them — as they came (allowed), as one start, delta and
 * end with the new arguments (rewritten), or not at all (denied).
 */
export class HeldToolCalls {
  /** Held calls not yet released or dropped, in the order they started. */
  private readonly queue: HeldCall[] = [];
  private readonly open = new Map<string, HeldCall>();
  private chain: Promise<void> = Promise.resolve();
  private pending = 0;
  private discarded = false;
  private wake: (() => void) | undefined;
  private woken: Promise<undefined> | undefined;
  /** Calls released to the consumer. */
  released = 0;
  readonly denied: DeniedToolCall[] = [];

  constructor(
    private readonly call: Call,
    private readonly emit: (events: readonly StreamEvent[]) => void,
  ) {}

  /** True while a completed call waits for its review. */
  get reviewing(): boolean {
    return this.pending > 0;
  }

  /** Take a tool-call event into the hold. Every tool-call event is held, also one without a start. */
  hold(event: Extract<StreamEvent, { type: 'tool-call-start' | 'tool-call-delta' | 'tool-call-end' }>): boolean {
    let held = event.type === 'tool-call-start' ? undefined : this.open.get(event.id);
    if (held === undefined) {
      held = { events: [], toolCall: undefined, review: undefined };
      this.queue.push(held);
      this.open.set(event.id, held);
    }
    held.events.push(event);
    if (event.type === 'tool-call-end') {
      this.open.delete(event.id);
      held.toolCall = event.toolCall;
      this.pending += 1;
      const decided = held;
      this.chain = this.chain.then(() => this.decide(decided));
    }
    return true;
  }

  /** Resolves at the next decision. */
  decided(): Promise<undefined> {
    return (this.woken ??= new Promise<undefined>((resolve) => {
      this.wake = () => resolve(undefined);
    }));
  }

  /** Wait for every review, release what is left in order, and drop calls that never completed. */
  async settle(): Promise<void> {
    await this.chain;
    for (const held of this.queue.splice(0)) if (held.review !== undefined) this.out(held);
    this.open.clear();
  }

  /** The stream ended otherwise (error, close): nothing held is released. */
  discard(): void {
    this.discarded = true;
    this.queue.length = 0;
    this.open.clear();
    this.notify();
  }

  private async decide(held: HeldCall): Promise<void> {
    if (this.discarded) return;
    held.review = await this.call.review(held.toolCall!);
    this.pending -= 1;
    if (this.discarded) return;
    while (this.queue.length > 0 && this.queue[0]!.review !== undefined) this.out(this.queue.shift()!);
    this.notify();
  }

  private out(held: HeldCall): void {
    const review = held.review!;
    const proposed = held.toolCall!;
    if (review.denied !== undefined) {
      this.denied.push({ toolCall: proposed, reason: review.denied.reason });
      return;
    }
    this.released += 1;
    const reviewed = review.toolCall;
    if (reviewed === proposed) {
      this.emit(held.events);
      return;
    }
    const start = held.events.find((event) => event.type === 'tool-call-start');
    const index = start?.type === 'tool-call-start' ? start.index : this.released - 1;
    this.emit([
      { type: 'tool-call-start', id: reviewed.id, name: reviewed.name, index },
      { type: 'tool-call-delta', id: reviewed.id, argumentsDelta: reviewed.rawArguments },
      { type: 'tool-call-end', id: reviewed.id, toolCall: reviewed },
    ]);
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    this.woken = undefined;
    wake?.();
  }
}
