import { describe, expect, it } from 'vitest';
import { Kernel } from '../../core/kernel.js';
import rateLimit from '../../plugins/rate-limit/index.js';
import { MockBackend } from '../../plugins/mock/index.js';

describe('rate-limit capacity probe', () => {
  it('tells the kernel how long the next call to a backend would wait, without reserving anything', async () => {
    const kernel = new Kernel().register('tight', new MockBackend()).register('roomy', new MockBackend());
    rateLimit.apply(kernel, { backends: { tight: { rpm: 1 }, roomy: { rpm: 1000 } } });
    expect(kernel.capacityWaitMs('tight')).toBe(0);
    await kernel.backend('tight').infer([{ role: 'user', content: 'hi' }]);
    await kernel.backend('roomy').infer([{ role: 'user', content: 'hi' }]);
    const wait = kernel.capacityWaitMs('tight');
    expect(wait).toBeGreaterThan(50_000);
    expect(wait).toBeLessThanOrEqual(60_000);
    expect(kernel.capacityWaitMs('tight')).toBeLessThanOrEqual(wait);
    expect(kernel.capacityWaitMs('roomy')).toBe(0);
  });
});
