import { describe, expect, it } from 'vitest';
import { Kernel } from '../../core/kernel.js';
import { registerGroup } from '../../core/routing/index.js';
import logging from '../../plugins/logging/index.js';
import { MockBackend, MockResponse } from '../../plugins/mock/index.js';

describe('logging of backend groups', () => {
  it('warns when a group falls back, naming the group, the target and the error', async () => {
    const chunks: string[] = [];
    const kernel = new Kernel()
      .register('primary', new MockBackend({ defaultResponse: MockResponse.error('server') }))
      .register('secondary', new MockBackend({ defaultResponse: 'from the secondary' }));
    registerGroup(kernel, 'team', { strategy: 'fallback', targets: ['primary', 'secondary'] });
    logging.apply(kernel, { level: 'info', destination: { write: (line: string) => void chunks.push(line) } });
    const output = await kernel.backend('team').infer([{ role: 'user', content: 'hi' }]);
    expect(output.content).toBe('from the secondary');
    const lines = chunks.join('').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const fallback = lines.find((line) => line.event === 'routing-fallback');
    expect(fallback).toMatchObject({ level: 40, group: 'team', from: 'primary', code: 'HA_SERVER' });
    expect(lines.some((line) => line.event === 'routing-attempt')).toBe(false);
  });
});
