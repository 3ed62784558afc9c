import { describe, expect, it } from 'vitest';
import { BUILT_IN_TOOLS } from '../cli/built-in-tools.js';
import { calculate, CalculationError, formatNumber } from '../cli/calculate.js';
import { zonedTime } from '../cli/current-time.js';
import { errorLine } from '../cli/error-line.js';
import { makeStyle } from '../cli/main.js';
import { usageLine } from '../cli/usage-line.js';
import { UsageError } from '../cli/cli-errors.js';
import { AgentBuilder } from '../core/agent.js';
import { ConfigError, RateLimitError } from '../core/errors.js';
import { MockBackend, MockResponse } from '../plugins/mock/index.js';

describe('calculate: arithmetic without eval', () => {
  it.each([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['2 ^ 3 ^ 2', 512],
    ['2 ** 10 - 24', 1000],
    ['-2 ^ 2', -4],
    ['(-2) ^ 2', 4],
    ['10 / 4', 2.5],
    ['17 % 5', 2],
    ['--3', 3],
    ['1.5e3 + .5', 1500.5],
    ['sqrt(16) + abs(-2) + max(1, 7, 3) + min(4, 2)', 15],
    ['round(2.5) + floor(2.7) + ceil(2.1)', 8],
    ['2 * pi', 2 * Math.PI],
    ['ln(e)', 1],
    ['log(1000)', 3],
    ['  3  ', 3],
  ])('%s = %d', (expression, expected) => {
    expect(calculate(expression)).toBeCloseTo(expected, 12);
  });

  it.each([
    ['', /the expression is empty/],
    ['1 +', /the expression ends too early/],
    ['(1 + 2', /expected "\)" at the end/],
    ['1 / 0', /division by zero/],
    ['2 $ 3', /unexpected "\$" at position 3/],
    ['foo(1)', /unknown name "foo" at position 1/],
    ['process.exit(1)', /unexpected "\." at position 8/],
    ['constructor', /unknown name "constructor"/],
    ['sqrt(1, 2)', /sqrt\(\) at position 1 takes 1 argument, got 2/],
    ['sqrt(-1)', /not a number/],
    ['10 ^ 400', /too large/],
    ['1 2', /unexpected the number 2 at position 3/],
    ['('.repeat(100) + '1' + ')'.repeat(100), /nested more than 64 levels/],
  ])('%s is a CalculationError', (expression, message) => {
    expect(() => calculate(expression)).toThrow(CalculationError);
    expect(() => calculate(expression)).toThrow(message);
  });

  it('formats results as people write them', () => {
    expect(formatNumber(calculate('0.1 + 0.2'))).toBe('0.3');
    expect(formatNumber(calculate('2 ^ 53'))).toBe('9007199254740992');
    expect(formatNumber(calculate('1 / 3'))).toBe('0.333333333333333');
  });
});

describe('get_current_time: the clock in an IANA zone, with Intl', () => {
  const instant = new Date('2026-03-01T23:30:05Z');

  it('gives the local date, time and offset of the zone', () => {
    expect(zonedTime('Asia/Tokyo', instant)).toEqual({
      timezone: 'Asia/Tokyo',
      utcOffset: '+09:00',
      iso: '2026-03-02T08:30:05+09:00',
      text: 'Monday, 2 March 2026, 08:30:05 in Asia/Tokyo (UTC+09:00)',
    });
    expect(zonedTime('America/New_York', instant).iso).toBe('2026-03-01T18:30:05-05:00');
    expect(zonedTime('UTC', instant)).toMatchObject({ utcOffset: '+00:00', iso: '2026-03-01T23:30:05Z' });
    expect(zonedTime('Asia/Kolkata', instant).utcOffset).toBe('+05:30');
  });

  it('names a zone that does not exist, and suggests real ones', () => {
    expect(() => zonedTime('Mars/Olympus_Mons', instant)).toThrow('"Mars/Olympus_Mons" is not an IANA time zone. Use a name such as "Asia/Tokyo"');
  });

  it('runs in the agent loop; a bad argument goes back to the model as a tool error', async () => {
    const backend = new MockBackend({ responses: [MockResponse.toolCall('get_current_time', { timezone: 'Nowhere/Land' }).withToolCall('calculate', { expression: '6 * 7' }), 'done'] });
    const builder = new AgentBuilder().backend(backend);
    for (const tool of BUILT_IN_TOOLS) builder.tool(tool.name, tool.description, tool.parameters, tool.handler);
    const result = await builder.build().run('go');
    const [clock, calculator] = result.steps[0].toolResults;
    expect(clock).toMatchObject({ isError: true, content: expect.stringContaining('"Nowhere/Land" is not an IANA time zone') });
    expect(calculator).toMatchObject({ isError: false, content: '42' });
  });
});

describe('CLI lines', () => {
  const plain = makeStyle(false);

  it('the usage line: tokens in/out/cached, cost or "cost unknown", calls and time', () => {
    const tokenUsage = { promptTokens: 1234, completionTokens: 56, totalTokens: 1290, cachedTokens: 1000 };
    expect(usageLine({ tokenUsage, costUsd: 0.000123, calls: 2, elapsedMs: 1234 })).toBe('tokens: 1,234 in, 56 out, 1,000 cached · cost: $0.000123 · 2 calls · 1.23s');
    expect(usageLine({ tokenUsage, costUsd: undefined, calls: 1, elapsedMs: 12_345 })).toBe('tokens: 1,234 in, 56 out, 1,000 cached · cost unknown · 1 call · 12.3s');
  });

  it('an error line: the message, and the code of a typed error at the end of its first line', () => {
    expect(errorLine(new RateLimitError('Slow down.'), plain)).toBe('hyperagent: Slow down. [HA_RATE_LIMITED]');
    expect(errorLine(new ConfigError('Invalid config (2 problems):\n  /a: x\n  /b: y'), plain)).toBe('hyperagent: Invalid config (2 problems): [HA_CONFIG]\n  /a: x\n  /b: y');
    expect(errorLine(new UsageError('bad flag'), plain)).toBe('hyperagent: bad flag');
    expect(errorLine(new TypeError('boom'), plain)).toBe('hyperagent: boom (set HYPERAGENT_DEBUG=1 for details)');
    expect(errorLine(new RateLimitError('Slow down.'), makeStyle(true))).toBe('hyperagent: Slow down. \u001b[2m[HA_RATE_LIMITED]\u001b[22m');
  });
});
