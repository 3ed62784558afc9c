import type { ErrorObject, ValidateFunction } from 'ajv';
import { didYouMean } from './config-errors.js';
import { compileOptionsSchema } from './plugin-loader.js';
import type { JsonSchema } from './define.js';

/**
 * A checker for options passed in code (the config loader checks options from JSON config the same
 * way). It throws a TypeError naming every bad option, so a typo fails at start-up, not mid-call.
 */
export function createOptionsValidator(pluginName: string, schema: JsonSchema): (options: unknown) => void {
  let validate: ValidateFunction | undefined;
  return (options) => {
    // The loader compiled this very schema when it checked the config: a second Ajv compiling it
    // again (meta-schema first) was most of a plugin's share of start-up time.
    validate ??= compileOptionsSchema(schema);
    if (validate(options)) return;
    const problems = [...new Set((validate.errors ?? []).map((error) => describeProblem(error, options, schema)))];
    throw new TypeError(`The ${pluginName} plugin got bad options: ${problems.join('; ')}.`);
  };
}

function describeProblem(error: ErrorObject, options: unknown, schema: JsonSchema): string {
  const path = error.instancePath.split('/').slice(1).map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'));
  if (error.keyword === 'additionalProperties') {
    const key = String(error.params.additionalProperty);
    const allowed = Object.keys((schemaAt(error.schemaPath, schema)?.properties as Record<string, unknown> | undefined) ?? {});
    const suggestion = didYouMean(key, allowed);
    return `unknown option "${[...path, key].join('.')}"${suggestion ? ` (did you mean "${[...path, suggestion].join('.')}"?)` : ''}`;
  }
  if (path.length === 0) return `options ${error.message ?? 'are invalid'} (got ${show(options)})`;
  const allowed = error.keyword === 'enum' ? `: ${(error.params.allowedValues as unknown[]).map(show).join(', ')}` : '';
  return `option "${path.join('.')}" ${error.message ?? 'is invalid'}${allowed} (got ${show(valueAt(options, path))})`;
}

/** The schema object that holds the failing keyword (`#/properties/x/additionalProperties` → `properties.x`). */
function schemaAt(schemaPath: string, schema: JsonSchema): Record<string, unknown> | undefined {
  let node: unknown = schema;
  for (const part of schemaPath.replace(/^#\//, '').split('/').slice(0, -1)) {
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[part.replaceAll('~1', '/').replaceAll('~0', '~')] : undefined;
  }
  return node !== null && typeof node === 'object' ? (node as Record<string, unknown>) : undefined;
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let value = root;
  for (const key of path) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

function show(value: unknown): string {
  return value === undefined ? 'undefined' : typeof value === 'number' && !Number.isFinite(value) ? String(value) : JSON.stringify(value);
}
