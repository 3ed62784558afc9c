// Plugin modules that fail: in apply (throwing, rejecting, throwing non-errors), at import, or by not
// being plugins at all. Each is a PluginLoadError naming the plugin; the process keeps working, and a
// kernel handed to createHyperAgent still serves calls afterwards.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHyperAgent } from '../../core/create-hyper-agent.js';
import { PluginLoadError } from '../../core/errors.js';
import { Kernel } from '../../core/kernel.js';
import { HELLO } from './harness.js';

let dir: string;

/** Plugin modules by file name. Plain objects: `{ name, apply }` is what the loader accepts. */
const MODULES: Readonly<Record<string, string>> = {
  'throws.mjs': `export default { name: 'throws', apply() { throw new Error('apply exploded'); } };`,
  'rejects.mjs': `export default { name: 'rejects', async apply() { await Promise.resolve(); throw new Error('apply rejected later'); } };`,
  'throws-string.mjs': `export default { name: 'throws-string', apply() { throw 'a bare string'; } };`,
  'throws-undefined.mjs': `export default { name: 'throws-undefined', apply() { throw undefined; } };`,
  'throws-after-tap.mjs': `export default { name: 'throws-after-tap', apply(kernel) {
    kernel.hooks.beforeInfer.tap('throws-after-tap', () => { throw new Error('a half-applied plugin ran'); });
    throw new Error('apply failed after tapping');
  } };`,
  'import-fails.mjs': `throw new Error('module body exploded'); export default {};`,
  'not-a-plugin.mjs': `export default { name: 'not-a-plugin' };`,
  'counts.mjs': `export let applied = 0; export default { name: 'counts', apply() { applied += 1; } };`,
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hyperagent-plugins-'));
  for (const [file, source] of Object.entries(MODULES)) writeFileSync(join(dir, file), source);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function config(...plugins: string[]) {
  return { backends: { main: { provider: 'mock', options: { defaultResponse: { text: 'still here' } } } }, plugins: ['counts.mjs', ...plugins].map((file) => `./${file}`) };
}

describe('a plugin that fails while being applied', () => {
  it.each([
    ['throws.mjs', 'apply exploded'],
    ['rejects.mjs', 'apply rejected later'],
    ['throws-string.mjs', 'a bare string'],
    ['throws-undefined.mjs', 'undefined'],
  ])('%s: a PluginLoadError naming the plugin, its place in the config and the reason', async (file, reason) => {
    const error = await createHyperAgent({ config: config(file), cwd: dir, env: {} }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PluginLoadError);
    expect((error as PluginLoadError).module).toBe(`./${file}`);
    expect((error as PluginLoadError).message).toContain(`./${file}`);
    expect((error as PluginLoadError).message).toContain('/plugins/1');
    expect((error as PluginLoadError).message).toContain(reason);
  });

  it('a module that throws on import, or exports no plugin: a PluginLoadError before anything is applied', async () => {
    for (const file of ['import-fails.mjs', 'not-a-plugin.mjs']) {
      const error = await createHyperAgent({ config: config(file), cwd: dir, env: {} }).catch((caught: unknown) => caught);
      expect(error, file).toBeInstanceOf(PluginLoadError);
      expect((error as PluginLoadError).message, file).toContain(`./${file}`);
    }
  });

  it('leaves the process able to build a working HyperAgent from a good config right after', async () => {
    await expect(createHyperAgent({ config: config('throws.mjs'), cwd: dir, env: {} })).rejects.toBeInstanceOf(PluginLoadError);
    const agent = await createHyperAgent({ config: config(), cwd: dir, env: {} });
    expect((await agent.backend('main').infer(HELLO)).content).toBe('still here');
    const events: string[] = [];
    for await (const event of agent.backend('main').inferStream(HELLO)) events.push(event.type);
    expect(events.at(-1)).toBe('done');
  });

  it('leaves a kernel that was handed in serving calls', async () => {
    const kernel = new Kernel();
    await expect(createHyperAgent({ config: config('throws.mjs'), cwd: dir, env: {}, kernel })).rejects.toBeInstanceOf(PluginLoadError);
    expect((await kernel.backend('main').infer(HELLO)).content).toBe('still here');
  });

  // Fails today (reported to the lead): createHyperAgent applies plugins straight onto the kernel it
  // was given, so a plugin that tapped a hook before throwing stays tapped and breaks every later call,
  // and retrying createHyperAgent with the same kernel fails on "backend already registered".
  it('takes back what a half-applied plugin tapped on a kernel that was handed in', async () => {
    const kernel = new Kernel();
    await expect(createHyperAgent({ config: config('throws-after-tap.mjs'), cwd: dir, env: {}, kernel })).rejects.toBeInstanceOf(PluginLoadError);
    expect((await kernel.backend('main').infer(HELLO)).content).toBe('still here');
  });
});
