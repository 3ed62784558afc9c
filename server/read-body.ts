import type { IncomingMessage } from 'node:http';
import { GatewayError, invalidRequest } from './errors.js';

function tooLarge(limit: number): GatewayError {
  return new GatewayError(413, 'invalid_request_error', `The request body is larger than this gateway accepts (${limit} bytes). Send a smaller request.`, {
    code: 'request_too_large',
    // The rest of the body is never read, so the connection cannot be reused.
    headers: { connection: 'close' },
  });
}

/**
 * Reads the body up to `limit` bytes. A declared `content-length` over the limit is refused before
 * a byte is read; a chunked body is refused the moment it passes the limit, and the rest is never
 * read (the 413 closes the connection).
 */
export function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('aborted', onAborted);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        request.pause();
        chunks.length = 0;
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const onAborted = (): void => {
      cleanup();
      reject(new GatewayError(400, 'invalid_request_error', 'The client closed the connection before sending the whole body.', { code: 'incomplete_body' }));
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    request.on('aborted', onAborted);
  });
}

/** Reads and parses a JSON body; an empty or malformed one is a 400 that says so. */
export async function readJsonBody(request: IncomingMessage, limit: number): Promise<unknown> {
  const body = await readBody(request, limit);
  const text = body.toString('utf8');
  if (text.trim() === '') throw invalidRequest('The request has no body. Send a JSON object with "Content-Type: application/json".', null, 'invalid_json');
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = error instanceof SyntaxError ? ` (${error.message})` : '';
    throw invalidRequest(`We could not parse the JSON body of your request${detail}. Send a valid JSON object.`, null, 'invalid_json');
  }
}
