import OpenAI from 'openai';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import type { GatewayLogger } from '../../server/gateway-options.js';
import { startGateway } from './helpers.js';

const json = { 'content-type': 'application/json' };
const hi = [{ role: 'user', content: 'Hi' }];

async function post(url: string, path: string, body: string): Promise<{ status: number; body: any; retryHeader: unknown }> {
  const response = await request(`${url}${path}`, { method: 'POST', headers: json, body });
  const text = await response.body.text();
  return { status: response.statusCode, body: JSON.parse(text), retryHeader: response.headers['x-should-retry'] };
}

/** [what, path, body, the `param` OpenAI's error must name]. */
const INVALID: readonly (readonly [string, string, unknown, string | null])[] = [
  // The eight shapes that used to answer 500.
  ['no messages', '/v1/chat/completions', { model: 'x' }, 'messages'],
  ['no messages, known model', '/v1/chat/completions', { model: 'fake' }, 'messages'],
  ['a user message without content', '/v1/chat/completions', { model: 'fake', messages: [{ role: 'user' }] }, 'messages[0].content'],
  ['a system message without content', '/v1/chat/completions', { model: 'fake', messages: [{ role: 'system' }, ...hi] }, 'messages[0].content'],
  ['a tool message without content', '/v1/chat/completions', { model: 'fake', messages: [...hi, { role: 'tool', tool_call_id: 'c' }] }, 'messages[1].content'],
  ['tools[0] without function', '/v1/chat/completions', { model: 'fake', messages: hi, tools: [{ type: 'function' }] }, 'tools[0].function'],
  ['a tool call without function', '/v1/chat/completions', { model: 'fake', messages: [{ role: 'assistant', tool_calls: [{ id: 'c', type: 'function' }] }] }, 'messages[0].tool_calls[0].function'],
  ['embeddings without input', '/v1/embeddings', { model: 'fake' }, 'input'],
  // And the rest of the request's shape.
  ['messages not an array', '/v1/chat/completions', { model: 'fake', messages: { role: 'user', content: 'Hi' } }, 'messages'],
  ['messages empty', '/v1/chat/completions', { model: 'fake', messages: [] }, 'messages'],
  ['a message that is a string', '/v1/chat/completions', { model: 'fake', messages: ['Hi'] }, 'messages[0]'],
  ['a message without role', '/v1/chat/completions', { model: 'fake', messages: [{ content: 'Hi' }] }, 'messages[0].role'],
  ['an unknown role', '/v1/chat/completions', { model: 'fake', messages: [{ role: 'robot', content: 'Hi' }] }, 'messages[0].role'],
  ['content a number', '/v1/chat/completions', { model: 'fake', messages: [{ role: 'user', content: 42 }] }, 'messages[0].content'],
  ['a content part without type', '/v1/chat/completions', { model: 'fake', messages: [{ role: 'user', content: [{ text: 'Hi' }] }] }, 'messages[0].content[0].type'],
  ['an image part without image_url', '/v1/chat/completions', { model: 'fake', messages: [{ role: 'user', content: [{ type: 'image_url' }] }] }, 'messages[0].content[0].image_url'],
  ['a data: URL with broken percent-encoding', '/v1/chat/completions', { model: 'fake', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png,%E0%A4%A' } }] }] }, 'messages[0].content[0].image_url.url'],
  ['tool_calls not an array', '/v1/chat/completions', { model: 'fake', messages: [{ role: 'assistant', content: null, tool_calls: {} }] }, 'messages[0].tool_calls'],
  ['a tool call without id', '/v1/chat/completions', { model: 'fake', messages: [{ role: 'assistant', tool_calls: [{ type: 'function', function: { name: 'f', arguments: '{}' } }] }] }, 'messages[0].tool_calls[0].id'],
  ['a tool call with an empty name', '/v1/chat/completions', { model: 'fake', messages: [{ role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: '', arguments: '{}' } }] }] }, 'messages[0].tool_calls[0].function.name'],
  ['a tool message without tool_call_id', '/v1/chat/completions', { model: 'fake', messages: [...hi, { role: 'tool', content: 'r' }] }, 'messages[1].tool_call_id'],
  ['a tool result answering no call', '/v1/chat/completions', { model: 'fake', messages: [...hi, { role: 'tool', tool_call_id: 'nope', content: 'r' }] }, 'messages[1].tool_call_id'],
  ['tools not an array', '/v1/chat/completions', { model: 'fake', messages: hi, tools: { type: 'function' } }, 'tools'],
  ['a tool without a name', '/v1/chat/completions', { model: 'fake', messages: hi, tools: [{ type: 'function', function: {} }] }, 'tools[0].function.name'],
  ['a tool name with spaces', '/v1/chat/completions', { model: 'fake', messages: hi, tools: [{ type: 'function', function: { name: 'get weather' } }] }, 'tools[0].function.name'],
  ['tool parameters that are not an object schema', '/v1/chat/completions', { model: 'fake', messages: hi, tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'string' } } }] }, 'tools[0].function.parameters.type'],
  ['temperature a string', '/v1/chat/completions', { model: 'fake', messages: hi, temperature: '0.7' }, 'temperature'],
  ['temperature out of range', '/v1/chat/completions', { model: 'fake', messages: hi, temperature: 3 }, 'temperature'],
  ['max_tokens negative', '/v1/chat/completions', { model: 'fake', messages: hi, max_tokens: -1 }, 'max_tokens'],
  ['max_completion_tokens not an integer', '/v1/chat/completions', { model: 'fake', messages: hi, max_completion_tokens: 1.5 }, 'max_completion_tokens'],
  ['stream not a boolean', '/v1/chat/completions', { model: 'fake', messages: hi, stream: 'true' }, 'stream'],
  ['stream_options.include_usage not a boolean', '/v1/chat/completions', { model: 'fake', messages: hi, stream: true, stream_options: { include_usage: 1 } }, 'stream_options.include_usage'],
  ['n not an integer', '/v1/chat/completions', { model: 'fake', messages: hi, n: 1.5 }, 'n'],
  ['response_format a string', '/v1/chat/completions', { model: 'fake', messages: hi, response_format: 'json' }, 'response_format'],
  ['response_format of an unknown type', '/v1/chat/completions', { model: 'fake', messages: hi, response_format: { type: 'yaml' } }, 'response_format.type'],
  ['json_schema without a name', '/v1/chat/completions', { model: 'fake', messages: hi, response_format: { type: 'json_schema', json_schema: {} } }, 'response_format.json_schema.name'],
  ['tool_choice unknown', '/v1/chat/completions', { model: 'fake', messages: hi, tool_choice: 'always' }, 'tool_choice'],
  ['stop a number', '/v1/chat/completions', { model: 'fake', messages: hi, stop: 5 }, 'stop'],
  ['model not a string', '/v1/chat/completions', { model: 7, messages: hi }, 'model'],
  ['no model', '/v1/chat/completions', { messages: hi }, 'model'],
  ['embeddings input a number', '/v1/embeddings', { model: 'fake', input: 5 }, 'input'],
  ['embeddings input empty', '/v1/embeddings', { model: 'fake', input: [] }, 'input'],
  ['embeddings dimensions zero', '/v1/embeddings', { model: 'fake', input: 'x', dimensions: 0 }, 'dimensions'],
  ['embeddings encoding_format unknown', '/v1/embeddings', { model: 'fake', input: 'x', encoding_format: 'int8' }, 'encoding_format'],
  ['a body that is an array', '/v1/chat/completions', [], null],
  ['a body that is null', '/v1/embeddings', null, null],
];

