// A fake OpenAI- and Anthropic-compatible server for the benchmark. It runs in its own process on
// 127.0.0.1 and answers from pre-built buffers, writing a whole stream in one go, so the client
// under test is the bottleneck, not the server.
//
//   POST /d/<deltas>/v1/chat/completions   Chat Completions, JSON or SSE (`"stream": true`)
//   POST /d/<deltas>/v1/messages           Anthropic Messages, JSON or SSE
//
// `<deltas>` is the number of text deltas in a streamed answer. The chunks copy the shapes of the
// recorded real responses in shared/fixtures (openai/chat-stream-text-include-usage.sse,
// anthropic/stream-text.sse), rate-limit and request-id headers included.
//
// Prints `{"port": N}` on stdout once listening; exits on SIGTERM or when stdin closes.
import { createServer } from 'node:http';

const WORDS = [' The', ' quick', ' brown', ' fox', ' jumps', ' over', ' the', ' lazy', ' dog', '.', ' Then', ' it', ' naps', ',', ' again', '!'];
const CREATED = 1755691077;
const MAX_CACHED_BODIES = 64;

const OPENAI_HEADERS = {
  'x-request-id': 'req_bench0000000000000000000000000',
  'openai-processing-ms': '1',
  'x-ratelimit-limit-requests': '1000000000',
  'x-ratelimit-limit-tokens': '1000000000000',
  'x-ratelimit-remaining-requests': '999999999',
  'x-ratelimit-remaining-tokens': '999999999999',
  'x-ratelimit-reset-requests': '1ms',
  'x-ratelimit-reset-tokens': '0s',
};

const ANTHROPIC_HEADERS = {
  'request-id': 'req_bench0000000000000000000000000',
  'anthropic-ratelimit-requests-limit': '1000000000',
  'anthropic-ratelimit-requests-remaining': '999999999',
  'anthropic-ratelimit-requests-reset': '2099-01-01T00:00:00Z',
  'anthropic-ratelimit-tokens-limit': '1000000000000',
  'anthropic-ratelimit-tokens-remaining': '999999999999',
  'anthropic-ratelimit-tokens-reset': '2099-01-01T00:00:00Z',
};

const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };
const JSON_HEADERS = { 'content-type': 'application/json' };

const bodies = new Map();

function cached(key, build) {
  let body = bodies.get(key);
  if (body === undefined) {
    if (bodies.size >= MAX_CACHED_BODIES) bodies.clear();
    body = Buffer.from(build());
    bodies.set(key, body);
  }
  return body;
}

function openaiStream(model, deltas) {
  const head = `{"id":"chatcmpl-bench","object":"chat.completion.chunk","created":${CREATED},"model":${JSON.stringify(model)},"service_tier":"default","system_fingerprint":null,"choices":[`;
  const parts = [`data: ${head}{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`];
  for (let i = 0; i < deltas; i += 1) {
    parts.push(`data: ${head}{"index":0,"delta":{"content":${JSON.stringify(WORDS[i % WORDS.length])}},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`);
  }
  parts.push(`data: ${head}{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}\n\n`);
  parts.push(
    `data: ${head}],"usage":{"prompt_tokens":14,"completion_tokens":${deltas},"total_tokens":${14 + deltas},"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}\n\n`,
  );
  parts.push('data: [DONE]\n\n');
  return parts.join('');
}

function openaiJson(model) {
  return JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    created: CREATED,
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: 'Hello! I am a fake model on the loopback interface. How can I help you today?', refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: {
      prompt_tokens: 14,
      completion_tokens: 19,
      total_tokens: 33,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    },
    service_tier: 'default',
    system_fingerprint: null,
  });
}

function anthropicStream(model, deltas) {
  const event = (type, data) => `event: ${type}\ndata: ${data}\n\n`;
  const parts = [
    event(
      'message_start',
      `{"type":"message_start","message":{"model":${JSON.stringify(model)},"id":"msg_bench","type":"message","role":"assistant","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":14,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1,"service_tier":"standard"}}}`,
    ),
    event('content_block_start', '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}'),
    event('ping', '{"type": "ping"}'),
  ];
  for (let i = 0; i < deltas; i += 1) {
    parts.push(event('content_block_delta', `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":${JSON.stringify(WORDS[i % WORDS.length])}}}`));
  }
  parts.push(event('content_block_stop', '{"type":"content_block_stop","index":0}'));
  parts.push(
    event(
      'message_delta',
      `{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"input_tokens":14,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":${deltas}}}`,
    ),
  );
  parts.push(event('message_stop', '{"type":"message_stop"}'));
  return parts.join('');
}

function anthropicJson(model) {
  return JSON.stringify({
    id: 'msg_bench',
    type: 'message',
    role: 'assistant',
    model,
    content: [{ type: 'text', text: 'Hello! I am a fake model on the loopback interface. How can I help you today?' }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 14, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 19, service_tier: 'standard' },
  });
}

const ROUTE = /^\/d\/(\d+)\/v1\/(chat\/completions|messages)$/;
const STREAM = /"stream"\s*:\s*true/;
const MODEL = /"model"\s*:\s*"([^"]*)"/;

function answer(req, res, text) {
  const route = ROUTE.exec(req.url ?? '');
  if (req.method !== 'POST' || route === null) {
    res.writeHead(404, JSON_HEADERS).end('{"error":{"message":"not found","type":"invalid_request_error"}}');
    return;
  }
  const deltas = Number(route[1]);
  const anthropic = route[2] === 'messages';
  const stream = STREAM.test(text);
  const model = MODEL.exec(text)?.[1] ?? 'bench-model';
  const providerHeaders = anthropic ? ANTHROPIC_HEADERS : OPENAI_HEADERS;
  if (stream) {
    const body = cached(`${route[2]}|${model}|${deltas}`, () => (anthropic ? anthropicStream(model, deltas) : openaiStream(model, deltas)));
    // No content-length: real providers send streams chunked.
    res.writeHead(200, { ...SSE_HEADERS, ...providerHeaders });
    res.write(body);
    res.end();
    return;
  }
  const body = cached(`${route[2]}|${model}|json`, () => (anthropic ? anthropicJson(model) : openaiJson(model)));
  res.writeHead(200, { ...JSON_HEADERS, ...providerHeaders, 'content-length': body.length });
  res.end(body);
}

const server = createServer({ keepAlive: true, requestTimeout: 0, headersTimeout: 0 }, (req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => answer(req, res, chunks.length === 1 ? chunks[0].toString() : Buffer.concat(chunks).toString()));
});
server.keepAliveTimeout = 120_000;
server.maxRequestsPerSocket = 0;

server.listen(Number(process.env.BENCH_PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});

const stop = () => {
  server.closeAllConnections?.();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 500).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.resume();
