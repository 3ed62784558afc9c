// Portkey's open-source gateway, the peer of `npm run bench:gateway`: installed on demand into
// bench/portkey/ (gitignored, never a dependency of the package) with the ordinary npm client.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { here } from '../harness.js';

/**
 * The version measured. The issue names 1.14.1 (the last to stream on Node 20 as published); the
 * registry this machine uses has only 1.9.8 and 1.15.2, so it is 1.15.2 with `PORTKEY_SHIM`.
 */
export const PORTKEY_VERSION = '1.15.2';
export const PORTKEY_SHIM = join(here, 'gateway', 'portkey-fetch-shim.js');
const folder = join(here, 'portkey');
const packageDir = join(folder, 'node_modules', '@portkey-ai', 'gateway');

export function portkeyEntry() {
  return join(packageDir, 'build', 'start-server.js');
}

function installedVersion() {
  try {
    return JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

/** Installs Portkey if it is not there yet; the version, or `{ error }` saying why it is not measured. */
export function ensurePortkey(log) {
  if (installedVersion() === PORTKEY_VERSION && existsSync(portkeyEntry())) return { version: PORTKEY_VERSION };
  mkdirSync(folder, { recursive: true });
  const manifest = join(folder, 'package.json');
  if (!existsSync(manifest)) writeFileSync(manifest, `${JSON.stringify({ name: 'hyperagent-bench-portkey', private: true, description: 'Portkey gateway for npm run bench:gateway, installed on demand; not part of the package' }, null, 2)}\n`);
  log(`bench:gateway: installing @portkey-ai/gateway@${PORTKEY_VERSION} into bench/portkey/ (once)`);
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--save-exact', `@portkey-ai/gateway@${PORTKEY_VERSION}`], { cwd: folder, encoding: 'utf8', timeout: 300_000 });
  if (result.status === 0 && installedVersion() === PORTKEY_VERSION) return { version: PORTKEY_VERSION };
  const why = (result.stderr || result.stdout || String(result.error ?? '')).trim().split('\n').slice(-3).join(' | ');
  return { error: `npm could not install @portkey-ai/gateway@${PORTKEY_VERSION}: ${why.slice(0, 300)}` };
}
