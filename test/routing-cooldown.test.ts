import { describe, expect, it } from 'vitest';
import { NetworkError } from '../core/errors.js';
import { ManagedInferenceStream } from '../core/inference-stream.js';
import { Kernel } from '../core/kernel.js';
import { registerGroup, routingState, type RoutingGroupOptions } from '../core/routing/index.js';
import { MockBackend, MockResponse } from '../plugins/mock/index.js';
import { FakeClock, hi, observe } from './routing-helpers.js';

/** A mock that fails with a 500 while `failing` is set, else answers with its own name. */
function switchable(name: string) {
  const control = { failing: false };
  const backend = new MockBackend({ defaultResponse: `${name} answered` }).when(() => control.failing, MockResponse.error('server'));
  return { backend, control };
}

function setup(options: Partial<RoutingGroupOptions> = {}) {
  const clock = new FakeClock();
  const a = switchable('a');
  const b = switchable('b');
  const kernel = new Kernel().register('a', a.backend).register('b', b.backend);
  const seen = observe(kernel);
  const group = registerGroup(kernel, 'team', {
    strategy: 'fallback',
    targets: ['a', 'b'],
    cooldown: { failures: 2, windowMs: 60_000, cooldownMs: 30_000 },
    now: clock.now,
    ...options,
  });
  const statusOf = (target: string) => group.state().targets.find((state) => state.backend === target)!;
  return { clock, a, b, kernel, seen, group, statusOf };
}

