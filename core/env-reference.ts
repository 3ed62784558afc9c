import { ConfigError } from './errors.js';
import type { Env } from './env.js';

/** `${name}` or `${name:-fallback}`, where the fallback may hold references of its own. */
export interface EnvReference {
  readonly name: string;
  readonly fallback: readonly EnvPart[] | undefined;
}

export type EnvPart = string | EnvReference;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NAME_CHAR = /[A-Za-z0-9_]/;

/**
 * A variable of the environment itself: `env.constructor`, `env.toString` and `env.__proto__`
 * come from `Object.prototype`, not from the environment, so they are unset.
 */
export function readEnv(env: Env, name: string): string | undefined {
  if (!Object.hasOwn(env, name)) return undefined;
  const value = env[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Split `text` into literal text and references: `${NAME}`, `${NAME:-default}` with a default
 * that may be text, references (`${X:-${Y:-none}}`) or braces (`${X:-{"a":1}}`), and `$${…}`,
 * which stays literal as `${…}`. A reference that is not closed or whose name is not a name is a
 * ConfigError naming it and `path`.
 */
export function parseEnvReferences(text: string, path: string): EnvPart[] {
  return new Parser(text, path).parts(0, undefined).parts;
}

/** The value of `parts`: a set and non-empty variable, else its fallback; `missing` hears each variable used without one. */
export function evaluateEnvParts(parts: readonly EnvPart[], env: Env, missing: (name: string, value: string | undefined) => void): string {
  let out = '';
  for (const part of parts) {
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    const found = readEnv(env, part.name);
    if (found !== undefined && found !== '') out += found;
    else if (part.fallback !== undefined) out += evaluateEnvParts(part.fallback, env, missing);
    else missing(part.name, found);
  }
  return out;
}

class Parser {
  constructor(
    private readonly text: string,
    private readonly path: string,
  ) {}

  /** Parts from `start` to the end, or, in the default of the reference at `opener`, to the `}` that closes it (index `end`). */
  parts(start: number, opener: number | undefined): { parts: EnvPart[]; end: number } {
    const inside = opener !== undefined;
    const { text } = this;
    const parts: EnvPart[] = [];
    let literal = '';
    let depth = 0;
    let index = start;
    while (index < text.length) {
      if (text.startsWith('$${', index)) {
        const close = this.matchingBrace(index + 2);
        // An escape never closed is left as written, as before references were parsed.
        const end = close === -1 ? text.length - 1 : close;
        literal += text.slice(index + 1, end + 1);
        index = end + 1;
        continue;
      }
      if (text.startsWith('${', index)) {
        if (literal !== '') parts.push(literal);
        literal = '';
        const { reference, end } = this.reference(index);
        parts.push(reference);
        index = end;
        continue;
      }
      const char = text[index];
      if (inside && char === '{') depth += 1;
      if (inside && char === '}') {
        if (depth === 0) {
          if (literal !== '') parts.push(literal);
          return { parts, end: index };
        }
        depth -= 1;
      }
      literal += char;
      index += 1;
    }
    if (opener !== undefined) throw this.error(text.slice(opener), 'is never closed: add the missing "}"');
    if (literal !== '') parts.push(literal);
    return { parts, end: index };
  }

  /** The reference starting at `start` (its `${`), and the index after its `}`. */
  private reference(start: number): { reference: EnvReference; end: number } {
    const { text } = this;
    let index = start + 2;
    while (index < text.length && NAME_CHAR.test(text[index])) index += 1;
    const name = text.slice(start + 2, index);
    if (text[index] === '}' && NAME.test(name)) return { reference: { name, fallback: undefined }, end: index + 1 };
    if (text.startsWith(':-', index) && NAME.test(name)) {
      const fallback = this.parts(index + 2, start);
      return { reference: { name, fallback: fallback.parts }, end: fallback.end + 1 };
    }
    const close = this.matchingBrace(start + 1);
    if (close === -1) throw this.error(text.slice(start), 'is never closed: add the missing "}"');
    throw this.error(text.slice(start, close + 1), 'is not a valid environment reference');
  }

  /** The index of the `}` matching the `{` at `open`, or -1. */
  private matchingBrace(open: number): number {
    let depth = 0;
    for (let index = open; index < this.text.length; index += 1) {
      if (this.text[index] === '{') depth += 1;
      else if (this.text[index] === '}' && --depth === 0) return index;
    }
    return -1;
  }

  private error(reference: string, problem: string): ConfigError {
    const help = 'use ${NAME} or ${NAME:-default} (a default may hold references: ${A:-${B}}), and $${ for a literal ${';
    return new ConfigError(`"${reference}" at ${this.path} ${problem}: ${help}.`, [{ path: this.path, message: `"${reference}" ${problem}` }]);
  }
}
