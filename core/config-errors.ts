import type { ErrorObject } from 'ajv';
import type { ConfigProblem } from './errors.js';

/** Objects and arrays nested deeper than this in a config are refused. @default 100 */
export const MAX_CONFIG_DEPTH = 100;

/** Keys that could reach `Object.prototype` if a config were ever merged; never accepted anywhere. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const SHAPE_KEYWORDS = new Set(['type', 'const', 'enum']);
const SECRET_KEY = /(api[-_]?key|secret|token|password|authorization)$/i;

/** Append segments to a JSON pointer, escaping `~` and `/` as RFC 6901 asks. */
export function joinPointer(base: string, ...segments: readonly (string | number)[]): string {
  return segments.reduce<string>((pointer, segment) => `${pointer}/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`, base);
}

/** Optimal string alignment distance: Levenshtein plus adjacent transpositions ("modle" → "model" is 1). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The closest candidate to `input`, if one is close enough to be a likely typo. Case is ignored. */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  const needle = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const allowed = Math.min(3, Math.max(1, Math.floor(Math.max(needle.length, candidate.length) / 3)));
    // The distance is at least the difference in length: a megabyte-long key costs nothing here.
    if (Math.abs(needle.length - candidate.length) > allowed) continue;
    const distance = editDistance(needle, candidate.toLowerCase());
    if (distance <= allowed && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** `"many"`, `42`, `null`, `an array`... Values under secret-looking keys are described by type only. */
export function describeValue(value: unknown, path = ''): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const lastKey = decodeURIComponent(path.split('/').pop() ?? '');
  if (SECRET_KEY.test(lastKey) || /\/(headers|apiKeys)\//.test(path)) return typeof value === 'string' ? 'a string' : `a ${typeof value}`;
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return String(value);
}

function typeName(type: string): string {
  const names: Record<string, string> = {
    string: 'a string',
    number: 'a number',
    integer: 'an integer',
    boolean: 'true or false',
    object: 'an object',
    array: 'an array',
    null: 'null',
  };
  return type
    .split(',')
    .map((t) => names[t] ?? t)
    .join(' or ');
}

function list(values: readonly unknown[]): string {
  return values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function allowedKeys(error: ErrorObject): string[] {
  const properties = (error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return properties ? Object.keys(properties) : [];
}

function shapeForm(error: ErrorObject): string {
  if (error.keyword === 'type') return typeName(String(error.params.type));
  if (error.keyword === 'const') return JSON.stringify(error.params.allowedValue);
  return `one of ${list(error.params.allowedValues as unknown[])}`;
}

/** One ajv error in words. `path` is the full JSON pointer the message is about. */
function describe(error: ErrorObject, basePath: string): ConfigProblem | undefined {
  const path = basePath + error.instancePath;
  const got = ` (got ${describeValue(error.data, path)})`;
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type':
      return { path, message: `must be ${typeName(String(p.type))}${got}` };
    case 'required':
      return { path: path || '/', message: `missing required key "${String(p.missingProperty)}"` };
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const key = String(p.additionalProperty ?? p.unevaluatedProperty);
      const allowed = allowedKeys(error);
      const suggestion = didYouMean(key, allowed);
      const hint = suggestion
        ? ` — did you mean "${suggestion}"?`
        : allowed.length > 0
          ? ` (allowed here: ${allowed.join(', ')})`
          : ' (no other keys are allowed here)';
      return { path: joinPointer(path, key), message: `unknown key "${key}"${hint}` };
    }
    case 'enum': {
      const values = p.allowedValues as unknown[];
      const suggestion = typeof error.data === 'string' ? didYouMean(error.data, values.filter((v): v is string => typeof v === 'string')) : undefined;
      const gotHint = suggestion ? ` (got ${describeValue(error.data, path)} — did you mean "${suggestion}"?)` : got;
      return { path, message: `must be one of: ${list(values)}${gotHint}` };
    }
    case 'const':
      return { path, message: `must be ${JSON.stringify(p.allowedValue)}${got}` };
    case 'minimum':
      return { path, message: `must be at least ${String(p.limit)}${got}` };
    case 'exclusiveMinimum':
      return { path, message: `must be greater than ${String(p.limit)}${got}` };
    case 'maximum':
      return { path, message: `must be at most ${String(p.limit)}${got}` };
    case 'exclusiveMaximum':
      return { path, message: `must be less than ${String(p.limit)}${got}` };
    case 'multipleOf':
      return { path, message: `must be a multiple of ${String(p.multipleOf)}${got}` };
    case 'minLength':
      return { path, message: p.limit === 1 ? 'must not be empty' : `must be at least ${plural(Number(p.limit), 'character')} long` };
    case 'maxLength':
      return { path, message: `must be at most ${plural(Number(p.limit), 'character')} long` };
    case 'pattern':
      return { path, message: `must match the pattern ${String(p.pattern)}${got}` };
    case 'format':
      return { path, message: `must be a valid ${String(p.format)}${got}` };
    case 'minItems':
      return { path, message: p.limit === 1 ? 'must not be empty' : `must have at least ${plural(Number(p.limit), 'item')}` };
    case 'maxItems':
    case 'additionalItems':
      return { path, message: `must have at most ${plural(Number(p.limit), 'item')}` };
    case 'minProperties':
      return { path, message: p.limit === 1 ? 'must not be empty' : `must have at least ${plural(Number(p.limit), 'entry')}`.replace('entrys', 'entries') };
    case 'maxProperties':
      return { path, message: `must have at most ${plural(Number(p.limit), 'entry')}`.replace('entrys', 'entries') };
    case 'uniqueItems':
      return { path, message: `must not contain duplicates (items ${String(p.j)} and ${String(p.i)} are equal)` };
    case 'dependencies':
    case 'dependentRequired':
      return { path, message: `key "${String(p.property)}" requires key "${String(p.missingProperty)}"` };
    case 'not':
    case 'false schema':
      return { path, message: `is not allowed here${got}` };
    case 'contains':
      return { path, message: 'must contain at least one valid item' };
    case 'oneOf': {
      if (!p.passingSchemas) return undefined;
      const branches = ((error.parentSchema as { oneOf?: Array<{ required?: string[] }> } | undefined)?.oneOf ?? []).map((branch) => branch.required?.[0]);
      if (branches.length > 0 && branches.every(Boolean)) return { path, message: `must have only one of the keys ${branches.map((key) => `"${key}"`).join(', ')}` };
      return { path, message: 'matches more than one of the allowed forms; make it match exactly one' };
    }
    case 'if':
    case 'anyOf':
    case 'propertyNames':
      return undefined;
    default:
      return { path, message: error.message ?? `fails "${error.keyword}"` };
  }
}

/** An ajv error on its way to becoming a problem, or a problem already made from several errors. */
interface Item {
  readonly instancePath: string;
  readonly schemaPath: string;
  readonly error?: ErrorObject;
  readonly problem?: ConfigProblem;
  /** Set when the item says "the value has the wrong shape": the forms that would have been accepted. */
  readonly forms?: readonly string[];
}

function fromError(error: ErrorObject): Item {
  const forms = SHAPE_KEYWORDS.has(error.keyword) ? [shapeForm(error)] : undefined;
  return { instancePath: error.instancePath, schemaPath: error.schemaPath, error, forms };
}

/**
 * The items that explain the failed anyOf/oneOf at `index`: the run just before it about the same
 * value or something inside it. Errors of sibling keywords (which ajv may list first) are left out:
 * their schema path is `<parent>/<keyword>…`, while a branch's is `<parent>/anyOf/<n>/…` or,
 * through a `$ref`, a path under `definitions`/`$defs` or in another schema.
 */
function branchIndexes(items: readonly Item[], combinator: Item): number[] {
  const parentPath = combinator.schemaPath.slice(0, combinator.schemaPath.lastIndexOf('/'));
  const indexes: number[] = [];
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i];
    const inside = item.instancePath === combinator.instancePath || item.instancePath.startsWith(`${combinator.instancePath}/`);
    const isBranch =
      item.schemaPath.startsWith(`${combinator.schemaPath}/`) ||
      !item.schemaPath.startsWith(`${parentPath}/`) ||
      /^\/(definitions|\$defs)\//.test(item.schemaPath.slice(parentPath.length));
    if (!inside || !isBranch) break;
    indexes.unshift(i);
  }
  return indexes;
}