describe('every invalid request is a 400 naming the field', () => {
  it.each(INVALID)('%s (%s) → 400 naming the field', async (_what, path, body, param) => {
    const { url, backend } = await startGateway();
    const answer = await post(url, path, JSON.stringify(body));
    expect(answer.status).toBe(400);
    expect(Object.keys(answer.body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
    expect(answer.body.error).toMatchObject({ type: 'invalid_request_error', param });
    // The message names the field (the kernel's checks name it in its own terms: tools[0].name) and says what to send.
    if (param !== null) expect(answer.body.error.message).toContain(/^[a-z_]+(\[\d+\])?/.exec(param)![0]);
    expect(answer.body.error.message).toMatch(/must|required|send|not supported|answers no/i);
    expect(backend.calls).toHaveLength(0);
  });

  it.each([
    ['text that is not JSON', 'hello'],
    ['truncated JSON', '{"model":"fake","messages":['],
    ['an empty body', ''],
  ])('%s → 400 invalid_json', async (_what, body) => {
    const { url } = await startGateway();
    for (const path of ['/v1/chat/completions', '/v1/embeddings']) {
      const answer = await post(url, path, body);
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_json', param: null });
    }
  });

  it('an unknown backend is 404 model_not_found, as OpenAI answers it', async () => {
    const { url } = await startGateway();
    for (const name of ['gpt-9', '__proto__', 'constructor', 'toString']) {
      const answer = await post(url, '/v1/chat/completions', JSON.stringify({ model: name, messages: hi }));
      expect(answer.status).toBe(404);
      expect(answer.body.error).toMatchObject({ type: 'invalid_request_error', code: 'model_not_found', param: 'model' });
    }
  });
});

// A valid request that uses every field the gateway reads; each field is then replaced by each odd value.
const FULL = {
  model: 'fake',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: [{ type: 'text', text: 'Hi', cache_control: { type: 'ephemeral', ttl: '5m' } }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'low' } }] },
    { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
    { role: 'tool', tool_call_id: 'c1', content: 'result' },
  ],
  tools: [{ type: 'function', function: { name: 'f', description: 'd', parameters: { type: 'object', properties: {} }, strict: true } }],
  tool_choice: { type: 'function', function: { name: 'f' } },
  max_tokens: 10,
  temperature: 1,
  top_p: 1,
  stop: ['x'],
  parallel_tool_calls: true,
  response_format: { type: 'json_schema', json_schema: { name: 'n', schema: { type: 'object' }, strict: true } },
  reasoning_effort: 'low',
  user: 'u',
  stream: false,
  stream_options: { include_usage: true },
  n: 1,
};
const REMOVE = Symbol('remove');
const ODD_VALUES: readonly unknown[] = [REMOVE, null, 0, -1, 1.5, 1e400, '', 'x', '%', 'data:image/png,%E0%A4%A', true, [], {}, [[]], [{}], [null], { type: 5 }];

