import { createRequire } from 'node:module';
import type { Ajv, Options } from 'ajv';
import type { Ajv2020 } from 'ajv/dist/2020.js';

// Ajv is loaded on first use, not with the library: the config and the built-in providers' and
// plugins' option schemas are checked by validators compiled at build time
// (scripts/compile-schemas.js), so a start-up whose config is valid never needs it.
const require = createRequire(import.meta.url);

/** A draft-07 Ajv (the `ajv` main export), loaded when first asked for. */
export function createAjv(options: Options): Ajv {
  const { Ajv: AjvClass } = require('ajv') as typeof import('ajv');
  return new AjvClass(options);
}

/** A draft 2020-12 Ajv, loaded when first asked for. */
export function createAjv2020(options: Options): Ajv2020 {
  const { Ajv2020: AjvClass } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  return new AjvClass(options);
}
