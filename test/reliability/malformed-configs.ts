// Deterministic malformed config documents for the fuzz test: wrong types at every field, unknown
// keys, empty and non-object roots, huge and deeply nested documents, prototype-pollution keys, and
// config files that are not JSON at all. Same seed, same documents, every run.

/** One malformed config: an object handed to the loader, or the text of a config file. */
export type MalformedConfig =
  | { readonly kind: 'object'; readonly name: string; readonly doc: unknown; /** A JSON pointer the error must point at or under. */ readonly path?: string }
  | { readonly kind: 'text'; readonly name: string; readonly text: string };

/** mulberry32: a tiny seeded PRNG, so the fuzz documents are the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A valid config that every mutation starts from. */
export function baseConfig(): Record<string, unknown> {
  return {
    defaultBackend: 'main',
    backends: {
      main: { provider: 'mock', model: 'mock-model', maxTokens: 256, timeoutMs: 30_000, rateLimits: { rpm: 60, tpm: 100_000, maxConcurrent: 4 }, headers: { 'x-team': 'a' }, options: { latencyMs: 0 } },
      second: { provider: 'mock', apiKey: 'k', baseURL: 'http://127.0.0.1:1' },
    },
    plugins: [['retry', { maxRetries: 1, initialDelayMs: 10 }], ['rate-limit', {}], 'cost'],
    server: { host: '127.0.0.1', port: 8787, apiKeys: ['a-key'], maxBodyBytes: 1024, cors: { origins: ['https://app.example'] }, strictParams: false, responsesTtlMs: 60_000 },
  };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function clone<T>(value: T): T {
  return structuredClone(value);
}

/** Set `value` at a JSON pointer, creating nothing: every parent must exist. */
function setAt(root: Record<string, unknown>, pointer: string, value: unknown): Record<string, unknown> {
  const doc = clone(root);
  const keys = pointer.split('/').slice(1);
  let node = doc as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[keys[keys.length - 1]] = value;
  return doc;
}

/** Fields of the base config, each with values its schema (or its plugin's options schema) refuses. */
const WRONG_VALUES: readonly [string, readonly unknown[]][] = [
  ['/defaultBackend', [5, true, {}, '', 'no-such-backend', [], [3]]],
  ['/backends', [5, 'main', [], true, null, {}]],
  ['/backends/main', [5, 'mock', [], null, true, {}]],
  ['/backends/main/provider', [5, '', null, [], {}, false]],
  ['/backends/main/model', [5, [], {}, true, null]],
  ['/backends/main/apiKey', [5, {}, [], false]],
  ['/backends/main/baseURL', [5, [], null]],
  ['/backends/main/rateLimits', ['fast', 5, [], null]],
  ['/backends/main/rateLimits/rpm', ['x', -1, 0, null, {}]],
  ['/backends/main/rateLimits/tpm', ['lots', -10, [], true]],
  ['/backends/main/rateLimits/maxConcurrent', [1.5, 0, '4']],
  ['/backends/main/maxTokens', [-5, '10', 1.5, 0, null]],
  ['/backends/main/timeoutMs', [true, 0, -1, 'soon', 2.5]],
  ['/backends/main/headers', [[], 'x', 5, null]],
  ['/backends/main/headers/x-team', [5, {}, null, [], true]],
  ['/backends/main/options', ['x', 5, [], null]],
  ['/backends/main/options/latencyMs', ['slow', -1, {}, null]],
  ['/plugins', [{}, 'retry', 5, null, true]],
  ['/plugins/0', [5, {}, [], [5], ['retry', 'x'], ['retry', {}, {}], [''], null]],
  ['/plugins/0/1/maxRetries', ['three', -1, 1.5, null]],
  ['/plugins/0/1/initialDelayMs', ['soon', -5, []]],
  ['/plugins/1/1', ['x', 5, []]],
  ['/server', ['x', 5, [], null]],
  ['/server/host', [5, '', null]],
  ['/server/port', ['x', -1, 70_000, 1.5, null]],
  ['/server/apiKeys', ['x', [5], {}, null]],
  ['/server/maxBodyBytes', [-1, 0, 'big']],
  ['/server/cors', ['yes', true, 5, {}, { origins: 'x' }, { origins: [5] }]],
  ['/server/strictParams', ['yes', 1, null]],
  ['/server/responsesTtlMs', [0, -1, 1.5, 'long', null]],
];

const UNKNOWN_KEY_PARENTS: readonly string[] = ['', '/backends/main', '/backends/second', '/backends/main/rateLimits', '/backends/main/options', '/server', '/server/cors', '/plugins/0/1', '/plugins/1/1'];

const POISON_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

function randomValue(random: () => number, depth = 0): Json {
  const pick = Math.floor(random() * (depth > 2 ? 4 : 6));
  switch (pick) {
    case 0:
      return null;
    case 1:
      return random() < 0.5;
    case 2:
      return Math.round((random() - 0.5) * 1e6) / (random() < 0.5 ? 1 : 7);
    case 3:
      return randomKey(random);
    case 4:
      return Array.from({ length: Math.floor(random() * 3) }, () => randomValue(random, depth + 1));
    default:
      return Object.fromEntries(Array.from({ length: Math.floor(random() * 3) }, () => [randomKey(random), randomValue(random, depth + 1)]));
  }
}

function randomKey(random: () => number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz_-$';
  const length = 1 + Math.floor(random() * 10);
  return `z${Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('')}`;
}

function sameJsonType(a: unknown, b: unknown): boolean {
  const type = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value);
  return type(a) === type(b) || (type(a) === 'integer' && type(b) === 'number') || (type(a) === 'number' && type(b) === 'integer');
}

