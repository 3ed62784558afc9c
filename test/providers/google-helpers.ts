// Shared by the google and vertex provider tests: fixture readers and stream collectors.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InferenceStream, StreamEvent } from '../../core/types.js';
import { FIXTURES_DIR } from '../replay-server.js';

export const fixtureText = (name: string): string => readFileSync(join(FIXTURES_DIR, name), 'utf8');
export const fixtureJson = (name: string): Record<string, any> => JSON.parse(fixtureText(name));

/** The JSON objects of a recorded Gemini SSE body (CRLF-framed `data:` lines). */
export function sseChunks(name: string): Record<string, any>[] {
  return fixtureText(name)
    .split(/\r?\n\r?\n/)
    .filter((block) => block.trim() !== '')
    .map((block) => JSON.parse(block.replace(/^data: /, '')));
}

/** Every part of every candidate of a recorded stream, in order. */
export function sseParts(name: string): Record<string, any>[] {
  return sseChunks(name).flatMap((chunk) => chunk.candidates?.[0]?.content?.parts ?? []);
}

export async function collect(stream: InferenceStream): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

export const perMillion = (tokens: number, usd: number): number => (tokens * usd) / 1_000_000;

/** Byte-split sizes every stream fixture is replayed at: every write 1 to 7 bytes. */
export const SPLITS = [1, 2, 3, 4, 5, 6, 7] as const;
