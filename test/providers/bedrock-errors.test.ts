// Bedrock errors (x-amzn-errortype over HTTP, exception frames mid-stream), embeddings through
// InvokeModel, and the provider as a config loads it; real HTTP on 127.0.0.1.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AbortError,
  AuthenticationError,
  ContextLengthError,
  InvalidResponseError,
  ErrorCode,
  InvalidRequestError,
  ModelNotFoundError,
  OverloadedError,
  PermissionError,
  RateLimitError,
  ServerError,
  TimeoutError,
  UnsupportedError,
  type HyperAgentError,
} from '../../core/errors.js';
import { closeAllPools } from '../../core/http.js';
import { BUILTIN_PROVIDERS, loadProvider } from '../../core/plugin-loader.js';
import { createHyperAgent } from '../../core/create-hyper-agent.js';
import { redactSecrets } from '../../core/redact.js';
import type { StreamEvent } from '../../core/types.js';
import { ReplayServer } from '../replay-server.js';
import { eventFrame, exceptionFrame, frameStarts, recorded } from './bedrock-event-stream-frames.js';
import { HAIKU, NOVA, TEST_CREDENTIALS, bedrockFor, collect, expectSigned, pathFor } from './bedrock-helpers.js';

const HELLO = [{ role: 'user' as const, content: 'Hi' }];
let server: ReplayServer;

beforeAll(async () => {
  server = await new ReplayServer().start();
});
beforeEach(() => {
  server.requests.length = 0;
});
afterAll(async () => {
  await server.stop();
  await closeAllPools();
});

async function failure(promise: Promise<unknown>): Promise<HyperAgentError> {
  try {
    await promise;
  } catch (error) {
    return error as HyperAgentError;
  }
  throw new Error('expected the call to fail');
}

