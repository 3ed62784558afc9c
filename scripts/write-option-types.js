// Writes the TypeScript types and defaults of built-in plugins' and providers' options from their
// optionsSchema, as webpack writes its declarations from its schemas: the schema (in the plugin's
// *-options.ts) is the one place an option, its type, its documentation and its default are
// written; `<name>-options.generated.ts` beside it holds
//
//   export interface <Name>JsonOptions   every option a JSON config can hold, documented from the
//                                        schema's `description`, with `@default` from its `default`;
//   export const <name>Defaults          the schema's defaults, typed exactly (`as const`).
//
// The plugin's own options type is that interface, plus options only code can give (a function,
// a stream). Run with `npm run schemas` (after a build: it reads the schemas from dist/);
// test/schema-completion.test.ts fails when a generated file is behind its schema.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The built-ins whose options types are generated: kind, name, and the file written. One listed
 * here has its `<Name>JsonOptions` and `<name>Defaults` used by its options file.
 */
export const GENERATED = [
  ['plugin', 'retry', 'plugins/retry/retry-options.generated.ts'],
  ['plugin', 'rate-limit', 'plugins/rate-limit/rate-limit-options.generated.ts'],
  ['plugin', 'cost', 'plugins/cost/cost-options.generated.ts'],
  ['plugin', 'approval', 'plugins/approval/approval-options.generated.ts'],
  ['plugin', 'logging', 'plugins/logging/logging-options.generated.ts'],
];

const pascal = (name) => name.split(/[^a-zA-Z0-9]+/).map((part) => part[0].toUpperCase() + part.slice(1)).join('');
const camel = (name) => pascal(name)[0].toLowerCase() + pascal(name).slice(1);
const literal = (value) => JSON.stringify(value);
const identifier = (key) => (/^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key));

/** The TypeScript type of `schema` (the JSON Schema subset option schemas use), at `indent`. */
export function typeOf(schema, indent = '') {
  if (schema === true || schema === undefined) return 'unknown';
  if (schema === false) return 'never';
  if ('const' in schema) return literal(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map(literal).join(' | ');
  if (Array.isArray(schema.anyOf ?? schema.oneOf)) return [...new Set((schema.anyOf ?? schema.oneOf).map((part) => typeOf(part, indent)))].join(' | ');
  if (Array.isArray(schema.allOf)) return schema.allOf.map((part) => parenthesise(typeOf(part, indent))).join(' & ');
  const types = Array.isArray(schema.type) ? schema.type : schema.type === undefined ? (schema.properties ? ['object'] : []) : [schema.type];
  if (types.length === 0) return 'unknown';
  return types.map((type) => typeOfType(type, schema, indent)).join(' | ');
}

/** `type` in parentheses when it is a union or intersection at its top level (inside `[]`, `<>`, `{}` does not count). */
function parenthesise(type) {
  let depth = 0;
  for (const char of type) {
    if ('([{<'.includes(char)) depth++;
    else if (')]}>'.includes(char)) depth--;
    else if (depth === 0 && (char === '|' || char === '&')) return `(${type})`;
  }
  return type;
}

function typeOfType(type, schema, indent) {
  switch (type) {
    case 'string':
      return 'string';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array':
      if (Array.isArray(schema.items)) return `readonly [${schema.items.map((item) => typeOf(item, indent)).join(', ')}]`;
      return `readonly ${arrayItem(typeOf(schema.items, indent))}[]`;
    case 'object':
      return objectType(schema, indent);
    default:
      return 'unknown';
  }
}

/** An array's item type as `T[]` needs it: a union, or an array itself, in parentheses. */
function arrayItem(type) {
  const wrapped = parenthesise(type);
  return wrapped === type && type.startsWith('readonly ') ? `(${type})` : wrapped;
}

function objectType(schema, indent) {
  const properties = Object.entries(schema.properties ?? {});
  const extra = schema.additionalProperties;
  if (properties.length === 0) return extra === undefined || extra === true ? 'Readonly<Record<string, unknown>>' : extra === false ? 'Record<string, never>' : `Readonly<Record<string, ${typeOf(extra, indent)}>>`;
  return `{\n${members(schema, `${indent}  `)}${indent}}`;
}

/** The members of an object schema's properties, each with its documentation. */
function members(schema, indent) {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {})
    .map(([key, property]) => `${doc(property, indent)}${indent}readonly ${identifier(key)}${required.has(key) ? '' : '?'}: ${typeOf(property, indent)};\n`)
    .join('');
}

function doc(schema, indent) {
  if (typeof schema !== 'object' || schema === null) return '';
  const lines = [];
  if (typeof schema.description === 'string') lines.push(...schema.description.split('\n'));
  if ('default' in schema) lines.push(`@default ${literal(schema.default)}`);
  if (lines.length === 0) return '';
  if (lines.length === 1 && !lines[0].includes('*/')) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((line) => `${indent} * ${line.replaceAll('*/', '*\\/')}`.trimEnd()).join('\n')}\n${indent} */\n`;
}

/** The generated file for a built-in named `name` whose options schema is `schema`. */
export function optionTypesSource(kind, name, schema) {
  const type = `${pascal(name)}JsonOptions`;
  const defaults = Object.fromEntries(Object.entries(schema.properties ?? {}).filter(([, property]) => 'default' in property).map(([key, property]) => [key, property.default]));
  return `// Generated by scripts/write-option-types.js from the ${name} ${kind}'s optionsSchema. Do not edit:
// change the schema and run \`npm run schemas\`.

/** The options of the ${name} ${kind} that a JSON config can hold. */
export interface ${type} {
${members(schema, '  ')}}

/** The defaults the ${name} ${kind}'s options schema gives. */
export const ${camel(name)}Defaults = {
${Object.entries(defaults).map(([key, value]) => `  ${identifier(key)}: ${literal(value)},\n`).join('')}} as const;
`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { loadPlugin, loadProvider } = await import(pathToFileURL(join(root, 'dist', 'index.js')).href);
  for (const [kind, name, file] of GENERATED) {
    const definition = kind === 'provider' ? await loadProvider(name, root) : await loadPlugin(name, root);
    writeFileSync(join(root, file), optionTypesSource(kind, name, definition.optionsSchema ?? {}));
  }
  process.stdout.write(`write-option-types: ${GENERATED.length} files\n`);
}
