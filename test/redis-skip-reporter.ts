// A vitest reporter that makes a skipped Redis suite impossible to miss: when redis-server is not
// installed, the Redis suites skip themselves (test/redis-server.ts), and this prints, after the
// summary, which suites were skipped and the one command that installs the server.
import type { Reporter, TestModule } from 'vitest/node';
import { INSTALL_REDIS_COMMAND, redisServerBinary } from './redis-server.js';

/** Suites that need Redis say so in their file name. */
const REDIS_SUITE = /redis[^/\\]*\.test\.ts$/;

export default class RedisSkipReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    if (redisServerBinary() !== undefined) return;
    const skipped = testModules
      .filter((module) => REDIS_SUITE.test(module.moduleId))
      .map((module) => ({ file: module.relativeModuleId, tests: [...module.children.allTests('skipped')].length }))
      .filter((suite) => suite.tests > 0);
    if (skipped.length === 0) return;
    const list = skipped.map((suite) => `  ${suite.file} (${suite.tests} tests)`).join('\n');
    process.stdout.write(`\nSKIPPED — redis-server is not installed, so these suites did not run:\n${list}\nInstall it with: ${INSTALL_REDIS_COMMAND}\n\n`);
  }
}