/**
 * Collapse what ajv says about a failed anyOf/oneOf into what a person needs. When no branch
 * accepted the value's shape ("must be string", "must be array"), that is one problem listing the
 * forms; otherwise only the errors of the branches that got past the shape check are kept.
 */
function collapseCombinators(items: readonly Item[], basePath: string): Item[] {
  // Built by appending, not by splicing in place: a config with 100,000 bad entries stays linear.
  const out: Item[] = [];
  for (const item of items) {
    const error = item.error;
    if (!error || (error.keyword !== 'anyOf' && error.keyword !== 'oneOf') || error.params.passingSchemas) {
      out.push(item);
      continue;
    }
    const indexes = branchIndexes(out, item);
    const branches = indexes.map((i) => out[i]);
    const isShape = (item: Item) => item.forms !== undefined && item.instancePath === error.instancePath;
    const deeper = branches.filter((item) => !isShape(item));
    let replacement: Item[] = deeper;
    const missing = deeper.map((item) => (item.error?.keyword === 'required' && item.instancePath === error.instancePath ? String(item.error.params.missingProperty) : undefined));
    if (deeper.length > 1 && missing.every((key) => key !== undefined)) {
      const keys = [...new Set(missing)].map((key) => `"${key}"`).join(', ');
      const problem = { path: basePath + error.instancePath || '/', message: `must have one of the keys ${keys}` };
      replacement = [{ instancePath: error.instancePath, schemaPath: error.schemaPath, problem }];
    } else if (deeper.length === 0) {
      const forms = [...new Set(branches.flatMap((item) => item.forms ?? []))];
      const path = basePath + error.instancePath;
      const problem = { path, message: `must be ${forms.join(' or ')} (got ${describeValue(error.data, path)})` };
      replacement = [{ instancePath: error.instancePath, schemaPath: error.schemaPath, problem, forms }];
    }
    if (indexes.length > 0) out.length = indexes[0];
    out.push(...replacement);
  }
  return out;
}

