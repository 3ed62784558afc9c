import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { CONFIG_SEARCH_PLACES } from '../core/config.js';

/**
 * The folder of the config the command will use: `--config`'s, or the first folder from `cwd` up
 * that holds one of the config's file names, stopping at the project root (the first folder with a
 * package.json), as the config search does. `undefined` when there is none.
 */
export function configFolder(configPath: string | undefined, cwd: string): string | undefined {
  if (configPath !== undefined) return dirname(resolve(cwd, configPath));
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    for (const place of CONFIG_SEARCH_PLACES) {
      const file = join(dir, place);
      if (!existsSync(file)) continue;
      if (place !== 'package.json' || hasHyperagentKey(file)) return dir;
    }
    if (existsSync(join(dir, 'package.json')) || dirname(dir) === dir) return undefined;
  }
}

function hasHyperagentKey(file: string): boolean {
  try {
    return Object.hasOwn(JSON.parse(readFileSync(file, 'utf8')) as object, 'hyperagent');
  } catch {
    return false;
  }
}

/**
 * `folder/.env` added to `env`, which keeps every variable it already has (set in the shell wins,
 * even when empty). The process's own environment is loaded with Node's `process.loadEnvFile`;
 * another `env` object (a test's) gets the same parse from `util.parseEnv`. Returns the env to use
 * and the file read, if any.
 */
export function loadEnvFile(folder: string, env: Readonly<Record<string, string | undefined>>): { readonly env: Readonly<Record<string, string | undefined>>; readonly file: string | undefined } {
  const file = join(folder, '.env');
  if (!existsSync(file)) return { env, file: undefined };
  if (env === process.env) {
    const before = { ...process.env };
    process.loadEnvFile(file);
    // Node does not override set variables either; restoring them keeps that true whatever the version.
    for (const [name, value] of Object.entries(before)) process.env[name] = value;
    return { env: process.env, file };
  }
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined));
  return { env: { ...parseEnv(readFileSync(file, 'utf8')), ...set }, file };
}
