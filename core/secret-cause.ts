import { REDACTED, redactSecrets } from './redact.js';

const MAX_DEPTH = 8;

/**
 * A value to keep as an error's `cause` or `body` with no secret in it. A value without one is
 * kept as it is (the same object); one with a secret is copied with its strings redacted: an Error
 * keeps its prototype (so `instanceof` and `name` hold), message, stack, own fields and its own
 * cause chain, each redacted the same way. Only plain objects, arrays and errors are looked into:
 * anything else (a socket, a buffer) is kept as it is.
 */
export function redactCause(value: unknown): unknown {
  return holdsSecret(value, 0, new Set()) ? copyRedacted(value, 0, new Map()) : value;
}

function isWalked(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value) || value instanceof Error) return true;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Own keys, plus an Error's `message`, `stack` and `cause` where a subclass made them getters. */
function keysOf(value: object): (string | symbol)[] {
  const names: (string | symbol)[] = Reflect.ownKeys(value);
  if (value instanceof Error) for (const name of ['message', 'stack', 'cause']) if (!names.includes(name) && name in value) names.push(name);
  return names;
}

function holdsSecret(value: unknown, depth: number, seen: Set<object>): boolean {
  if (typeof value === 'string') return redactSecrets(value) !== value;
  if (!isWalked(value) || depth >= MAX_DEPTH || seen.has(value)) return false;
  seen.add(value);
  for (const name of keysOf(value)) {
    if (typeof name === 'string' && redactSecrets(name) !== name) return true;
    if (holdsSecret(readSafely(value, name), depth + 1, seen)) return true;
  }
  return false;
}

function copyRedacted(value: unknown, depth: number, copies: Map<object, unknown>): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (!isWalked(value)) return value;
  if (depth >= MAX_DEPTH) return REDACTED;
  const known = copies.get(value);
  if (known !== undefined) return known;
  if (Array.isArray(value)) {
    const array: unknown[] = [];
    copies.set(value, array);
    for (const item of value) array.push(copyRedacted(item, depth + 1, copies));
    return array;
  }
  const copy = Object.create(Object.getPrototypeOf(value) as object | null) as Record<string | symbol, unknown>;
  copies.set(value, copy);
  for (const name of keysOf(value)) {
    const enumerable = Object.getOwnPropertyDescriptor(value, name)?.enumerable ?? false;
    Object.defineProperty(copy, typeof name === 'string' ? redactSecrets(name) : name, {
      value: copyRedacted(readSafely(value, name), depth + 1, copies),
      enumerable,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}

function readSafely(value: object, name: string | symbol): unknown {
  try {
    return (value as Record<string | symbol, unknown>)[name];
  } catch {
    return undefined;
  }
}
