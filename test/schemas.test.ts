import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BUILTIN_PLUGINS, BUILTIN_PROVIDERS, loadPlugin, loadProvider } from '../core/plugin-loader.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('schemas/plugins', () => {
  const cases = [
    ...Object.keys(BUILTIN_PROVIDERS).map((name) => ['provider', name] as const),
    ...Object.keys(BUILTIN_PLUGINS).map((name) => ['plugin', name] as const),
  ];
  it.each(cases)('the %s "%s" options schema file matches the schema in code (run `npm run schemas` after changing it)', async (kind, name) => {
    const definition = kind === 'provider' ? await loadProvider(name, root) : await loadPlugin(name, root);
    const file = JSON.parse(readFileSync(join(root, 'schemas', 'plugins', `${kind}-${name}.json`), 'utf8')) as Record<string, unknown>;
    const { $schema: _dialect, ...schema } = file;
    const { $schema: _inCode, ...expected } = JSON.parse(JSON.stringify(definition.optionsSchema ?? {})) as Record<string, unknown>;
    expect(schema).toEqual(expected);
    expect(schema.additionalProperties).toBe(false);
  });
});
