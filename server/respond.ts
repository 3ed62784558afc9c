import type { ServerResponse } from 'node:http';
import { STATUS_CLIENT_CLOSED_REQUEST, toErrorResponse } from './errors.js';
import { safeHeaders } from './header-value.js';

export type HeaderValues = Readonly<Record<string, string>>;

/** Told when an answer could not be written; it is logged, never thrown (the caller may have paid for it). */
export type WriteFailure = (error: unknown) => void;

/**
 * JSON text of `body`; a value JSON.stringify refuses (a BigInt, a cycle) is written as a string or
 * left out rather than failing an answer that was already paid for.
 */
export function toJsonText(body: unknown): string {
  try {
    return JSON.stringify(body) ?? 'null';
  } catch {
    const ancestors: object[] = [];
    return (
      JSON.stringify(body, function (this: unknown, _key, value: unknown) {
        if (typeof value === 'bigint') return value.toString();
        if (typeof value !== 'object' || value === null) return value;
        while (ancestors.length > 0 && ancestors[ancestors.length - 1] !== this) ancestors.pop();
        if (ancestors.includes(value)) return undefined;
        ancestors.push(value);
        return value;
      }) ?? 'null'
    );
  }
}

/**
 * Writes a whole JSON answer. Never throws: header values are made writable (see
 * `safeHeaders`), and a write that fails anyway (the socket went away) goes to `onFailure`.
 * Returns false when nothing was written.
 */
export function sendJson(response: ServerResponse, status: number, body: unknown, headers: HeaderValues = {}, onFailure?: WriteFailure): boolean {
  if (response.headersSent || response.destroyed) return false;
  try {
    const text = toJsonText(body);
    const message = status === STATUS_CLIENT_CLOSED_REQUEST ? 'Client Closed Request' : undefined;
    const allHeaders = { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), ...safeHeaders(headers) };
    if (message) response.writeHead(status, message, allHeaders);
    else response.writeHead(status, allHeaders);
    response.end(text);
    return true;
  } catch (error) {
    onFailure?.(error);
    if (!response.headersSent) response.destroy();
    return false;
  }
}

/** Answer with `error` in OpenAI's format; returns the status sent. */
export function sendError(response: ServerResponse, error: unknown, onFailure?: WriteFailure): number {
  const mapped = toErrorResponse(error);
  sendJson(response, mapped.status, mapped.body, mapped.headers, onFailure);
  return mapped.status;
}
