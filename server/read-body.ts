import type { IncomingMessage } from 'node:http';
import { GatewayError, invalidRequest } from './errors.js';

/** How much of a request body is read, and how much of a refused one is read and thrown away. */
export interface BodyLimits {
  /** The largest body kept. */
  readonly maxBytes: number;
  /** The most read, in all, of a body that is refused (too large, or an encoding we do not take). */
  readonly maxDiscardBytes: number;
}

function tooLarge(limit: number): GatewayError {
  return new GatewayError(413, 'invalid_request_error', `The request body is larger than this gateway accepts (${limit} bytes). Send a smaller request, or raise the gateway's maxBodyBytes.`, {
    code: 'request_too_large',
    headers: { connection: 'close' },
  });
}

function unsupportedEncoding(encoding: string): GatewayError {
  const shown = encoding.length > 40 ? `${encoding.slice(0, 40)}…` : encoding;
  return new GatewayError(415, 'invalid_request_error', `The request body is sent with Content-Encoding ${JSON.stringify(shown)}, which this gateway does not decode. Send it uncompressed (no Content-Encoding, or "identity").`, {
    code: 'unsupported_content_encoding',
    headers: { connection: 'close' },
  });
}

function incomplete(): GatewayError {
  return new GatewayError(400, 'invalid_request_error', 'The client closed the connection before sending the whole body.', { code: 'incomplete_body' });
}

function expectsContinue(request: IncomingMessage): boolean {
  return (request.headers.expect ?? '').toLowerCase() === '100-continue';
}

/** What refuses a request from its headers alone: a compressed body, or a declared length over the limit. */
export function refusalBeforeReading(request: IncomingMessage, limits: BodyLimits): GatewayError | undefined {
  const encoding = (request.headers['content-encoding'] ?? '').trim().toLowerCase();
  if (encoding !== '' && encoding !== 'identity') return unsupportedEncoding(encoding);
  const declared = Number(request.headers['content-length']);
  return Number.isFinite(declared) && declared > limits.maxBytes ? tooLarge(limits.maxBytes) : undefined;
}

/**
 * Reads the body, up to `limits.maxBytes`. A body that is refused (over the limit, or compressed)
 * is still read to its end and thrown away, up to `limits.maxDiscardBytes` in all, before the
 * refusal is answered: a server that answers and closes while the client is still sending makes
 * the client's TCP stack see a reset instead of the answer, and OpenAI's SDKs then retry the same
 * body. Past `maxDiscardBytes` (or a declared `content-length` beyond it) the refusal is answered
 * at once and the connection closed. Nothing discarded is kept in memory.
 */
export function readBody(request: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
  const limit = limits.maxBytes;
  const discardLimit = Math.max(limits.maxDiscardBytes, limit);
  const declared = Number(request.headers['content-length']);
  let refusal = refusalBeforeReading(request, limits);
  // A client that sent `Expect: 100-continue` was not told to go on (see the gateway's checkContinue): no body is coming.
  if (refusal && ((Number.isFinite(declared) && declared > discardLimit) || expectsContinue(request))) return Promise.reject(refusal);
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('aborted', onAborted);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (!refusal && size > limit) {
        refusal = tooLarge(limit);
        chunks = [];
      }
      if (!refusal) {
        chunks.push(chunk);
        return;
      }
      if (size > discardLimit) {
        cleanup();
        request.pause();
        reject(refusal);
      }
    };
    const onEnd = (): void => {
      cleanup();
      if (refusal) reject(refusal);
      else resolve(Buffer.concat(chunks, size));
    };
    // Either way the client is gone: nobody reads the answer, and it is not the gateway's failure.
    const onError = (): void => {
      cleanup();
      reject(incomplete());
    };
    const onAborted = onError;
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    request.on('aborted', onAborted);
  });
}

/** Reads and parses a JSON body; an empty or malformed one is a 400 that says so. */
export async function readJsonBody(request: IncomingMessage, limits: BodyLimits): Promise<unknown> {
  const body = await readBody(request, limits);
  const text = body.toString('utf8');
  if (text.trim() === '') throw invalidRequest('The request has no body. Send a JSON object with "Content-Type: application/json".', null, 'invalid_json');
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = error instanceof SyntaxError ? ` (${error.message.slice(0, 200)})` : '';
    throw invalidRequest(`We could not parse the JSON body of your request${detail}. Send a valid JSON object.`, null, 'invalid_json');
  }
}
