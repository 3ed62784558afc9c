// Helpers for the Bedrock tests: the recorded ConverseStream bodies, and event-stream frames made
// here with the AWS SDK's own codec (every hand-made frame is labelled so where it is used).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { FIXTURES_DIR } from '../replay-server.js';

const codec = new EventStreamCodec(
  (bytes) => new TextDecoder().decode(bytes),
  (text) => new TextEncoder().encode(text),
);

export const recorded = (name: string): Buffer => readFileSync(join(FIXTURES_DIR, 'bedrock', name));
export const recordedJson = (name: string): Record<string, any> => JSON.parse(recorded(name).toString('utf8'));

function stringHeaders(headers: Record<string, string>): Parameters<EventStreamCodec['encode']>[0]['headers'] {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, { type: 'string' as const, value }]));
}

/** A frame of `:message-type` event. */
export function eventFrame(eventType: string, payload: unknown): Uint8Array {
  return codec.encode({
    headers: stringHeaders({ ':event-type': eventType, ':content-type': 'application/json', ':message-type': 'event' }),
    body: new TextEncoder().encode(JSON.stringify(payload)),
  });
}

/** A frame of `:message-type` exception, as ConverseStream sends a mid-stream failure. */
export function exceptionFrame(exceptionType: string, message: string): Uint8Array {
  return codec.encode({
    headers: stringHeaders({ ':exception-type': exceptionType, ':content-type': 'application/json', ':message-type': 'exception' }),
    body: new TextEncoder().encode(JSON.stringify({ message })),
  });
}

/** The decoded events of converse-stream-text.events.jsonl (vercel/ai), framed again: a hand-made wire. */
export function framesFromJsonl(name: string): Buffer {
  const lines = recorded(name).toString('utf8').split('\n').filter((line) => line.trim() !== '');
  return Buffer.concat(
    lines.map((line) => {
      const event = JSON.parse(line) as Record<string, unknown>;
      const [type, payload] = Object.entries(event)[0];
      return eventFrame(type, payload);
    }),
  );
}

/** Byte offsets where each frame starts, read from the frames' length prefixes. */
export function frameStarts(bytes: Uint8Array): number[] {
  const starts: number[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 0; at < bytes.length; at += view.getUint32(at)) starts.push(at);
  return starts;
}
