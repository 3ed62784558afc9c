import type { GooglePartialArg } from './google-api.js';

type Key = string | number;

/**
 * Rebuilds a function call's arguments from Vertex's streamed `partialArgs` (google-vertex/
 * stream-partial-args-will-continue.sse): each piece names a JSON path (`$.location`,
 * `$.items[0].name`) and a value; a string arrives in several pieces on the same path, appended
 * until one comes without `willContinue`.
 */
export class PartialArgsBuilder {
  private readonly root: Record<string, unknown> = {};

  add(pieces: readonly GooglePartialArg[] | undefined): void {
    for (const piece of pieces ?? []) {
      const path = parseJsonPath(piece.jsonPath);
      if (path === undefined || path.length === 0) continue;
      if (typeof piece.stringValue === 'string') {
        const current = this.get(path);
        this.set(path, typeof current === 'string' ? current + piece.stringValue : piece.stringValue);
      } else if (typeof piece.numberValue === 'number') this.set(path, piece.numberValue);
      else if (typeof piece.boolValue === 'boolean') this.set(path, piece.boolValue);
      else if ('nullValue' in piece) this.set(path, null);
    }
  }

  /** The arguments so far. */
  get value(): Record<string, unknown> {
    return this.root;
  }

  private get(path: readonly Key[]): unknown {
    let node: unknown = this.root;
    for (const key of path) {
      if (typeof node !== 'object' || node === null) return undefined;
      node = (node as Record<Key, unknown>)[key];
    }
    return node;
  }

  private set(path: readonly Key[], value: unknown): void {
    let node = this.root as Record<Key, unknown>;
    for (let i = 0; i < path.length - 1; i += 1) {
      const key = path[i];
      let next = Object.hasOwn(node, key) ? node[key] : undefined;
      if (typeof next !== 'object' || next === null) {
        next = typeof path[i + 1] === 'number' ? [] : {};
        define(node, key, next);
      }
      node = next as Record<Key, unknown>;
    }
    define(node, path[path.length - 1], value);
  }
}

/** Own data properties only: a path segment `__proto__` must stay a plain key. */
function define(node: Record<Key, unknown>, key: Key, value: unknown): void {
  Object.defineProperty(node, key, { value, writable: true, enumerable: true, configurable: true });
}

/** `$.a.b[0]["c d"]` → `['a', 'b', 0, 'c d']`; `undefined` when it is not such a path. */
export function parseJsonPath(path: string | undefined): Key[] | undefined {
  if (typeof path !== 'string' || !path.startsWith('$')) return undefined;
  const keys: Key[] = [];
  let at = 1;
  while (at < path.length) {
    const char = path[at];
    if (char === '.') {
      let end = at + 1;
      while (end < path.length && path[end] !== '.' && path[end] !== '[') end += 1;
      if (end === at + 1) return undefined;
      keys.push(path.slice(at + 1, end));
      at = end;
    } else if (char === '[') {
      const close = path.indexOf(']', at);
      if (close < 0) return undefined;
      const inner = path.slice(at + 1, close);
      const quoted = /^(['"])(.*)\1$/s.exec(inner);
      if (quoted) keys.push(quoted[2]);
      else if (/^\d+$/.test(inner)) keys.push(Number(inner));
      else return undefined;
      at = close + 1;
    } else return undefined;
  }
  return keys;
}
