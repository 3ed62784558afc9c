import type { LLMBackend } from './types.js';

/** What every backend has (core/types.ts `LLMBackend`): methods, then the string fields. */
const METHODS = ['infer', 'inferStream', 'embed', 'modelInfo', 'supportsFunctionCalling', 'supportsStreaming'] as const satisfies readonly (keyof LLMBackend)[];
const STRINGS = ['provider'] as const satisfies readonly (keyof LLMBackend)[];

/**
 * What `candidate` lacks to be an LLMBackend, in words: `["embed() (a method)", "provider (a string)"]`.
 * Empty when it has every member. Methods may come from a class's prototype.
 */
export function missingBackendMembers(candidate: unknown): string[] {
  if (typeof candidate !== 'object' || candidate === null) return [`everything: create() returned ${candidate === null ? 'null' : typeof candidate}, not an object`];
  const record = candidate as Record<string, unknown>;
  return [
    ...METHODS.filter((name) => typeof record[name] !== 'function').map((name) => `${name}() (a method)`),
    ...STRINGS.filter((name) => typeof record[name] !== 'string').map((name) => `${name} (a string)`),
  ];
}
