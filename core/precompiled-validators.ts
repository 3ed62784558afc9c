import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';

/** A validator made by Ajv's standalone code generation: true or false, no compiling at run time. */
type StandaloneValidate = (data: unknown) => boolean;

/** What scripts/compile-schemas.js writes to dist/core/generated/validators.cjs. */
interface GeneratedValidators {
  /** `JSON.stringify` of the config schema it was compiled from, and its validator. */
  readonly config: { readonly key: string; load(): StandaloneValidate };
  /** By `JSON.stringify` of each built-in provider's and plugin's optionsSchema. */
  readonly options: Readonly<Record<string, () => StandaloneValidate>>;
}

const require = createRequire(import.meta.url);
let generated: GeneratedValidators | null | undefined;

function generatedValidators(): GeneratedValidators | null {
  if (generated !== undefined) return generated;
  try {
    // Only in dist/: the sources (run by vitest) have no generated/ folder and compile with Ajv.
    generated = require('./generated/validators.cjs') as GeneratedValidators;
  } catch {
    generated = null;
  }
  return generated;
}

/** The build-time validator of the config schema whose `JSON.stringify` is `key`, if it was compiled from that very schema. */
export function precompiledConfigValidator(key: string): StandaloneValidate | undefined {
  const found = generatedValidators();
  return found && found.config.key === key ? found.config.load() : undefined;
}

/** The build-time validator of a built-in provider's or plugin's options schema, if this is the schema it was compiled from. */
export function precompiledOptionsValidator(schema: object): StandaloneValidate | undefined {
  const found = generatedValidators();
  if (!found) return undefined;
  const key = JSON.stringify(schema);
  return Object.hasOwn(found.options, key) ? found.options[key]() : undefined;
}

/**
 * A ValidateFunction that answers with the build-time validator and, only when the data is
 * invalid, compiles the schema with Ajv (loaded then) to report its errors: the problems listed
 * are exactly those Ajv reports, while a valid config never loads Ajv.
 */
export function withAjvErrors(fast: StandaloneValidate, compile: () => ValidateFunction): ValidateFunction {
  let full: ValidateFunction | undefined;
  const validate = ((data: unknown): boolean => {
    if (fast(data)) {
      validate.errors = null;
      return true;
    }
    full ??= compile();
    const valid = full(data) as boolean;
    validate.errors = full.errors;
    return valid;
  }) as ValidateFunction;
  validate.errors = null;
  return validate;
}
