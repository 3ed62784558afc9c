import { pino, type DestinationStream, type Logger } from 'pino';
import type { CallContext, CostEvent } from '../../core/hooks.js';
import type { StreamTiming } from './log-fields.js';

const symbols = pino.symbols as unknown as Record<string, symbol>;

type Internals = Record<symbol, unknown>;

/** A number as pino writes it: non-finite ones as null. */
function number(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}

/**
 * The usage line, written as pino would write it through `child.info(costFields(...), msg)` —
 * pino's level prefix, time and the child's serialised bindings, the same keys in the same order —
 * with its fields written straight into the string: they are numbers, booleans and the call id, so
 * pino's per-key work (looking up serialisers, escaping every key) and the fields object are not
 * needed. One line per call; this was a tenth of what the four plugins cost a call.
 *
 * Used only where pino would add nothing: no mixin, no logMethod hook, a destination that needs no
 * metadata; otherwise (and for anything pino could write differently) `write` returns false and the
 * caller logs through pino.
 */
export class UsageLine {
  private readonly prefix: string;
  private readonly time: () => string;
  private readonly end: string;
  private readonly stream: DestinationStream;

  private constructor(child: Logger) {
    const internals = child as unknown as Internals;
    this.prefix = (internals[symbols.lsCacheSym!] as Record<number, string>)[30]!;
    this.time = internals[symbols.timeSym!] as () => string;
    this.end = internals[symbols.endSym!] as string;
    this.stream = internals[symbols.streamSym!] as DestinationStream;
  }

  /** The writer for `child`, or `undefined` when pino would write its lines differently. */
  static for(child: Logger): UsageLine | undefined {
    const internals = child as unknown as Internals;
    const stream = internals[symbols.streamSym!] as Internals | undefined;
    const hooks = internals[symbols.hooksSym!] as { logMethod?: unknown; streamWrite?: unknown } | undefined;
    const plain =
      stream !== undefined &&
      typeof (stream as { write?: unknown }).write === 'function' &&
      !stream[symbols.needsMetadataGsym!] &&
      internals[symbols.mixinSym!] === undefined &&
      hooks?.logMethod === undefined &&
      hooks?.streamWrite === undefined &&
      internals[symbols.messageKeySym!] === 'msg' &&
      !internals[symbols.nestedKeySym!] &&
      typeof internals[symbols.timeSym!] === 'function' &&
      typeof internals[symbols.chindingsSym!] === 'string' &&
      typeof (internals[symbols.lsCacheSym!] as Record<number, unknown> | undefined)?.[30] === 'string';
    return plain ? new UsageLine(child) : undefined;
  }

  /** Writes the line of `cost` (the fields of `costFields`, in its order). */
  write(child: Logger, cost: CostEvent, context: CallContext, timing: StreamTiming | undefined): void {
    const chindings = (child as unknown as Internals)[symbols.chindingsSym!] as string;
    this.stream.write(this.prefix + this.time() + chindings + usageFields(cost, context, timing) + (cost.partial ? ',"msg":"partial usage of a failed call"' : ',"msg":"usage"') + this.end);
  }
}

/**
 * `costFields` as the JSON text pino appends, `,"key":value` for each field, written out field by
 * field in its order (the test compares the two on every kind of line).
 */
export function usageFields(cost: CostEvent, context: CallContext, timing: StreamTiming | undefined): string {
  const durationMs = performance.now() - context.startedAt;
  const usage = cost.usage;
  let out = `,"event":"usage","callId":${JSON.stringify(context.callId)},"attempts":${number(context.attempt)},"durationMs":${number(round(durationMs))}`;
  const request = context.request;
  if (request !== undefined) {
    if ('messages' in request) {
      out += `,"messageCount":${number(request.messages.length)},"toolCount":${number(request.tools.length)}`;
      if (request.options.maxTokens !== undefined) out += `,"maxTokens":${value(request.options.maxTokens)}`;
    } else out += `,"inputCount":${number(request.input.length)}`;
  }
  out += `,"promptTokens":${value(usage.promptTokens)},"completionTokens":${value(usage.completionTokens)},"totalTokens":${value(usage.totalTokens)}`;
  if (usage.cachedTokens !== undefined) out += `,"cachedTokens":${value(usage.cachedTokens)}`;
  if (usage.cacheWriteTokens !== undefined) out += `,"cacheWriteTokens":${value(usage.cacheWriteTokens)}`;
  if (usage.reasoningTokens !== undefined) out += `,"reasoningTokens":${value(usage.reasoningTokens)}`;
  out += cost.costUsd === undefined ? ',"costUnknown":true' : `,"costUsd":${value(cost.costUsd)}`;
  if (cost.partial) out += ',"partial":true';
  if (timing?.firstTokenAfterMs !== undefined) {
    out += `,"ttftMs":${number(round(timing.firstTokenAfterMs))}`;
    const generatingSeconds = (durationMs - timing.firstTokenAfterMs) / 1000;
    if (generatingSeconds > 0 && usage.completionTokens > 0) out += `,"tokensPerSecond":${number(round(usage.completionTokens / generatingSeconds))}`;
  }
  if (timing?.textDeltas !== undefined) out += `,"textDeltas":${value(timing.textDeltas)}`;
  return out;
}

/** Any value as pino writes it (the sanitised usage holds numbers; a third-party field might not). */
function value(item: unknown): string {
  if (typeof item === 'number') return number(item);
  if (typeof item === 'boolean') return String(item);
  return JSON.stringify(item) ?? 'null';
}

function round(item: number): number {
  return Math.round(item * 10) / 10;
}