/** ajv reports a bad key under `propertyNames` as errors about the name, then one naming the key. */
function collapsePropertyNames(items: readonly Item[], basePath: string): Item[] {
  const out: Item[] = [];
  for (const item of items) {
    const error = item.error;
    if (error?.keyword !== 'propertyNames') {
      out.push(item);
      continue;
    }
    const key = String(error.params.propertyName);
    const reasons: string[] = [];
    while (out.length > 0 && out[out.length - 1].schemaPath.startsWith(`${error.schemaPath}/`)) {
      const inner = out.pop()!.error;
      const reason = inner && describe({ ...inner, instancePath: '', data: key }, '')?.message;
      if (reason) reasons.unshift(reason.replace(/ \(got .*\)$/, ''));
    }
    const problem = { path: joinPointer(basePath + error.instancePath, key), message: `"${key}" is not a valid name${reasons.length ? `: it ${reasons.join('; ')}` : ''}` };
    out.push({ instancePath: error.instancePath, schemaPath: error.schemaPath, problem });
  }
  return out;
}

/**
 * Turn ajv's errors (collected with `allErrors` and `verbose`) into problems a person can act on:
 * one per real mistake, each at the JSON pointer of the value, e.g.
 * `/backends/claude/maxTokens: must be an integer (got "many")`.
 * `basePath` is put in front of every path (where the validated value sits in the config).
 */
export function ajvErrorsToProblems(errors: readonly ErrorObject[] | null | undefined, basePath = ''): ConfigProblem[] {
  if (!errors || errors.length === 0) return [];
  const items = errors
    .filter((e) => e.keyword !== 'if' && !(e.keyword === 'additionalProperties' && FORBIDDEN_KEYS.has(String(e.params.additionalProperty))))
    .map(fromError);
  const problems: ConfigProblem[] = [];
  for (const item of collapseCombinators(collapsePropertyNames(items, basePath), basePath)) {
    const problem = item.problem ?? (item.error && describe(item.error, basePath));
    if (problem) problems.push(problem);
  }
  return dedupe(problems);
}

export function dedupe(problems: readonly ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.path}\u0000${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Every key named `__proto__`, `constructor` or `prototype`, anywhere in `value`. */
export function forbiddenKeyProblems(value: unknown, path = ''): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  // A walk with its own stack, in the order recursion would take: a hostile document nested
  // thousands deep is a problem to report, not a stack overflow (and nothing recursive walks it later).
  const stack: { readonly node: Record<string, unknown>; readonly path: string; readonly keys: string[]; index: number }[] = [];
  const enter = (node: unknown, at: string): void => {
    if (typeof node !== 'object' || node === null) return;
    if (stack.length >= MAX_CONFIG_DEPTH) {
      problems.push({ path: at, message: `is nested more than ${MAX_CONFIG_DEPTH} levels deep; flatten it` });
      return;
    }
    stack.push({ node: node as Record<string, unknown>, path: at, keys: Object.keys(node), index: 0 });
  };
  enter(value, path);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    if (frame.index >= frame.keys.length) {
      stack.pop();
      continue;
    }
    const key = frame.keys[frame.index++];
    const childPath = joinPointer(frame.path, key);
    if (FORBIDDEN_KEYS.has(key)) problems.push({ path: childPath, message: `the key "${key}" is not allowed (it could change object prototypes); remove it` });
    else enter(frame.node[key], childPath);
  }
  return problems;
}

/** `  /backends/claude/model: unknown key…` lines, one per problem. */
export function formatProblems(problems: readonly ConfigProblem[], indent = '  '): string {
  return problems.map((problem) => `${indent}${problem.path || '/'}: ${problem.message}`).join('\n');
}
