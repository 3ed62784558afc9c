import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'core/**/*.test.ts', 'protocols/**/*.test.ts', 'plugins/**/*.test.ts', 'cli/**/*.test.ts', 'server/**/*.test.ts'],
    exclude: ['dist/**', 'node_modules/**'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    // The JSON report is what .ci/run counts from; the last one names the Redis suites it skipped.
    reporters: ['default', 'json', './test/redis-skip-reporter.ts'],
    outputFile: { json: '.vitest-results.json' },
  },
});
