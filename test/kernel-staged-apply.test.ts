// A plugin that fails while it is applied leaves nothing on the kernel, through tapable's public API only.
import { describe, expect, it } from 'vitest';
import type { KernelHooks } from '../core/hooks.js';
import { Kernel } from '../core/kernel.js';

describe('Kernel.applyStaged', () => {
  it('a plugin that throws half-way leaves no tap and no capacity probe behind', async () => {
    const kernel = new Kernel();
    await expect(
      kernel.applyStaged(() => {
        kernel.hooks.onCost.tap('half', () => {});
        kernel.hooks.beforeInfer.tapPromise('half', async (request) => request);
        kernel.addCapacityProbe(() => 5_000);
        throw new Error('broken plugin');
      }),
    ).rejects.toThrow('broken plugin');
    expect(kernel.hooks.onCost.isUsed()).toBe(false);
    expect(kernel.hooks.beforeInfer.isUsed()).toBe(false);
    expect(kernel.capacityWaitMs('any')).toBe(0);
  });

  it('a plugin that succeeds has its taps in order, and a view it kept still taps and calls the real hooks', async () => {
    const kernel = new Kernel();
    const seen: string[] = [];
    let kept: KernelHooks | undefined;
    await kernel.applyStaged(async () => {
      kept = kernel.hooks;
      kernel.hooks.onCallEnd.tap('first', () => void seen.push('first'));
      await Promise.resolve();
      kernel.hooks.onCallEnd.tap('second', () => void seen.push('second'));
      expect(kernel.hooks.onCallEnd.isUsed()).toBe(false);
    });
    kept!.onCallEnd.tap('later', () => void seen.push('later'));
    kept!.onCallEnd.call({ outcome: 'success', error: undefined, durationMs: 1 }, {} as never);
    expect(seen).toEqual(['first', 'second', 'later']);
    expect(kernel.hooks.onCallEnd.isUsed()).toBe(true);
  });

  it('refuses a second plugin while one is being applied', async () => {
    const kernel = new Kernel();
    await kernel.applyStaged(async () => {
      await expect(kernel.applyStaged(() => {})).rejects.toThrow(TypeError);
    });
  });
});
