import { InvalidRequestError } from '../../core/errors.js';

// Readers for an untrusted Responses request body that name the offending field (OpenAI's `param`).

export type JsonObject = Record<string, unknown>;

/** Makes the error a malformed field raises; the gateway passes one that answers in its own shape. */
export type InvalidField = (message: string, param: string | null) => Error;

export const invalidFieldError: InvalidField = (message, param) => new InvalidRequestError(message, { body: { problems: [{ path: param ?? '', message }] } });

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return `${typeof value} ${text.length > 40 ? `${text.slice(0, 40)}…` : text}`;
}

export function join(prefix: string, key: string | number): string {
  if (typeof key === 'number') return `${prefix}[${key}]`;
  return prefix ? `${prefix}.${key}` : key;
}

/** Field readers bound to one error factory. */
export class FieldReader {
  constructor(readonly invalid: InvalidField) {}

  object(value: unknown, param: string, what = 'a JSON object'): JsonObject {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as JsonObject;
    if (value === undefined && param) throw this.invalid(`${param} is required: send ${what}.`, param);
    throw this.invalid(`${param || 'The request body'} must be ${what}, received ${describeValue(value)}.`, param || null);
  }

  array(value: unknown, param: string, what = 'an array'): readonly unknown[] {
    if (Array.isArray(value)) return value;
    if (value === undefined) throw this.invalid(`${param} is required: send ${what}.`, param);
    throw this.invalid(`${param} must be ${what}, received ${describeValue(value)}.`, param);
  }

  string(object: JsonObject, key: string, prefix = ''): string {
    const value = this.optionalString(object, key, prefix);
    if (value === undefined) throw this.invalid(`${join(prefix, key)} is required: send a string.`, join(prefix, key));
    return value;
  }

  optionalString(object: JsonObject, key: string, prefix = ''): string | undefined {
    const value = object[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw this.invalid(`${join(prefix, key)} must be a string, received ${describeValue(value)}.`, join(prefix, key));
    return value;
  }

  optionalBoolean(object: JsonObject, key: string, prefix = ''): boolean | undefined {
    const value = object[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') throw this.invalid(`${join(prefix, key)} must be true or false, received ${describeValue(value)}.`, join(prefix, key));
    return value;
  }

  optionalNumber(object: JsonObject, key: string, range: { min?: number; max?: number; integer?: boolean } = {}, prefix = ''): number | undefined {
    const value = object[key];
    if (value === undefined || value === null) return undefined;
    const ok =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      (!range.integer || Number.isInteger(value)) &&
      (range.min === undefined || value >= range.min) &&
      (range.max === undefined || value <= range.max);
    if (ok) return value;
    const bounds = [range.min === undefined ? '' : ` >= ${range.min}`, range.max === undefined ? '' : ` <= ${range.max}`].filter(Boolean).join(' and');
    throw this.invalid(`${join(prefix, key)} must be ${range.integer ? 'an integer' : 'a number'}${bounds}, received ${describeValue(value)}.`, join(prefix, key));
  }
}
