// An independent SigV4 check for the loopback server: rebuilds the canonical request from what
// arrived on the wire and recomputes the signature with node:crypto. It shares no code with
// plugins/bedrock/bedrock-signer.ts (which uses @smithy/signature-v4), and is itself held to
// AWS's published vectors in bedrock-sigv4.test.ts.
import { createHash, createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface ArrivedRequest {
  readonly method: string;
  /** As sent: path and query, URI-encoded once. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders | Readonly<Record<string, string>>;
  readonly rawBody: string;
}

export interface Verdict {
  readonly ok: boolean;
  readonly expected: string;
  readonly received: string;
  readonly signedHeaders: readonly string[];
  readonly region: string;
  readonly service: string;
  readonly accessKeyId: string;
}

const sha256 = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();
// RFC 3986 unreserved characters stay; everything else is %XX (encodeURIComponent leaves !'()* alone).
const rfc3986 = (text: string): string => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function value(headers: ArrivedRequest['headers'], name: string): string {
  const raw = (headers as Record<string, string | string[] | undefined>)[name];
  return (Array.isArray(raw) ? raw.join(',') : (raw ?? '')).trim().replace(/\s+/g, ' ');
}

/** The signature AWS would compute for this request with `secretAccessKey`. */
export function verifySigV4(request: ArrivedRequest, secretAccessKey: string): Verdict {
  const authorization = value(request.headers, 'authorization');
  const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(authorization);
  if (!match) throw new Error(`not a SigV4 authorization header: ${authorization}`);
  const [, accessKeyId, day, region, service, signedList, received] = match;
  const signedHeaders = signedList.split(';');
  const [rawPath, rawQuery = ''] = request.path.split('?');
  // Every service but S3 signs the path with each segment URI-encoded again.
  const canonicalPath = rawPath.split('/').map(rfc3986).join('/') || '/';
  const canonicalQuery = rawQuery
    .split('&')
    .filter(Boolean)
    .map((pair) => pair.split('=').map((part) => rfc3986(decodeURIComponent(part ?? ''))) as [string, string?])
    .map(([key, val = '']) => `${key}=${val}`)
    .sort()
    .join('&');
  const canonicalHeaders = signedHeaders.map((name) => `${name}:${value(request.headers, name)}\n`).join('');
  const payloadHash = value(request.headers, 'x-amz-content-sha256') || sha256(request.rawBody);
  const canonicalRequest = [request.method, canonicalPath, canonicalQuery, canonicalHeaders, signedList, payloadHash].join('\n');
  const amzDate = value(request.headers, 'x-amz-date');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, day), region), service), 'aws4_request');
  const expected = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  const bodyMatches = value(request.headers, 'x-amz-content-sha256') === '' || value(request.headers, 'x-amz-content-sha256') === sha256(request.rawBody);
  return { ok: expected === received && bodyMatches, expected, received, signedHeaders, region, service, accessKeyId };
}
