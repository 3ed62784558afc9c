import { invalidRequest } from './errors.js';

// Readers for untrusted JSON that name the offending field (OpenAI's `param`) when a value is wrong.

export type JsonObject = Record<string, unknown>;

/** What a client sent, for messages: never throws, whatever the value (a missing field is `undefined`). */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return `${typeof value} ${text.length > 40 ? `${text.slice(0, 40)}…` : text}`;
}

/** `what` is the expected shape in words, for the message: "a JSON object with name and parameters". */
export function asObject(value: unknown, param: string, what = 'a JSON object'): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    if (value === undefined && param) throw invalidRequest(`${param} is required: send ${what}.`, param);
    throw invalidRequest(`${param || 'The request body'} must be ${what}, received ${describeValue(value)}.`, param || null);
  }
  return value as JsonObject;
}

export function asArray(value: unknown, param: string, what = 'an array'): readonly unknown[] {
  if (value === undefined) throw invalidRequest(`${param} is required: send ${what}.`, param);
  if (!Array.isArray(value)) throw invalidRequest(`${param} must be ${what}, received ${describeValue(value)}.`, param);
  return value;
}

export function join(prefix: string, key: string | number): string {
  if (typeof key === 'number') return `${prefix}[${key}]`;
  return prefix ? `${prefix}.${key}` : key;
}

export function requiredString(object: JsonObject, key: string, prefix = ''): string {
  const value = object[key];
  const param = join(prefix, key);
  if (value === undefined || value === null) throw invalidRequest(`${param} is required: send a string.`, param);
  if (typeof value !== 'string') throw invalidRequest(`${param} must be a string, received ${describeValue(value)}.`, param);
  return value;
}

export function optionalString(object: JsonObject, key: string, prefix = ''): string | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  const param = join(prefix, key);
  if (typeof value !== 'string') throw invalidRequest(`${param} must be a string, received ${describeValue(value)}.`, param);
  return value;
}

export function optionalBoolean(object: JsonObject, key: string, prefix = ''): boolean | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  const param = join(prefix, key);
  if (typeof value !== 'boolean') throw invalidRequest(`${param} must be true or false, received ${describeValue(value)}.`, param);
  return value;
}

export interface NumberRange {
  readonly min?: number;
  readonly max?: number;
  readonly integer?: boolean;
}

export function optionalNumber(object: JsonObject, key: string, range: NumberRange = {}, prefix = ''): number | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  const param = join(prefix, key);
  const kind = range.integer ? 'an integer' : 'a number';
  const bounds = [range.min === undefined ? '' : ` >= ${range.min}`, range.max === undefined ? '' : ` <= ${range.max}`].filter(Boolean).join(' and');
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!range.integer || Number.isInteger(value)) &&
    (range.min === undefined || value >= range.min) &&
    (range.max === undefined || value <= range.max);
  if (!ok) throw invalidRequest(`${param} must be ${kind}${bounds}, received ${describeValue(value)}.`, param);
  return value as number;
}
