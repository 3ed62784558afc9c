// The config edge cases as a user meets them: the built CLI in a child process.
import { copyFile, symlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli, tempConfig } from './cli-helpers.js';

const pluginDir = resolve(import.meta.dirname, 'fixtures', 'plugins');

describe('hyperagent with a provider module whose import never settles', () => {
  let folder: Awaited<ReturnType<typeof tempConfig>>;
  beforeAll(async () => {
    ensureBuilt();
    folder = await tempConfig({ backends: { never: { provider: './import-never-settles.js' }, held: { provider: './import-holds-a-timer.js' } } });
    for (const name of ['import-never-settles.js', 'import-holds-a-timer.js']) await copyFile(join(pluginDir, name), join(folder.dir, name));
    await symlink(join(folder.dir, 'loop.json'), join(folder.dir, 'loop.json'));
  });
  afterAll(async () => folder.cleanup());

  // Without the import timeout: exit code 13 and no output, or no exit at all while the module's timer runs.
  it.each(['models', 'validate'])('%s exits 1 naming both modules and the wait', async (command) => {
    const result = await runCli([command], { cwd: folder.dir, env: { HYPERAGENT_IMPORT_TIMEOUT_MS: '200' } });
    expect(result.status).toBe(1);
    const output = result.stdout + result.stderr;
    expect(output).toContain('Cannot load provider "./import-never-settles.js"');
    expect(output).toContain('did not settle within 200 ms');
    if (command === 'validate') expect(output).toContain('Cannot load provider "./import-holds-a-timer.js"');
  });

  it('a --config that is a symbolic link loop says so', async () => {
    const result = await runCli(['validate', '--config', 'loop.json'], { cwd: folder.dir });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${join(folder.dir, 'loop.json')} is a symbolic link loop (ELOOP)`);
  });
});
