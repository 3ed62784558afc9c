import { InvalidResponseError } from './errors.js';
import type { FinishReason, StreamEvent } from './types.js';

const FINISH_REASONS: ReadonlySet<string> = new Set<FinishReason>(['stop', 'length', 'tool-calls', 'content-filter', 'error', 'other']);

type Check = (event: Record<string, unknown>) => string | undefined;

const string = (field: string): Check => (event) => (typeof event[field] === 'string' ? undefined : `\`${field}\` must be a string (got ${shown(event[field])})`);
const object = (field: string): Check => (event) => (typeof event[field] === 'object' && event[field] !== null && !Array.isArray(event[field]) ? undefined : `\`${field}\` must be an object (got ${shown(event[field])})`);
const integer = (field: string): Check => (event) => (Number.isInteger(event[field]) ? undefined : `\`${field}\` must be an integer (got ${shown(event[field])})`);

/** What each event type must carry (StreamEvent in core/types.ts). Usage counts are the kernel's to sanitise. */
const CHECKS: Readonly<Record<StreamEvent['type'], readonly Check[]>> = {
  'text-delta': [string('text')],
  'reasoning-delta': [string('text')],
  'reasoning-signature': [string('signature')],
  'reasoning-redacted': [string('data')],
  'tool-call-start': [string('id'), string('name'), integer('index')],
  'tool-call-delta': [string('id'), string('argumentsDelta')],
  'tool-call-end': [string('id'), object('toolCall'), (event) => toolCallProblem(event.toolCall)],
  usage: [object('tokenUsage')],
  done: [
    object('tokenUsage'),
    (event) => (FINISH_REASONS.has(event.finishReason as string) ? undefined : `\`finishReason\` must be one of ${[...FINISH_REASONS].join(', ')} (got ${shown(event.finishReason)})`),
  ],
  error: [(event) => (event.error instanceof Error ? undefined : `\`error\` must be an Error (got ${shown(event.error)})`)],
};

function toolCallProblem(toolCall: unknown): string | undefined {
  if (typeof toolCall !== 'object' || toolCall === null) return undefined;
  const call = toolCall as Record<string, unknown>;
  if (typeof call.name !== 'string') return `\`toolCall.name\` must be a string (got ${shown(call.name)})`;
  if (typeof call.arguments !== 'object' || call.arguments === null || Array.isArray(call.arguments)) return `\`toolCall.arguments\` must be an object (got ${shown(call.arguments)})`;
  return undefined;
}

function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

/** Why `event` is not a StreamEvent, in words; `undefined` when it is one. */
export function streamEventProblem(event: unknown): { readonly type: string; readonly problem: string } | undefined {
  if (typeof event !== 'object' || event === null) return { type: '(none)', problem: `an event must be an object with a \`type\` (got ${shown(event)})` };
  const record = event as Record<string, unknown>;
  const type = record.type;
  if (typeof type !== 'string' || !Object.hasOwn(CHECKS, type)) return { type: String(type), problem: `\`type\` must be one of ${Object.keys(CHECKS).join(', ')} (got ${shown(type)})` };
  for (const check of CHECKS[type as StreamEvent['type']]) {
    const problem = check(record);
    if (problem) return { type, problem };
  }
  return undefined;
}

/**
 * True when `event`, from `provider`'s stream, is a well-formed StreamEvent; else `fail` gets an
 * InvalidResponseError naming the provider and the event, and the answer is false. A provider's
 * malformed event must end the stream as the provider's fault, not crash a consumer later.
 */
export function isValidStreamEvent(event: unknown, provider: string, fail: (error: InvalidResponseError) => void): event is StreamEvent {
  const found = streamEventProblem(event);
  if (!found) return true;
  fail(new InvalidResponseError(`The provider "${provider}" sent a malformed "${found.type}" stream event: ${found.problem}. Every event must be a StreamEvent (core/types.ts).`, { provider }));
  return false;
}
