import { describe, expect, it } from 'vitest';
import { Kernel } from '../core/kernel.js';
import { registerGroup } from '../core/routing/index.js';
import { MockBackend, MockResponse } from '../plugins/mock/index.js';
import { FakeClock, hi, observe, seededRandom } from './routing-helpers.js';

const CALLS = 2_000;

function mocks(...names: string[]) {
  const kernel = new Kernel();
  const backends = Object.fromEntries(names.map((name) => [name, new MockBackend({ defaultResponse: name })]));
  for (const name of names) kernel.register(name, backends[name]);
  return { kernel, backends };
}

describe('loadbalance: calls spread by weight', () => {
  it('sends each target its share of 2,000 calls, within ±5% of its weight', async () => {
    const { kernel, backends } = mocks('gpt-a', 'gpt-b', 'gpt-c');
    const seen = observe(kernel);
    const group = registerGroup(kernel, 'pool', {
      strategy: 'loadbalance',
      targets: [{ backend: 'gpt-a', weight: 5 }, { backend: 'gpt-b', weight: 3 }, { backend: 'gpt-c', weight: 2 }],
      random: seededRandom(42),
    });

    const answeredBy: Record<string, number> = {};
    for (let i = 0; i < CALLS; i++) {
      const output = await group.infer(hi);
      answeredBy[output.metadata.backend as string] = (answeredBy[output.metadata.backend as string] ?? 0) + 1;
    }

    expect(Math.abs(answeredBy['gpt-a'] / CALLS - 0.5)).toBeLessThan(0.05);
    expect(Math.abs(answeredBy['gpt-b'] / CALLS - 0.3)).toBeLessThan(0.05);
    expect(Math.abs(answeredBy['gpt-c'] / CALLS - 0.2)).toBeLessThan(0.05);
    expect(backends['gpt-a'].callCount + backends['gpt-b'].callCount + backends['gpt-c'].callCount).toBe(CALLS);
    // Each call is charged once, to the target that answered it.
    expect(seen.costs).toHaveLength(CALLS);
  });

  it('with unseeded randomness too (Math.random), the 2:1 split holds within ±5%', async () => {
    const { kernel, backends } = mocks('gpt-a', 'gpt-b');
    const group = registerGroup(kernel, 'pool', { strategy: 'loadbalance', targets: [{ backend: 'gpt-a', weight: 2 }, { backend: 'gpt-b', weight: 1 }] });
    for (let i = 0; i < CALLS; i++) await group.infer(hi);
    expect(Math.abs(backends['gpt-a'].callCount / CALLS - 2 / 3)).toBeLessThan(0.05);
  });
});

describe('loadbalance: skipping targets in cooldown or out of capacity', () => {
  it('sends nothing to a cooling target and fails over to another target on a fallback error', async () => {
    const clock = new FakeClock();
    const { kernel, backends } = mocks('gpt-a', 'gpt-b');
    backends['gpt-a'].when(() => true, MockResponse.error('rate-limit'));
    const group = registerGroup(kernel, 'pool', {
      strategy: 'loadbalance',
      targets: [{ backend: 'gpt-a', weight: 9 }, { backend: 'gpt-b', weight: 1 }],
      cooldown: { failures: 3 },
      now: clock.now,
      random: seededRandom(7),
    });

    const outputs = [];
    for (let i = 0; i < 100; i++) outputs.push(await group.infer(hi));

    expect(outputs.every((output) => output.metadata.backend === 'gpt-b')).toBe(true);
    // Three failed tries put gpt-a in cooldown; after that it is not tried at all.
    expect(backends['gpt-a'].callCount).toBe(3);
    expect(group.state().targets[0]).toMatchObject({ backend: 'gpt-a', weight: 9, status: 'cooling' });
    expect(outputs.filter((output) => (output.metadata.attemptedTargets as string[]).length === 2)).toHaveLength(3);
  });

  it('prefers targets with rate-limit capacity when a plugin reports it through the kernel', async () => {
    const { kernel, backends } = mocks('gpt-a', 'gpt-b');
    const waits: Record<string, number> = { 'gpt-a': 12_000 };
    kernel.addCapacityProbe((name) => waits[name]);
    const group = registerGroup(kernel, 'pool', { strategy: 'loadbalance', targets: [{ backend: 'gpt-a', weight: 9 }, 'gpt-b'], random: seededRandom(1) });

    for (let i = 0; i < 50; i++) await group.infer(hi);
    expect(backends['gpt-a'].callCount).toBe(0);

    // With no target free, the weights decide again (calls then wait in the rate limiter).
    waits['gpt-b'] = 1_000;
    for (let i = 0; i < 200; i++) await group.infer(hi);
    expect(backends['gpt-a'].callCount).toBeGreaterThan(150);
  });

  it('fallback groups also move a target without capacity behind the others', async () => {
    const { kernel, backends } = mocks('primary', 'secondary');
    kernel.addCapacityProbe((name) => (name === 'primary' ? 5_000 : undefined));
    const group = registerGroup(kernel, 'team', { strategy: 'fallback', targets: ['primary', 'secondary'] });
    expect((await group.infer(hi)).metadata.backend).toBe('secondary');
    expect(backends.primary.callCount).toBe(0);
  });
});
