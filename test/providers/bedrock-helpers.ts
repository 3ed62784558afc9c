// A Bedrock backend pointed at a loopback replay server, and what every test checks on each request
// it sent: the SigV4 signature recomputed on the server side from the bytes that arrived.
import { expect } from 'vitest';
import type { InferenceStream, StreamEvent } from '../../core/types.js';
import { BedrockProvider, type BedrockProviderSettings } from '../../plugins/bedrock/index.js';
import type { RecordedRequest, ReplayServer } from '../replay-server.js';
import { verifySigV4 } from './bedrock-sigv4-verify.js';

export const TEST_CREDENTIALS = Object.freeze({
  accessKeyId: 'AKIAHYPERAGENTTEST01',
  secretAccessKey: 'hyperagent-test-aws-secret-key-5d8e2f7a9b',
  sessionToken: 'hyperagent-test-aws-session-token-1c4b7e0d3f6a',
});

export const NOVA = 'us.amazon.nova-2-lite-v1:0';
export const HAIKU = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';

/** The path a call to `model` goes to: the model id URI-encoded once (`:` → `%3A`). */
export const pathFor = (model: string, action: string): string => `/model/${encodeURIComponent(model)}/${action}`;

export function bedrockFor(server: ReplayServer, settings: BedrockProviderSettings = {}): BedrockProvider {
  return new BedrockProvider({ ...TEST_CREDENTIALS, region: 'us-east-1', baseURL: server.baseURL, model: NOVA, env: {}, ...settings });
}

/** The request's signature, recomputed from what arrived, is the one it carries; scope and headers as Bedrock wants them. */
export function expectSigned(request: RecordedRequest): void {
  const verdict = verifySigV4(request, TEST_CREDENTIALS.secretAccessKey);
  expect(verdict.received).toBe(verdict.expected);
  expect(verdict).toMatchObject({ ok: true, accessKeyId: TEST_CREDENTIALS.accessKeyId, region: 'us-east-1', service: 'bedrock' });
  expect(verdict.signedHeaders).toEqual(expect.arrayContaining(['host', 'x-amz-date', 'x-amz-content-sha256', 'x-amz-security-token', 'content-type']));
  expect(request.headers['x-amz-security-token']).toBe(TEST_CREDENTIALS.sessionToken);
}

export async function collect(stream: InferenceStream): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}
