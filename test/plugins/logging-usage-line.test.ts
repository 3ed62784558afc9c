import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { CallContext, CostEvent } from '../../core/hooks.js';
import { costFields, usageBindings } from '../../plugins/logging/log-fields.js';
import { UsageLine } from '../../plugins/logging/usage-line.js';
import { censorLogLine } from '../../plugins/logging/redact-value.js';

function context(overrides: Partial<CallContext> = {}): CallContext {
  return {
    callId: 'call_"7"\\x',
    backendName: 'main',
    provider: 'openai',
    model: 'gpt-4o-mini',
    operation: 'infer',
    attempt: 2,
    startedAt: performance.now() - 12.345,
    request: { messages: [{ role: 'user', content: 'hi' }], tools: [], options: { maxTokens: 16 } },
    ...overrides,
  } as unknown as CallContext;
}

const COST: CostEvent = {
  backendName: 'main',
  provider: 'openai',
  model: 'gpt-4o-mini-2024-07-18',
  operation: 'infer',
  usage: { promptTokens: 12, completionTokens: 3, totalTokens: 15, cachedTokens: 4, reasoningTokens: 0 },
  costUsd: 0.000_003_6,
  breakdown: undefined,
  partial: false,
  estimated: false,
  outcome: 'success',
};

/** Both lines of one cost event: through pino's child.info, and through UsageLine; the time set alike. */
function both(cost: CostEvent, ctx: CallContext, timing?: { firstTokenAfterMs?: number; textDeltas?: number }) {
  const lines: string[] = [];
  const logger = pino({ name: 'hyperagent', level: 'info', formatters: { log: censorLogLine }, timestamp: () => ',"time":1700000000000' }, { write: (line: string) => void lines.push(line) });
  const child = logger.child(usageBindings(cost, ctx));
  const fast = UsageLine.for(child);
  expect(fast).toBeDefined();
  // The same fields object for both, so durationMs is the same.
  const fields = costFields(cost, ctx, timing);
  child.info(fields, cost.partial ? 'partial usage of a failed call' : 'usage');
  const frozen = { ...ctx, startedAt: performance.now() - (fields.durationMs as number) } as CallContext;
  fast!.write(child, cost, frozen, timing);
  return lines;
}

describe('the usage line written without pino', () => {
  it('is the line pino writes, key for key and byte for byte', () => {
    const [viaPino, direct] = both(COST, context());
    expect({ ...JSON.parse(direct!), durationMs: 0 }).toEqual({ ...JSON.parse(viaPino!), durationMs: 0 });
    expect(direct!.replace(/"durationMs":[^,]+/, '')).toBe(viaPino!.replace(/"durationMs":[^,]+/, ''));
  });

  it('says partial, unknown cost and stream timing as pino would', () => {
    const partial = { ...COST, partial: true, costUsd: undefined, usage: { promptTokens: 5, completionTokens: 0, totalTokens: 5 } };
    const [viaPino, direct] = both(partial, context({ operation: 'stream' }), { firstTokenAfterMs: 3.25, textDeltas: 7 });
    expect(JSON.parse(direct!)).toEqual({ ...JSON.parse(viaPino!), durationMs: JSON.parse(direct!).durationMs });
    expect(JSON.parse(direct!)).toMatchObject({ msg: 'partial usage of a failed call', costUnknown: true, partial: true, ttftMs: 3.3, textDeltas: 7 });
  });

  it('leaves a logger with a mixin or a logMethod hook to pino', () => {
    const sink = { write: () => undefined };
    expect(UsageLine.for(pino({ mixin: () => ({ extra: 1 }) }, sink))).toBeUndefined();
    expect(UsageLine.for(pino({ hooks: { logMethod: (args, method) => method.apply(pino(), args) } }, sink))).toBeUndefined();
    expect(UsageLine.for(pino({ nestedKey: 'payload' }, sink))).toBeUndefined();
  });
});
