import { Ajv, type ErrorObject } from 'ajv';
import type { JsonSchema } from '../../core/define.js';

const ajv = new Ajv({ allErrors: true });

/**
 * Checks options passed in code against the plugin's schema (the config loader checks the ones from
 * the config file) and throws a TypeError naming every bad option.
 */
export function checkOptions(pluginName: string, schema: JsonSchema, options: unknown): void {
  const validate = ajv.compile(schema);
  if (validate(options)) return;
  const problems = (validate.errors ?? []).map((error) => describe(error, options));
  throw new TypeError(`${pluginName}: ${problems.join('; ')}.`);
}

function describe(error: ErrorObject, options: unknown): string {
  const path = error.instancePath.split('/').slice(1);
  if (error.keyword === 'additionalProperties') {
    const key = [...path, String(error.params.additionalProperty)].join('.');
    return `unknown option \`${key}\``;
  }
  if (path.length === 0) return `options ${error.message ?? 'are invalid'}, received ${show(options)}`;
  const allowed = error.keyword === 'enum' ? ` (${(error.params.allowedValues as unknown[]).map(show).join(', ')})` : '';
  return `option \`${path.join('.')}\` ${error.message ?? 'is invalid'}${allowed}, received ${show(valueAt(options, path))}`;
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let value = root;
  for (const key of path) value = (value as Record<string, unknown> | undefined)?.[key];
  return value;
}

function show(value: unknown): string {
  return value === undefined ? 'undefined' : typeof value === 'number' && !Number.isFinite(value) ? String(value) : JSON.stringify(value);
}
