// `npm test` runs the short soak; `npm run soak` (HYPERAGENT_SOAK=full, node --expose-gc) the full one.
import { describe, expect, it } from 'vitest';
import { FULL_SOAK, runSoak, SHORT_SOAK, type SoakReport } from './soak.js';

const full = process.env.HYPERAGENT_SOAK === 'full';
const options = full ? FULL_SOAK : SHORT_SOAK;

describe(`soak (${full ? 'full' : 'short'}): ${options.sequential} sequential and ${options.concurrent} concurrent mock calls through every plugin`, () => {
  let report: SoakReport;

  it(
    'runs every call to its end',
    async () => {
      report = await runSoak(options);
      console.info(`soak ${JSON.stringify(report)}`);
      expect(report.ledgerCalls).toBe(options.warmup + options.sequential + options.concurrent + (options.afterWindow ? 1 : 0));
      expect(report.logBytes).toBeGreaterThan(0);
    },
    full ? 600_000 : 120_000,
  );

  it('keeps the heap after a forced GC within 10% of its level after warm-up', () => {
    expect(report, 'the soak did not run').toBeDefined();
    if (report.afterWindowGrowthPercent !== undefined) {
      // The full run makes more calls in a minute than 10% of the heap can hold window entries for:
      // judged once the rate limiter's 60-second window has let them go (see README, Reliability).
      expect(report.afterWindowGrowthPercent).toBeLessThan(10);
    } else {
      expect(report.heapGrowthPercent).toBeLessThan(10);
    }
  });

  it('has the cost ledger total equal to the sum of the calls, to the cent', () => {
    expect(report, 'the soak did not run').toBeDefined();
    expect(report.ledgerUsd).toBeGreaterThan(0);
    expect(Math.abs(report.ledgerUsd - report.summedUsd)).toBeLessThan(0.005);
    // Both sides are sums of the same nano-dollar amounts: they agree exactly, not just to the cent.
    expect(Math.round(report.ledgerUsd * 1e9)).toBe(Math.round(report.summedUsd * 1e9));
  });
});