/** Values of another type that the schema still accepts at `path`. */
function stillValid(path: string, value: Json): boolean {
  const base = valueAt(baseConfig(), path);
  if (typeof base === 'object' && base !== null && !Array.isArray(base) && typeof value === 'object' && value !== null && !Array.isArray(value)) return true;
  if (/^\/plugins\/\d+$/.test(path) && typeof value === 'string') return true; // a bare plugin name
  if (path === '/server/cors' && value === false) return true;
  return false;
}

/** Every leaf and inner node of `value`, as JSON pointers. */
function pointers(value: unknown, base = ''): string[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => [`${base}/${key}`, ...pointers(child, `${base}/${key}`)]);
}

function valueAt(root: unknown, pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], root);
}

/** JSON text with `key` (e.g. `__proto__`) as an own property of the object at `parent`. */
function withRawKey(parent: string, key: string, value: Json): string {
  const marker = '"__POISON_MARKER__"';
  const doc = parent === '' ? { ...baseConfig(), __POISON_MARKER__: 0 } : setAt(baseConfig(), `${parent}/__POISON_MARKER__`, 0);
  return JSON.stringify(doc).replace(`${marker}:0`, `${JSON.stringify(key)}:${JSON.stringify(value)}`);
}

function nested(depth: number): Json {
  let node: Json = { leaf: true };
  for (let level = 0; level < depth; level += 1) node = { deeper: node };
  return node;
}