describe('cooldown: a primary that keeps failing is skipped, then retried after the cooldown', () => {
  it('skips the primary while it cools down and takes it back after one good trial call', async () => {
    const { clock, a, b, kernel, seen, group, statusOf } = setup();
    a.control.failing = true;

    expect((await group.infer(hi)).content).toBe('b answered');
    expect(statusOf('a')).toMatchObject({ status: 'healthy', recentFailures: 1 });
    clock.advance(1_000);
    expect((await group.infer(hi)).content).toBe('b answered');
    expect(statusOf('a')).toEqual({ backend: 'a', weight: 1, status: 'cooling', recentFailures: 0, cooldownEndsAt: clock.time + 30_000, trialInFlight: false });
    expect(seen.routing).toContainEqual({ event: 'cooldown', group: 'team', target: 'a', cooldownEndsAt: clock.time + 30_000, code: 'HA_SERVER' });

    // Cooling: a is not called at all.
    const skipped = await group.infer(hi);
    expect(skipped.metadata.attemptedTargets).toEqual(['b']);
    expect(a.backend.callCount).toBe(2);
    clock.advance(29_999);
    await group.infer(hi);
    expect(a.backend.callCount).toBe(2);

    // The cooldown is over: the next call is a's trial; it succeeds, so a is back.
    clock.advance(1);
    expect(statusOf('a').status).toBe('half-open');
    a.control.failing = false;
    const trial = await group.infer(hi);
    expect(trial.content).toBe('a answered');
    expect(trial.metadata.attemptedTargets).toEqual(['a']);
    expect(statusOf('a')).toMatchObject({ status: 'healthy', recentFailures: 0, cooldownEndsAt: undefined });
    expect(seen.routing).toContainEqual({ event: 'recovered', group: 'team', target: 'a' });
    expect(routingState(kernel)).toEqual([group.state()]);
    expect(b.backend.callCount).toBe(4);
  });

  it('a failed trial starts a new cooldown at once', async () => {
    const { clock, a, group, statusOf } = setup();
    a.control.failing = true;
    await group.infer(hi);
    await group.infer(hi);
    clock.advance(30_000);

    expect((await group.infer(hi)).metadata.attemptedTargets).toEqual(['a', 'b']);
    expect(statusOf('a')).toMatchObject({ status: 'cooling', cooldownEndsAt: clock.time + 30_000 });
    expect(a.backend.callCount).toBe(3);
  });

  it('counts failures in a row within the window: a success in between, or an old failure, does not count', async () => {
    const { clock, a, group, statusOf } = setup();
    a.control.failing = true;
    await group.infer(hi);
    a.control.failing = false;
    await group.infer(hi);
    a.control.failing = true;
    await group.infer(hi);
    expect(statusOf('a')).toMatchObject({ status: 'healthy', recentFailures: 1 });
    clock.advance(60_000);
    await group.infer(hi);
    expect(statusOf('a')).toMatchObject({ status: 'healthy', recentFailures: 1 });
  });

  it('errors that are not the target’s fault (a 400, an abort) do not count', async () => {
    const { a, group, statusOf } = setup();
    a.backend.when(() => true, MockResponse.error('invalid-request'));
    await expect(group.infer(hi)).rejects.toMatchObject({ code: 'HA_INVALID_REQUEST' });
    await expect(group.infer(hi)).rejects.toMatchObject({ code: 'HA_INVALID_REQUEST' });
    expect(statusOf('a')).toMatchObject({ status: 'healthy', recentFailures: 0 });
  });

  it('when every target is cooling down, tries the one whose cooldown ends first instead of failing unheard', async () => {
    const { clock, a, b, seen, group, statusOf } = setup({ cooldown: { failures: 1, cooldownMs: 30_000 } });
    a.control.failing = true;
    await group.infer(hi); // a cools until +30 s
    clock.advance(10_000);
    b.control.failing = true;
    await expect(group.infer(hi)).rejects.toThrow(/tried "b"\]$/); // b cools until +40 s
    clock.advance(20_000);
    await expect(group.infer(hi)).rejects.toThrow(/tried "a"\]$/); // a's trial fails: a cools until +60 s
    expect(statusOf('a')).toMatchObject({ status: 'cooling', cooldownEndsAt: clock.time + 30_000 });
    expect(statusOf('b')).toMatchObject({ status: 'cooling', cooldownEndsAt: clock.time + 10_000 });

    b.control.failing = false;
    const output = await group.infer(hi);
    expect(output.content).toBe('b answered');
    expect(output.metadata.attemptedTargets).toEqual(['b']);
    expect(seen.routing).toContainEqual({ event: 'all-cooling', group: 'team', target: 'b', cooldownEndsAt: clock.time + 10_000 });
    expect(statusOf('b').status).toBe('healthy');
    expect(statusOf('a').status).toBe('cooling');
  });

  it('a forced try that fails leaves the cooldown as it was', async () => {
    const { clock, a, b, group, statusOf } = setup({ cooldown: { failures: 1, cooldownMs: 30_000 } });
    a.control.failing = true;
    b.control.failing = true;
    await group.infer(hi).catch(() => undefined);
    const endsAt = statusOf('a').cooldownEndsAt;
    clock.advance(5_000);
    await expect(group.infer(hi)).rejects.toThrow(/tried "a"\]$/);
    expect(statusOf('a').cooldownEndsAt).toBe(endsAt);
    expect(a.backend.callCount).toBe(2);
    expect(b.backend.callCount).toBe(1);
  });

  it('a half-open target takes one trial call at a time', async () => {
    const { clock, a, group, statusOf } = setup();
    a.control.failing = true;
    await group.infer(hi);
    await group.infer(hi);
    clock.advance(30_000);
    a.control.failing = false;
    a.backend.when(() => true, MockResponse.text('a answered slowly').withLatency(50));

    const [first, second] = await Promise.all([group.infer(hi), group.infer(hi)]);

    expect(first.metadata.attemptedTargets).toEqual(['a']);
    expect(second.metadata.attemptedTargets).toEqual(['b']);
    expect(statusOf('a').status).toBe('healthy');
  });

  it('a stream that fails mid-way counts toward its target’s cooldown', async () => {
    const { b, group, statusOf } = setup({ targets: ['b', 'a'] });
    // b's stream breaks after its first event: a network error the group does not fall back from, but it is b failing.
    b.backend.inferStream = () =>
      new ManagedInferenceStream(
        async function* () {
          yield { type: 'text-delta', text: 'partial' } as const;
          throw new NetworkError('connection reset');
        },
        { provider: 'mock', model: 'mock-model' },
      );
    for await (const _event of group.inferStream(hi)) void _event;
    expect(statusOf('b')).toMatchObject({ recentFailures: 1 });
  });
});
