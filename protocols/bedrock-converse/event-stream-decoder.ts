import type { EventStreamCodec } from '@smithy/eventstream-codec';
import { InvalidResponseError } from '../../core/errors.js';
import type { EventStreamMessage } from './bedrock-converse-api.js';

const PRELUDE_BYTES = 12;
/** Prelude plus the message CRC: the smallest frame there is. */
const MIN_FRAME_BYTES = 16;
/** AWS caps an event-stream message at 16 MiB (and its headers at 128 KiB): a larger length is a corrupt prelude. */
const MAX_FRAME_BYTES = 16 * 1024 * 1024;
const MAX_HEADER_BYTES = 128 * 1024;

const textDecoder = new TextDecoder();
const textEncoder = new TextEncoder();
let codec: EventStreamCodec | undefined;
let crc32: ((data: Uint8Array) => number) | undefined;

/**
 * Loads the AWS codec (and node:zlib's CRC32) once, before the first stream is decoded: they are
 * imported on a backend's first stream, not when the provider module loads, so a process that only
 * creates a bedrock backend (`hyperagent models`, a gateway that may serve `bedrock/…` names) pays nothing.
 */
export async function loadEventStreamCodec(): Promise<void> {
  if (codec !== undefined) return;
  const [{ EventStreamCodec: Codec }, zlib] = await Promise.all([import('@smithy/eventstream-codec'), import('node:zlib')]);
  crc32 = zlib.crc32;
  codec = new Codec((bytes) => textDecoder.decode(bytes), (text) => textEncoder.encode(text));
}

/**
 * AWS binary event-stream framing (`application/vnd.amazon.eventstream`) → messages, fed any split
 * of the byte stream. Each frame is a 12-byte prelude (total length, headers length, prelude CRC32),
 * headers, payload and a message CRC32, big-endian. The prelude CRC is checked as soon as its 12
 * bytes are in, so a corrupt length never makes us wait for bytes that will not come; the whole
 * frame (both CRCs again, and the headers) is decoded by `@smithy/eventstream-codec`, the AWS SDK's
 * own codec. Synchronous: bytes in, messages appended to `out`, nothing awaited.
 */
export class EventStreamDecoder {
  private readonly prelude = new Uint8Array(PRELUDE_BYTES);
  private preludeFill = 0;
  private frame: Uint8Array | undefined;
  private frameFill = 0;

  /** Call `loadEventStreamCodec()` first (once per process). */
  constructor(private readonly provider: string) {
    if (codec === undefined) throw new TypeError('EventStreamDecoder: await loadEventStreamCodec() before decoding a stream.');
  }

  /** Bytes of a frame begun but not finished: non-zero at the end of the wire means it was cut. */
  get pendingBytes(): number {
    return this.frame === undefined ? this.preludeFill : this.frameFill;
  }

  /** Decode what `chunk` completes. Throws InvalidResponseError for a bad checksum, length or header. */
  push(chunk: Uint8Array, out: EventStreamMessage[]): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.frame === undefined) {
        // Most frames arrive whole inside one chunk: decode them in place, without copying.
        if (this.preludeFill === 0 && chunk.length - at >= PRELUDE_BYTES) {
          const total = this.checkPrelude(chunk.subarray(at, at + PRELUDE_BYTES));
          if (chunk.length - at >= total) {
            out.push(this.decode(chunk.subarray(at, at + total)));
            at += total;
            continue;
          }
        }
        const take = Math.min(PRELUDE_BYTES - this.preludeFill, chunk.length - at);
        this.prelude.set(chunk.subarray(at, at + take), this.preludeFill);
        this.preludeFill += take;
        at += take;
        if (this.preludeFill < PRELUDE_BYTES) return;
        const total = this.checkPrelude(this.prelude);
        this.frame = new Uint8Array(total);
        this.frame.set(this.prelude);
        this.frameFill = PRELUDE_BYTES;
        this.preludeFill = 0;
        continue;
      }
      const take = Math.min(this.frame.length - this.frameFill, chunk.length - at);
      this.frame.set(chunk.subarray(at, at + take), this.frameFill);
      this.frameFill += take;
      at += take;
      if (this.frameFill === this.frame.length) {
        const frame = this.frame;
        this.frame = undefined;
        this.frameFill = 0;
        out.push(this.decode(frame));
      }
    }
  }

  /** The frame's total length, once its prelude checks out. */
  private checkPrelude(prelude: Uint8Array): number {
    const view = new DataView(prelude.buffer, prelude.byteOffset, PRELUDE_BYTES);
    const total = view.getUint32(0);
    const headers = view.getUint32(4);
    const expected = view.getUint32(8);
    const actual = crc32!(prelude.subarray(0, 8));
    if (actual !== expected) {
      throw this.corrupt(`an event-stream frame whose prelude checksum does not match (CRC32 ${hex(actual)}, frame says ${hex(expected)})`);
    }
    if (total < MIN_FRAME_BYTES || total > MAX_FRAME_BYTES || headers > MAX_HEADER_BYTES || headers > total - MIN_FRAME_BYTES) {
      throw this.corrupt(`an event-stream frame with impossible lengths (${total} bytes, ${headers} of headers)`);
    }
    return total;
  }

  private decode(frame: Uint8Array): EventStreamMessage {
    let decoded: ReturnType<EventStreamCodec['decode']>;
    try {
      decoded = codec!.decode(frame);
    } catch (error) {
      const why = error instanceof Error && /checksum/i.test(error.message) ? 'whose message checksum does not match' : 'that does not decode';
      throw this.corrupt(`an event-stream frame ${why} (${error instanceof Error ? error.message : String(error)})`, error);
    }
    const headers: Record<string, string | undefined> = {};
    for (const [name, header] of Object.entries(decoded.headers)) headers[name] = typeof header.value === 'string' ? header.value : String(header.value);
    return { headers, body: decoded.body };
  }

  private corrupt(what: string, cause?: unknown): InvalidResponseError {
    // A frame damaged in transit: the same request, sent again, comes back whole.
    return new InvalidResponseError(`${this.provider} sent ${what}: the stream was corrupted on the way. Retry the request.`, {
      provider: this.provider,
      retryable: true,
      cause,
    });
  }
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}
