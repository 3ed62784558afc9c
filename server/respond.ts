import type { ServerResponse } from 'node:http';
import { STATUS_CLIENT_CLOSED_REQUEST, toErrorResponse } from './errors.js';

export type HeaderValues = Readonly<Record<string, string>>;

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: HeaderValues = {}): void {
  if (response.headersSent || response.destroyed) return;
  const text = JSON.stringify(body);
  const message = status === STATUS_CLIENT_CLOSED_REQUEST ? 'Client Closed Request' : undefined;
  const allHeaders = { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), ...headers };
  if (message) response.writeHead(status, message, allHeaders);
  else response.writeHead(status, allHeaders);
  response.end(text);
}

/** Answer with `error` in OpenAI's format; returns the status sent. */
export function sendError(response: ServerResponse, error: unknown): number {
  const mapped = toErrorResponse(error);
  sendJson(response, mapped.status, mapped.body, mapped.headers);
  return mapped.status;
}
