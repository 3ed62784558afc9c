import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { JsonSchema } from '../../core/define.js';

/**
 * A checker for options passed in code (the config loader checks JSON config the same way). It
 * throws a TypeError that names every bad option, so a typo fails at startup, not mid-call.
 */
export function createOptionsValidator(pluginName: string, schema: JsonSchema): (options: unknown) => void {
  let validate: ValidateFunction | undefined;
  return (options) => {
    validate ??= new Ajv({ allErrors: true }).compile(schema);
    if (validate(options)) return;
    const problems = (validate.errors ?? []).map((error) => describeProblem(error, options));
    throw new TypeError(`The ${pluginName} plugin got bad options: ${problems.join('; ')}.`);
  };
}

function describeProblem(error: ErrorObject, options: unknown): string {
  const path = error.instancePath.split('/').slice(1).map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'));
  if (error.keyword === 'additionalProperties') {
    const name = [...path, String(error.params.additionalProperty)].join('.');
    return `unknown option "${name}"`;
  }
  if (path.length === 0) return `options ${error.message ?? 'are invalid'} (got ${JSON.stringify(options)})`;
  const allowed = error.keyword === 'enum' ? `: ${(error.params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(', ')}` : '';
  return `option "${path.join('.')}" ${error.message ?? 'is invalid'}${allowed} (got ${JSON.stringify(valueAt(options, path))})`;
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let value = root;
  for (const key of path) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}