describe('errors over HTTP are typed by x-amzn-errortype', () => {
  it('recorded: 403 UnrecognizedClientException (invalid security token) → AuthenticationError with the request id', async () => {
    server.enqueue(pathFor(NOVA, 'converse'), { fixture: 'bedrock/error-403-invalid-security-token.json' });
    const error = await failure(bedrockFor(server).infer(HELLO));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ code: ErrorCode.AUTHENTICATION, status: 403, providerCode: 'UnrecognizedClientException', requestId: 'ee1ff1e8-b620-4099-aa92-9719b631ac15', retryable: false });
    expect(error.message).toMatch(/^bedrock returned HTTP 403 \(UnrecognizedClientException\): The security token included in the request is invalid\. Check the AWS credentials/);
    // No credential in the error, its JSON or its message.
    const shown = `${error.message} ${JSON.stringify(error)}`;
    for (const secret of Object.values(TEST_CREDENTIALS)) expect(shown).not.toContain(secret);
  });

  it('recorded 403 on converse-stream: the same error before any event', async () => {
    server.enqueue(pathFor(NOVA, 'converse-stream'), { fixture: 'bedrock/error-403-invalid-security-token.json' });
    const events = await collect(bedrockFor(server).inferStream(HELLO));
    expect(events).toHaveLength(1);
    expect((events[0] as Extract<StreamEvent, { type: 'error' }>).error).toBeInstanceOf(AuthenticationError);
  });

  // Hand-made: the error types and statuses AWS documents for Converse, with bodies in the recorded shape.
  const CASES: readonly [string, number, string, new (...args: never[]) => HyperAgentError, boolean][] = [
    ['ThrottlingException', 429, 'Too many requests, please wait before trying again.', RateLimitError, true],
    ['ServiceQuotaExceededException', 429, 'Your request exceeds the service quota for your account.', RateLimitError, true],
    ['ValidationException', 400, 'Input is too long for requested model.', ContextLengthError, false],
    ['ValidationException', 400, 'The model returned the following errors: Input Tokens Exceeded', ContextLengthError, false],
    ['ValidationException', 400, 'Malformed input request: #: extraneous key [foo] is not permitted', InvalidRequestError, false],
    ['AccessDeniedException', 403, "You don't have access to the model with the specified model ID.", PermissionError, false],
    ['ExpiredTokenException', 403, 'The security token included in the request is expired', AuthenticationError, false],
    ['ResourceNotFoundException', 404, 'Could not resolve the foundation model from the provided model identifier.', ModelNotFoundError, false],
    ['ModelNotReadyException', 429, 'Model is not ready for inference.', OverloadedError, true],
    ['ModelTimeoutException', 408, 'Model has timed out in processing the request.', TimeoutError, true],
    ['InternalServerException', 500, 'Internal server error', ServerError, true],
    ['ServiceUnavailableException', 503, 'Service unavailable', OverloadedError, true],
  ];

  it.each(CASES)('hand-made: %s (HTTP %i) → its typed error', async (type, status, message, kind, retryable) => {
    server.enqueue(pathFor(NOVA, 'converse'), {
      status,
      body: JSON.stringify({ message }),
      headers: { 'content-type': 'application/json', 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`, 'x-amzn-requestid': 'req-123' },
    });
    const error = await failure(bedrockFor(server).infer(HELLO));
    expect(error).toBeInstanceOf(kind);
    expect(error).toMatchObject({ status, providerCode: type, requestId: 'req-123', retryable });
    expect(error.message).toContain(message.replace(/\.$/, ''));
  });

  it('hand-made: a throttlingException frame mid-stream over HTTP → RateLimitError after the text before it', async () => {
    server.enqueue(pathFor(NOVA, 'converse-stream'), {
      status: 200,
      headers: { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': 'req-stream-1' },
      body: Buffer.concat([eventFrame('messageStart', { role: 'assistant' }), eventFrame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Hel' } }), exceptionFrame('throttlingException', 'Too many tokens.')]),
      chunkSize: 5,
    });
    const events = await collect(bedrockFor(server).inferStream(HELLO));
    expect(events[0]).toEqual({ type: 'text-delta', text: 'Hel' });
    const error = (events.at(-1) as Extract<StreamEvent, { type: 'error' }>).error;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ providerCode: 'throttlingException', requestId: 'req-stream-1', retryable: true });
  });
});

describe('a corrupt stream over HTTP, and credentials that expire', () => {
  it('recorded stream with one payload byte flipped, in 3-byte writes: the text before it, then InvalidResponseError (CRC)', async () => {
    const bytes = Buffer.from(recorded('converse-stream-text.eventstream'));
    bytes[frameStarts(bytes)[3] + 30] ^= 0x20;
    server.enqueue(pathFor(NOVA, 'converse-stream'), { status: 200, headers: { 'content-type': 'application/vnd.amazon.eventstream' }, body: bytes, chunkSize: 3 });
    const events = await collect(bedrockFor(server).inferStream(HELLO));
    expect(events.filter((event) => event.type === 'text-delta').length).toBe(2);
    const error = (events.at(-1) as Extract<StreamEvent, { type: 'error' }>).error;
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toMatch(/checksum does not match/);
  });

  it('abort mid-stream: the stream ends with one AbortError event', async () => {
    server.enqueue(pathFor(NOVA, 'converse-stream'), { fixture: 'bedrock/converse-stream-text.eventstream', chunkSize: 200, delayMs: 20 });
    const controller = new AbortController();
    const events: StreamEvent[] = [];
    for await (const event of bedrockFor(server).inferStream(HELLO, [], { signal: controller.signal })) {
      events.push(event);
      if (event.type === 'text-delta') controller.abort();
    }
    const last = events.at(-1) as Extract<StreamEvent, { type: 'error' }>;
    expect(last.type).toBe('error');
    expect(last.error).toBeInstanceOf(AbortError);
    expect(events.filter((event) => event.type === 'error')).toHaveLength(1);
  });

  it('hand-made ExpiredTokenException: the environment is read again on the next call, with the new token', async () => {
    const env: Record<string, string> = { AWS_ACCESS_KEY_ID: 'AKIAROTATING00000001', AWS_SECRET_ACCESS_KEY: 'rotating-secret-0123456789abcdef', AWS_SESSION_TOKEN: 'first-session-token-0123456789' };
    const provider = bedrockFor(server, { accessKeyId: undefined, secretAccessKey: undefined, sessionToken: undefined, env });
    server.enqueue(pathFor(NOVA, 'converse'), { status: 403, body: JSON.stringify({ message: 'The security token included in the request is expired' }), headers: { 'x-amzn-errortype': 'ExpiredTokenException:http://internal.amazon.com/coral/com.amazon.coral.service/' } });
    await expect(provider.infer(HELLO)).rejects.toBeInstanceOf(AuthenticationError);
    env.AWS_SESSION_TOKEN = 'second-session-token-0123456789';
    server.enqueue(pathFor(NOVA, 'converse'), { fixture: 'bedrock/converse-text.json' });
    await provider.infer(HELLO);
    expect(server.requests.map((request) => request.headers['x-amz-security-token'])).toEqual(['first-session-token-0123456789', 'second-session-token-0123456789']);
  });
});

describe('embeddings through InvokeModel', () => {
  it('hand-made: Titan v2, one signed request per text, dimensions and normalize sent, token counts summed', async () => {
    const model = 'amazon.titan-embed-text-v2:0';
    server.enqueue(pathFor(model, 'invoke'), { status: 200, body: JSON.stringify({ embedding: [0.1, 0.2], inputTextTokenCount: 3 }), headers: { 'content-type': 'application/json' } });
    server.enqueue(pathFor(model, 'invoke'), { status: 200, body: JSON.stringify({ embedding: [0.3, 0.4], inputTextTokenCount: 4 }), headers: { 'content-type': 'application/json', 'x-amzn-requestid': 'emb-2' } });
    const output = await bedrockFor(server).embed(['one', 'two'], { dimensions: 256 });
    expect(output.embeddings).toHaveLength(2);
    expect(output.tokenUsage).toEqual({ promptTokens: 7, completionTokens: 0, totalTokens: 7 });
    expect(output.model).toBe(model);
    expect(server.requests.map((request) => request.body)).toEqual(expect.arrayContaining([{ inputText: 'one', normalize: true, dimensions: 256 }, { inputText: 'two', normalize: true, dimensions: 256 }]));
    for (const request of server.requests) expectSigned(request);
  });

  it('hand-made: Cohere embed, one request with texts, the float vectors and the token-count header', async () => {
    const model = 'cohere.embed-english-v3';
    server.enqueue(pathFor(model, 'invoke'), {
      status: 200,
      body: JSON.stringify({ id: 'e1', embeddings: { float: [[1, 2], [3, 4]] }, response_type: 'embeddings_by_type', texts: ['a', 'b'] }),
      headers: { 'content-type': 'application/json', 'x-amzn-bedrock-input-token-count': '6' },
    });
    const output = await bedrockFor(server, { embeddingModel: model }).embed(['a', 'b']);
    expect(output.embeddings).toEqual([[1, 2], [3, 4]]);
    expect(output.tokenUsage.promptTokens).toBe(6);
    expect(server.requests[0].body).toEqual({ texts: ['a', 'b'], input_type: 'search_document', embedding_types: ['float'] });
  });

  it('a chat model as the embedding model is UnsupportedError naming the fix', async () => {
    await expect(bedrockFor(server).embed('x', { model: HAIKU })).rejects.toBeInstanceOf(UnsupportedError);
  });
});

describe('the provider from a config', () => {
  it('"bedrock" is a built-in name; options are checked by its schema and the secret options registered', async () => {
    expect(BUILTIN_PROVIDERS.bedrock).toBe('../plugins/bedrock/index.js');
    const definition = await loadProvider('bedrock', process.cwd());
    expect(definition.name).toBe('bedrock');
    const agent = await createHyperAgent({
      config: {
        backends: {
          claude: {
            provider: 'bedrock',
            model: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
            baseURL: server.baseURL,
            options: { region: 'us-east-1', accessKeyId: 'AKIACONFIGTEST000001', secretAccessKey: 'config-secret-access-key-0123456789', sessionToken: TEST_CREDENTIALS.sessionToken },
          },
        },
      },
      env: {},
    });
    const info = agent.backend('claude').modelInfo();
    expect(redactSecrets('config-secret-access-key-0123456789')).toBe('[REDACTED]');
    expect(info).toMatchObject({ provider: 'bedrock', contextWindow: 200_000, maxOutputTokens: 64_000, pricing: { input: 3.3, output: 16.5 } });
    server.enqueue(pathFor('us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'converse'), { fixture: 'bedrock/converse-text.json' });
    const output = await agent.backend('claude').infer(HELLO);
    expect(output.content).toMatch(/^2 \+ 2/);
    expect(server.requests[0].headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIACONFIGTEST000001\/\d{8}\/us-east-1\/bedrock\/aws4_request/);
    // Through the kernel too: the streamed thinking answer, its events accepted, the charge from the metadata usage.
    server.enqueue(pathFor('us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'converse-stream'), { fixture: 'bedrock/converse-stream-thinking.eventstream', chunkSize: 1000 });
    const streamed = await agent.backend('claude').inferStream(HELLO).output();
    expect(streamed.reasoningParts?.[0].signature).toMatch(/^E/);
    expect(streamed.tokenUsage).toMatchObject({ promptTokens: 80, completionTokens: 1113 });
    expect(streamed.metadata.costUsd).toBeCloseTo((80 * 3.3 + 1113 * 16.5) / 1e6, 12);
    await expect(createHyperAgent({ config: { backends: { b: { provider: 'bedrock', options: { region: 'nowhere' } } } }, env: {} })).rejects.toThrow(/region/);
  });

  it('a Bedrock API key (apiKey or AWS_BEARER_TOKEN_BEDROCK) goes as a bearer token instead of a signature', async () => {
    server.enqueue(pathFor(NOVA, 'converse'), { fixture: 'bedrock/converse-text.json' });
    const provider = bedrockFor(server, { accessKeyId: undefined, secretAccessKey: undefined, sessionToken: undefined, env: { AWS_BEARER_TOKEN_BEDROCK: 'ABSKbedrock-api-key-0123456789abcdef' } });
    await provider.infer(HELLO);
    expect(server.requests[0].headers.authorization).toBe('Bearer ABSKbedrock-api-key-0123456789abcdef');
    expect(server.requests[0].headers['x-amz-date']).toBeUndefined();
    expect(redactSecrets('ABSKbedrock-api-key-0123456789abcdef')).toBe('[REDACTED]');
  });
});
