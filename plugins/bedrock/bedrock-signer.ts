import type { Hash, Hmac } from 'node:crypto';
import type { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentials } from './bedrock-credentials.js';

/** What SigV4 signs: the request as it goes on the wire. */
export interface SignableRequest {
  readonly method: 'GET' | 'POST';
  readonly url: URL;
  /** Header names in lower case. `host` is added from the URL. */
  readonly headers: Readonly<Record<string, string>>;
  /** The exact body bytes that will be sent. */
  readonly body?: string;
}

export interface SignOptions {
  readonly credentials: AwsCredentials;
  readonly region: string;
  /** The signing name. @default 'bedrock' */
  readonly service?: string;
  /** @default now */
  readonly date?: Date;
  /** Send `x-amz-content-sha256` (signed). The AWS SDK does for Bedrock; the published test vectors do not. @default true */
  readonly contentSha256?: boolean;
}

let Signer: typeof SignatureV4 | undefined;
let crypto: typeof import('node:crypto') | undefined;

/**
 * node:crypto's SHA-256 in the shape `@smithy/signature-v4` takes (`new (secret?)`, `update`,
 * `digest()`): native hashing, where `@aws-crypto/sha256-js` would hash in JavaScript and add a package.
 */
class NodeSha256 {
  private readonly hash: Hash | Hmac;

  constructor(secret?: string | Uint8Array | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? crypto!.createHash('sha256') : crypto!.createHmac('sha256', toBytes(secret));
  }

  update(data: string | Uint8Array | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBytes(data));
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

function toBytes(data: string | Uint8Array | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof data === 'string' || data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * The request's headers plus `authorization`, `x-amz-date` (and `x-amz-security-token`,
 * `x-amz-content-sha256`), signed with AWS Signature Version 4 by `@smithy/signature-v4`. The
 * path is signed as it is sent, URI-escaped once more in the canonical request, as every AWS
 * service but S3 expects.
 */
export async function signRequest(request: SignableRequest, options: SignOptions): Promise<Record<string, string>> {
  // Imported on the first signed request, not with the provider module (see loadEventStreamCodec).
  crypto ??= await import('node:crypto');
  Signer ??= (await import('@smithy/signature-v4')).SignatureV4;
  const signer = new Signer({
    credentials: options.credentials,
    region: options.region,
    service: options.service ?? 'bedrock',
    sha256: NodeSha256,
    uriEscapePath: true,
    applyChecksum: options.contentSha256 ?? true,
  });
  const { url } = request;
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of url.searchParams) {
    const existing = query[key];
    query[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port === '' ? undefined : Number(url.port),
      path: url.pathname,
      query,
      headers: { ...request.headers, host: url.host },
      body: request.body,
    },
    { signingDate: options.date ?? new Date() },
  );
  return signed.headers as Record<string, string>;
}
