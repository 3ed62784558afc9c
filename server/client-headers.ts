import type { IncomingHttpHeaders } from 'node:http';

/**
 * Never handed to a backend: the gateway's own credentials (a client's key for the gateway must
 * not reach an upstream) and what belongs to this one connection, not to the upstream request.
 */
const WITHHELD = new Set([
  'authorization',
  'x-api-key',
  'api-key',
  'x-goog-api-key',
  'cookie',
  'proxy-authorization',
  'host',
  'content-length',
  'connection',
  'transfer-encoding',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'proxy-connection',
]);

/**
 * The client's request headers for `InferOptions.clientHeaders`: names lowercased (Node already
 * does), string values only (Node joins repeated headers; `set-cookie`, an array, is left out),
 * credentials and hop-by-hop headers removed. A backend sends
 * only those its `forwardHeaders` setting names. Undefined when nothing is left.
 */
export function clientHeaders(headers: IncomingHttpHeaders): Readonly<Record<string, string>> | undefined {
  let out: Record<string, string> | undefined;
  for (const name in headers) {
    const value = headers[name];
    if (typeof value !== 'string') continue;
    const lower = name.toLowerCase();
    // A header named "__proto__" would set the object's prototype, not a field.
    if (WITHHELD.has(lower) || lower === '__proto__') continue;
    (out ??= {})[lower] = value;
  }
  return out && Object.freeze(out);
}
