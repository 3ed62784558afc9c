import { secretRegistry } from './secret-registry.js';

/** What a provider says about which of its options are credentials (see `ProviderDefinition`). */
export interface SecretOptionsSource {
  readonly optionsSchema?: Record<string, unknown>;
  readonly secretOptions?: readonly string[];
}

/** The annotation that marks a schema's value, and everything under it, a credential. */
export const SECRET_KEYWORD = 'x-secret';

const MAX_DEPTH = 32;

/**
 * Registers the backend options a provider marks secret: values under a schema node with
 * `"x-secret": true`, and values at the provider's `secretOptions` paths. Every string under a
 * marked value counts (a service-account object, an array of tokens).
 */
export function registerOptionSecrets(source: SecretOptionsSource, options: unknown): void {
  if (options === undefined || options === null) return;
  if (source.optionsSchema) walkSchema(source.optionsSchema, options, source.optionsSchema, 0);
  for (const path of source.secretOptions ?? []) walkPath(path.split('.'), 0, options, 0);
}

function registerAll(value: unknown, depth: number): void {
  if (typeof value === 'string') secretRegistry.add(value);
  else if (typeof value === 'object' && value !== null && depth < MAX_DEPTH) for (const item of Object.values(value)) registerAll(item, depth + 1);
}

/** `secretOptions` paths: keys joined by `.`, `*` for any key or array index. */
function walkPath(keys: readonly string[], at: number, value: unknown, depth: number): void {
  if (at === keys.length) return registerAll(value, depth);
  if (typeof value !== 'object' || value === null) return;
  const key = keys[at];
  const record = value as Record<string, unknown>;
  if (key === '*') for (const item of Object.values(record)) walkPath(keys, at + 1, item, depth + 1);
  else if (Object.hasOwn(record, key)) walkPath(keys, at + 1, record[key], depth + 1);
}

type Schema = Record<string, unknown>;

const isSchema = (value: unknown): value is Schema => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Follows the value down the schema: properties, additional and pattern properties, items, combinators, local `$ref`s. */
function walkSchema(schema: unknown, value: unknown, root: Schema, depth: number): void {
  if (!isSchema(schema) || depth > MAX_DEPTH) return;
  if (schema[SECRET_KEYWORD] === true) return registerAll(value, depth);
  const next = depth + 1;
  if (typeof schema.$ref === 'string') walkSchema(resolveRef(schema.$ref, root), value, root, next);
  for (const combinator of ['allOf', 'anyOf', 'oneOf'] as const) {
    const branches = schema[combinator];
    if (Array.isArray(branches)) for (const branch of branches) walkSchema(branch, value, root, next);
  }
  for (const branch of [schema.then, schema.else]) walkSchema(branch, value, root, next);
  if (Array.isArray(value)) {
    const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : Array.isArray(schema.items) ? schema.items : [];
    value.forEach((item, index) => walkSchema(index < prefix.length ? prefix[index] : Array.isArray(schema.items) ? schema.additionalItems : schema.items, item, root, next));
    return;
  }
  if (!isSchema(value)) return;
  const properties = isSchema(schema.properties) ? schema.properties : {};
  const patterns = isSchema(schema.patternProperties) ? Object.entries(schema.patternProperties) : [];
  for (const [key, item] of Object.entries(value)) {
    let matched = Object.hasOwn(properties, key);
    if (matched) walkSchema(properties[key], item, root, next);
    for (const [pattern, sub] of patterns) {
      if (!safeTest(pattern, key)) continue;
      matched = true;
      walkSchema(sub, item, root, next);
    }
    if (!matched) walkSchema(schema.additionalProperties, item, root, next);
  }
}

/** `#/$defs/name`, `#/definitions/name`: a JSON pointer into the same schema. Others are not followed. */
function resolveRef(ref: string, root: Schema): unknown {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = root;
  for (const part of ref.slice(1).split('/').slice(1)) {
    if (!isSchema(node)) return undefined;
    node = node[part.replaceAll('~1', '/').replaceAll('~0', '~')];
  }
  return node;
}

function safeTest(pattern: string, key: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(key);
  } catch {
    return false;
  }
}