type Path = readonly (string | number)[];

function leaves(value: unknown, prefix: Path = []): Path[] {
  const paths: Path[] = prefix.length > 0 ? [prefix] : [];
  if (Array.isArray(value)) value.forEach((item, index) => paths.push(...leaves(item, [...prefix, index])));
  else if (typeof value === 'object' && value !== null) for (const [key, item] of Object.entries(value)) paths.push(...leaves(item, [...prefix, key]));
  return paths;
}

function mutated(path: Path, value: unknown, stream: boolean): string {
  const copy = structuredClone({ ...FULL, stream }) as Record<string | number, any>;
  const parent = path.slice(0, -1).reduce<any>((node, key) => node[key], copy);
  const last = path[path.length - 1]!;
  if (value === REMOVE) {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else parent[last] = value;
  // 1e400 is Infinity, which JSON.stringify would write as null: write it as the client would.
  return JSON.stringify(copy).replace('"__infinity__"', '1e400');
}

describe('no request shape makes the gateway answer 5xx', () => {
  it('replaces every field of a full request with each odd value: 4xx naming a param, or 200', async () => {
    const { url } = await startGateway();
    const failures: string[] = [];
    let requests = 0;
    for (const stream of [false, true]) {
      for (const path of leaves(FULL)) {
        if (path[0] === 'stream') continue;
        for (const odd of ODD_VALUES) {
          const body = mutated(path, odd === 1e400 ? '__infinity__' : odd, stream);
          const response = await request(`${url}/v1/chat/completions`, { method: 'POST', headers: json, body });
          const text = await response.body.text();
          requests += 1;
          const ok = response.statusCode === 200 || (response.statusCode < 500 && typeof JSON.parse(text).error?.param === 'string');
          if (!ok) failures.push(`${path.join('.')} = ${String(odd === REMOVE ? '(removed)' : JSON.stringify(odd))} (stream ${stream}): ${response.statusCode} ${text.slice(0, 200)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(1500);
  }, 60_000);
});

describe('the access log names only configured backends', () => {
  it('leaves a model name the client made up out of the log line', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger: GatewayLogger = { info: (data, message) => void (message === 'request' && lines.push(data)), warn() {}, error() {} };
    const { url } = await startGateway({ logger });
    const forged = 'x\nPOST /v1/chat/completions 200 fake 1ms';
    const answer = await post(url, '/v1/chat/completions', JSON.stringify({ model: forged, messages: hi }));
    expect(answer.status).toBe(404);
    await post(url, '/v1/chat/completions', JSON.stringify({ model: 'fake', messages: hi }));
    await expect.poll(() => lines.length).toBe(2);
    expect(lines.map((line) => line.backend)).toEqual([undefined, 'fake']);
  });
});

describe('OpenAI’s SDK does not retry a 400', () => {
  it('sends each invalid request once, with its default retries on', async () => {
    const seen: unknown[] = [];
    const logger: GatewayLogger = { info: (data, message) => void (message === 'request' && seen.push(data)), warn() {}, error() {} };
    const { baseURL } = await startGateway({ logger });
    const client = new OpenAI({ apiKey: 'sk-test-not-a-real-key-000000', baseURL, maxRetries: 2 });
    const bodies: unknown[] = [{ model: 'x' }, { model: 'fake', messages: [{ role: 'user' }] }, { model: 'fake', messages: hi, tools: [{ type: 'function' }] }];
    for (const body of bodies) {
      const error = await client.chat.completions.create(body as never).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toEqual(expect.any(String));
    }
    await expect.poll(() => seen.length).toBe(bodies.length);
  });
});