/** At least 200 malformed documents, deterministic for a seed. */
export function malformedConfigs(seed = 20_240_601): MalformedConfig[] {
  const random = seededRandom(seed);
  const out: MalformedConfig[] = [];
  const object = (name: string, doc: unknown, path?: string): void => void out.push({ kind: 'object', name, doc, ...(path ? { path } : {}) });

  // Roots that are not a config object at all.
  for (const root of [null, 0, 42, -1, true, false, [], [{}], [1, 2], { backends: {} }, {}, { plugins: [] }, { backends: null }, { backends: [] }]) {
    object(`root ${JSON.stringify(root)}`, root, '/');
  }

  // Wrong types and out-of-range values at every field.
  for (const [path, values] of WRONG_VALUES) {
    for (const value of values) object(`${path} = ${JSON.stringify(value)}`, setAt(baseConfig(), path, value), path);
  }

  // Random wrong-typed values at random fields.
  const fields = pointers(baseConfig());
  for (let index = 0; index < 60; index += 1) {
    const path = fields[Math.floor(random() * fields.length)];
    let value = randomValue(random);
    while (sameJsonType(value, valueAt(baseConfig(), path)) || stillValid(path, value)) value = randomValue(random);
    object(`random ${path} = ${JSON.stringify(value).slice(0, 60)}`, setAt(baseConfig(), path, value), path);
  }

  // Unknown keys at every level, with typo-like and random names.
  for (const parent of UNKNOWN_KEY_PARENTS) {
    for (const key of ['modle', randomKey(random), randomKey(random)]) {
      const path = `${parent}/${key}`;
      object(`unknown key ${path}`, setAt(baseConfig(), path, randomValue(random)), parent === '' ? '/' : parent);
    }
  }

  // Prototype-pollution keys as own properties, as JSON.parse makes them.
  for (const parent of ['', '/backends', '/backends/main', '/backends/main/options', '/backends/main/headers', '/plugins/0/1', '/server']) {
    for (const key of POISON_KEYS) {
      const text = withRawKey(parent, key, key === 'constructor' ? { prototype: { polluted: 'yes' } } : { polluted: 'yes' });
      object(`${key} under ${parent || '/'}`, JSON.parse(text), parent === '' ? '/' : parent);
      out.push({ kind: 'text', name: `file with ${key} under ${parent || '/'}`, text });
    }
  }

  // Huge documents.
  object('10,000 backends, each with a bad provider', { backends: Object.fromEntries(Array.from({ length: 10_000 }, (_unused, index) => [`b${index}`, { provider: index }])) }, '/backends');
  object('100,000 plugin entries of the wrong type', { backends: { main: { provider: 'mock' } }, plugins: Array.from({ length: 100_000 }, () => 7) }, '/plugins');
  object('a 5 MB unknown key value', setAt(baseConfig(), '/backends/main/zhuge', 'x'.repeat(5 * 1024 * 1024)), '/backends/main');
  object('a 1 MB key name', setAt(baseConfig(), `/server/${'k'.repeat(1024 * 1024)}`, 1), '/server');
  object('options nested 10,000 deep under an unknown key', setAt(baseConfig(), '/backends/main/options/zdeep', nested(10_000)), '/backends/main/options');
  object('an unknown key nested 10,000 deep at the root', setAt(baseConfig(), '/zdeep', nested(10_000)), '/');
  object('a plugin whose options nest 10,000 deep', setAt(baseConfig(), '/plugins/1/1/zdeep', nested(10_000)), '/plugins/1/1');

  // Config files that are not JSON, or not a config.
  const texts: [string, string][] = [
    ['empty file', ''],
    ['only whitespace', '  \n\t '],
    ['an open brace', '{'],
    ['a close brace', '}'],
    ['prose', 'hello world'],
    ['single quotes', "{'backends': {}}"],
    ['a trailing comma', '{"backends": {"a": {"provider": "mock"},}}'],
    ['a comment', '// config\n{"backends": {"a": {"provider": "mock"}}}'],
    ['a BOM then a broken object', '\uFEFF{"backends": '],
    ['NUL bytes', '\u0000\u0001\u0002'],
    ['null', 'null'],
    ['a number', '42'],
    ['an unterminated array', '[1, 2'],
    ['trailing garbage', '{"backends": {"a": {"provider": "mock"}}} trailing'],
    ['NaN', 'NaN'],
    ['Infinity as a value', '{"backends": {"a": {"provider": "mock", "maxTokens": Infinity}}}'],
    ['an unterminated string', '{"backends": {"a": {"provider": "mo'],
    ['YAML', 'backends:\n  a:\n    provider: mock\n'],
    ['a duplicate-looking object with a bad type', '{"backends": {"a": {"provider": 5}}}'],
    ['$import', '{"$import": "./other.json", "backends": {"a": {"provider": "mock"}}}'],
    ['10,000 nested arrays', `${'['.repeat(10_000)}${']'.repeat(10_000)}`],
    ['10,000 nested objects', `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`],
  ];
  for (const [name, text] of texts) out.push({ kind: 'text', name, text });
  for (let index = 0; index < 10; index += 1) {
    const bytes = Array.from({ length: 1 + Math.floor(random() * 200) }, () => String.fromCharCode(Math.floor(random() * 256)));
    out.push({ kind: 'text', name: `random bytes #${index}`, text: bytes.join('') });
  }
  return out;
}
