// What an editor offers inside hyperagent.config.json, from its "$schema": asked of
// vscode-json-languageservice (the JSON language service of VS Code and of most LSP editors),
// at a cursor in a sample document, with the config schema as the file's schema.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { getLanguageService, TextDocument } from 'vscode-json-languageservice';
import { BUILTIN_PLUGINS, BUILTIN_PROVIDERS, loadPlugin, loadProvider } from '../core/plugin-loader.js';
// @ts-expect-error: a plain JavaScript build script, without declarations.
import { linkBuiltins } from '../scripts/write-schemas.js';
// @ts-expect-error: a plain JavaScript build script, without declarations.
import { GENERATED, optionTypesSource } from '../scripts/write-option-types.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schemaUri = pathToFileURL(join(root, 'schemas', 'hyperagent.config.schema.json')).href;
const schema = JSON.parse(readFileSync(join(root, 'schemas', 'hyperagent.config.schema.json'), 'utf8')) as object;

const service = getLanguageService({ schemaRequestService: async () => JSON.stringify(schema) });
service.configure({ validate: true, allowComments: false, schemas: [{ uri: schemaUri, fileMatch: ['*.json'], schema }] });

/** The labels an editor offers at `|` in `text`. */
async function completions(text: string): Promise<string[]> {
  const offset = text.indexOf('|');
  const document = TextDocument.create('file:///project/hyperagent.config.json', 'json', 1, text.replace('|', ''));
  const list = await service.doComplete(document, document.positionAt(offset), service.parseJSONDocument(document));
  return (list?.items ?? []).map((item) => item.label.replace(/^"|"$/g, ''));
}

/** The problems an editor underlines in `text`. */
async function diagnostics(text: string): Promise<string[]> {
  const document = TextDocument.create('file:///project/hyperagent.config.json', 'json', 1, text);
  return (await service.doValidation(document, service.parseJSONDocument(document))).map((d) => d.message);
}

describe('editor completion from "$schema"', () => {
  it('the config schema links the options schemas in code (run `npm run schemas` after changing one)', async () => {
    const schemas: Record<string, unknown> = {};
    for (const name of Object.keys(BUILTIN_PROVIDERS)) schemas[`provider-${name}`] = JSON.parse(JSON.stringify((await loadProvider(name, root)).optionsSchema ?? {}));
    for (const name of Object.keys(BUILTIN_PLUGINS)) schemas[`plugin-${name}`] = JSON.parse(JSON.stringify((await loadPlugin(name, root)).optionsSchema ?? {}));
    expect(schema).toEqual(linkBuiltins(schema, schemas));
  });

  it('offers every built-in provider name for `provider`', async () => {
    const labels = await completions('{ "backends": { "a": { "provider": | } } }');
    expect(labels).toEqual(expect.arrayContaining(Object.keys(BUILTIN_PROVIDERS)));
  });

  it.each([
    ['openai', ['organization', 'project', 'api', 'embeddingModel']],
    ['mock', ['defaultResponse']],
  ])('offers the %s provider\'s own options inside `options`', async (provider, expected) => {
    const labels = await completions(`{ "backends": { "a": { "provider": "${provider}", "options": { | } } } }`);
    expect(labels).toEqual(expect.arrayContaining(expected));
    // Another provider's options are not offered.
    if (provider === 'mock') expect(labels).not.toContain('organization');
  });

  it('offers every built-in plugin name, alone or as the first item of a [name, options] pair', async () => {
    expect(await completions('{ "backends": { "a": { "provider": "mock" } }, "plugins": [ | ] }')).toEqual(expect.arrayContaining(Object.keys(BUILTIN_PLUGINS)));
    expect(await completions('{ "backends": { "a": { "provider": "mock" } }, "plugins": [ [ | ] ] }')).toEqual(expect.arrayContaining(Object.keys(BUILTIN_PLUGINS)));
  });

  it('offers the retry plugin\'s options in its pair, and their values', async () => {
    const labels = await completions('{ "backends": { "a": { "provider": "mock" } }, "plugins": [ ["retry", { | }] ] }');
    expect(labels).toEqual(expect.arrayContaining(['maxRetries', 'initialDelayMs', 'maxDelayMs', 'jitter', 'retryOn']));
    expect(await completions('{ "backends": { "a": { "provider": "mock" } }, "plugins": [ ["retry", { "retryOn": [ | ] }] ] }')).toContain('HA_RATE_LIMITED');
  });

  it('underlines a mistyped option of a built-in, and leaves a third-party provider\'s options alone', async () => {
    expect((await diagnostics('{ "backends": { "a": { "provider": "openai", "options": { "organisation": "x" } } } }')).join('\n')).toMatch(/organisation/);
    expect(await diagnostics('{ "backends": { "a": { "provider": "./my-provider.js", "options": { "anything": 1 } } } }')).toEqual([]);
  });
});

describe('option types generated from the options schemas', () => {
  // HYPERAGENT_WRITE_GENERATED=1 writes them (what `npm run schemas` does from dist/), e.g. for a new entry.
  it.each((GENERATED as [string, string, string][]).map(([kind, name, file]) => [`${kind} ${name}`, kind, name, file]))('%s is current', async (_label, kind, name, file) => {
    const definition = kind === 'provider' ? await loadProvider(name, root) : await loadPlugin(name, root);
    const expected = optionTypesSource(kind, name, JSON.parse(JSON.stringify(definition.optionsSchema ?? {}))) as string;
    if (process.env.HYPERAGENT_WRITE_GENERATED === '1') writeFileSync(join(root, file), expected);
    expect(existsSync(join(root, file)), `${file} is missing: run \`npm run schemas\``).toBe(true);
    expect(readFileSync(join(root, file), 'utf8'), `${file} is behind the ${name} ${kind}'s optionsSchema: run \`npm run schemas\``).toBe(expected);
  });
});
