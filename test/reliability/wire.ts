// Provider-shaped response bodies for the fault tests, built in the wire formats the recorded
// fixtures show (test/fixtures/recorded): Chat Completions chunks with a `choices: []` usage chunk
// and `data: [DONE]`, Anthropic `event:`/`data:` pairs ending in `message_stop`, OpenAI Responses
// events ending in `response.completed` (no `[DONE]`).
import type { FaultPlan } from '../fault-server.js';

export type ProviderName = 'openai' | 'openai-responses' | 'anthropic' | 'openrouter' | 'local';

/**
 * The backend names in the rig: one per provider plugin, and the openai one a second time with
 * `api: "responses"` (its own wire format and stream transform). `local` is `openai-compatible`.
 */
export const PROVIDERS: readonly ProviderName[] = ['openai', 'openai-responses', 'anthropic', 'openrouter', 'local'];

/** The `provider` the errors and events of a backend name. */
export function providerOf(name: ProviderName): string {
  return name === 'local' ? 'openai-compatible' : name === 'openai-responses' ? 'openai' : name;
}

export const PROMPT_TOKENS = 25;
export const COMPLETION_TOKENS = 7;
/** OpenRouter reports the cost itself, in `usage.cost`. */
export const OPENROUTER_REPORTED_COST = 0.000_321;

const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };
const JSON_HEADERS = { 'content-type': 'application/json' };

type Family = 'chat' | 'responses' | 'anthropic';

export function familyOf(provider: ProviderName): Family {
  return provider === 'anthropic' ? 'anthropic' : provider === 'openai-responses' ? 'responses' : 'chat';
}

function isChat(provider: ProviderName): boolean {
  return familyOf(provider) === 'chat';
}

function responsesEvent(type: string, fields: Record<string, unknown>): string {
  return sseBody([{ event: type, data: { type, ...fields } }]);
}

const RESPONSES_USAGE = { input_tokens: PROMPT_TOKENS, output_tokens: COMPLETION_TOKENS, total_tokens: PROMPT_TOKENS + COMPLETION_TOKENS };

function chatUsage(provider: ProviderName): Record<string, unknown> {
  return {
    prompt_tokens: PROMPT_TOKENS,
    completion_tokens: COMPLETION_TOKENS,
    total_tokens: PROMPT_TOKENS + COMPLETION_TOKENS,
    ...(provider === 'openrouter' ? { cost: OPENROUTER_REPORTED_COST } : {}),
  };
}

/** The model id each provider reports back (a dated snapshot for OpenAI, as the recordings show). */
const WIRE_MODEL: Readonly<Record<ProviderName, string>> = {
  openai: 'gpt-4o-mini-2024-07-18',
  'openai-responses': 'gpt-4o-mini-2024-07-18',
  anthropic: 'claude-haiku-4-5-20251001',
  openrouter: 'openai/gpt-4o-mini',
  local: 'llama3.2',
};

function chatChunk(provider: ProviderName, delta: Record<string, unknown>, finish: string | null = null): Record<string, unknown> {
  return { id: 'chatcmpl-fault', object: 'chat.completion.chunk', created: 1_700_000_000, model: WIRE_MODEL[provider], choices: [{ index: 0, delta, finish_reason: finish }] };
}

/** The stream events, one SSE block each, of a successful answer made of `pieces`. */
export function streamBlocks(provider: ProviderName, pieces: readonly string[]): string[] {
  if (familyOf(provider) === 'responses') {
    const response = { id: 'resp_fault', object: 'response', model: WIRE_MODEL[provider] };
    return [
      responsesEvent('response.created', { response: { ...response, status: 'in_progress' } }),
      ...pieces.map((text) => responsesEvent('response.output_text.delta', { output_index: 0, content_index: 0, delta: text })),
      responsesEvent('response.completed', { response: { ...response, status: 'completed', usage: RESPONSES_USAGE } }),
    ];
  }
  if (isChat(provider)) {
    return [
      sseBody([chatChunk(provider, { role: 'assistant', content: '' })]),
      ...pieces.map((text) => sseBody([chatChunk(provider, { content: text })])),
      sseBody([chatChunk(provider, {}, 'stop')]),
      sseBody([{ id: 'chatcmpl-fault', object: 'chat.completion.chunk', created: 1_700_000_000, model: WIRE_MODEL[provider], choices: [], usage: chatUsage(provider) }]),
      sseBody(['[DONE]']),
    ];
  }
  return [
    sseBody([
      {
        event: 'message_start',
        data: { type: 'message_start', message: { id: 'msg_fault', type: 'message', role: 'assistant', model: 'claude-haiku-4-5-20251001', content: [], usage: { input_tokens: PROMPT_TOKENS, output_tokens: 1 } } },
      },
    ]),
    sseBody([{ event: 'content_block_start', data: { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } } }]),
    sseBody([{ event: 'ping', data: { type: 'ping' } }]),
    ...pieces.map((text) => sseBody([{ event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } } }])),
    sseBody([{ event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } }]),
    sseBody([{ event: 'message_delta', data: { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: COMPLETION_TOKENS } } }]),
    sseBody([{ event: 'message_stop', data: { type: 'message_stop' } }]),
  ];
}

export const DEFAULT_PIECES: readonly string[] = ['Hello', ', wörld', ' 👋'];
export const DEFAULT_TEXT = DEFAULT_PIECES.join('');

/** A whole successful stream. */
export function okStream(provider: ProviderName, pieces: readonly string[] = DEFAULT_PIECES, extra: Partial<FaultPlan> = {}): FaultPlan {
  return { status: 200, headers: SSE_HEADERS, body: streamBlocks(provider, pieces).join(''), ...extra };
}

/** A successful non-streamed answer. */
export function okJson(provider: ProviderName, text: string = DEFAULT_TEXT, extra: Partial<FaultPlan> = {}): FaultPlan {
  if (familyOf(provider) === 'responses') {
    const body = {
      id: 'resp_fault',
      object: 'response',
      model: WIRE_MODEL[provider],
      status: 'completed',
      output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] }],
      usage: RESPONSES_USAGE,
    };
    return { status: 200, headers: JSON_HEADERS, body: JSON.stringify(body), ...extra };
  }
  const body = isChat(provider)
    ? {
        id: 'chatcmpl-fault',
        object: 'chat.completion',
        created: 1_700_000_000,
        model: WIRE_MODEL[provider],
        choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
        usage: chatUsage(provider),
      }
    : {
        id: 'msg_fault',
        type: 'message',
        role: 'assistant',
        model: 'claude-haiku-4-5-20251001',
        content: [{ type: 'text', text }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: PROMPT_TOKENS, output_tokens: COMPLETION_TOKENS },
      };
  return { status: 200, headers: JSON_HEADERS, body: JSON.stringify(body), ...extra };
}

/** The error body each provider sends with `status`. */
export function errorBody(provider: ProviderName, status: number): string {
  if (provider === 'anthropic') {
    const type = status === 429 ? 'rate_limit_error' : status === 529 ? 'overloaded_error' : 'api_error';
    return JSON.stringify({ type: 'error', error: { type, message: `Fault ${status}` }, request_id: 'req_fault' });
  }
  if (provider === 'openrouter') return JSON.stringify({ error: { message: `Fault ${status}`, code: status } });
  const type = status === 429 ? 'rate_limit_exceeded' : 'server_error';
  return JSON.stringify({ error: { message: `Fault ${status}`, type, param: null, code: type } });
}

export function errorStatus(provider: ProviderName, status: number, headers: Record<string, string> = {}): FaultPlan {
  return { status, headers: { ...JSON_HEADERS, ...headers }, body: errorBody(provider, status) };
}

/** An error delivered inside an HTTP 200 stream, after `before` text pieces. */
export function streamErrorEvent(provider: ProviderName, before: readonly string[] = [], withUsage = false): FaultPlan {
  const blocks = streamBlocks(provider, before);
  if (familyOf(provider) === 'responses') {
    // response.created and the text deltas, then the error event.
    return { status: 200, headers: SSE_HEADERS, body: [...blocks.slice(0, 1 + before.length), errorEventBlock(provider, 'Upstream overloaded')].join('') };
  }
  if (isChat(provider)) {
    const error = { error: { message: 'Upstream overloaded', code: provider === 'openrouter' ? 502 : 'server_error' }, ...(withUsage ? { usage: chatUsage(provider) } : {}) };
    // Keep the role chunk and the text chunks; drop finish, usage and [DONE].
    return { status: 200, headers: SSE_HEADERS, body: [...blocks.slice(0, 1 + before.length), sseBody([{ id: 'chatcmpl-fault', choices: [], ...error }])].join('') };
  }
  // message_start (with input usage), content_block_start, ping, the text deltas, then the error.
  const error = sseBody([{ event: 'error', data: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } }]);
  return { status: 200, headers: SSE_HEADERS, body: [...blocks.slice(0, 3 + before.length), error].join('') };
}

/** An in-stream error event, in the provider's format, with `message`. */
export function errorEventBlock(provider: ProviderName, message: string): string {
  switch (familyOf(provider)) {
    case 'anthropic':
      return sseBody([{ event: 'error', data: { type: 'error', error: { type: 'api_error', message } } }]);
    case 'responses':
      return responsesEvent('error', { code: 'server_error', message });
    default:
      return sseBody([{ id: 'chatcmpl-fault', choices: [], error: { message, code: provider === 'openrouter' ? 502 : 'server_error' } }]);
  }
}

/** Index of the first text block: after the role chunk, after response.created, or after message_start, content_block_start and ping. */
export function firstTextBlock(provider: ProviderName): number {
  return familyOf(provider) === 'anthropic' ? 3 : 1;
}

/** Byte offset of the start of the SSE block holding `marker` in `body` (0 when absent). */
export function blockOffset(body: string, marker: string): number {
  const at = body.indexOf(marker);
  if (at < 0) throw new Error(`marker ${marker} not in body`);
  const blockStart = body.lastIndexOf('\n\n', at);
  return Buffer.byteLength(body.slice(0, blockStart < 0 ? 0 : blockStart + 2));
}

/** The marker that ends a finished stream: `[DONE]` or `message_stop`. */
export function endMarker(provider: ProviderName): string {
  return { chat: '[DONE]', responses: '"response.completed"', anthropic: '"message_stop"' }[familyOf(provider)];
}

export { JSON_HEADERS, SSE_HEADERS };

/** A streamed call of `get_weather` whose arguments arrive in `fragments`, ending like a finished turn. */
export function toolStreamBlocks(provider: ProviderName, fragments: readonly string[]): string[] {
  switch (familyOf(provider)) {
    case 'anthropic':
      return [
        ...streamBlocks(provider, []).slice(0, 1),
        sseBody([{ event: 'content_block_start', data: { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_fault', name: 'get_weather', input: {} } } }]),
        ...fragments.map((partial_json) => sseBody([{ event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json } } }])),
        sseBody([{ event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } }]),
        sseBody([{ event: 'message_delta', data: { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: COMPLETION_TOKENS } } }]),
        sseBody([{ event: 'message_stop', data: { type: 'message_stop' } }]),
      ];
    case 'responses': {
      const item = { type: 'function_call', id: 'fc_fault', call_id: 'call_fault', name: 'get_weather', arguments: '' };
      const blocks = streamBlocks(provider, []);
      return [
        blocks[0],
        responsesEvent('response.output_item.added', { output_index: 0, item }),
        ...fragments.map((delta) => responsesEvent('response.function_call_arguments.delta', { output_index: 0, delta })),
        responsesEvent('response.output_item.done', { output_index: 0, item: { ...item, arguments: fragments.join('') } }),
        blocks[blocks.length - 1],
      ];
    }
    default: {
      const blocks = streamBlocks(provider, []);
      const call = (fields: Record<string, unknown>) => sseBody([chatChunk(provider, { tool_calls: [{ index: 0, ...fields }] })]);
      return [
        blocks[0],
        call({ id: 'call_fault', type: 'function', function: { name: 'get_weather', arguments: '' } }),
        ...fragments.map((text) => call({ function: { arguments: text } })),
        sseBody([chatChunk(provider, {}, 'tool_calls')]),
        ...blocks.slice(-2),
      ];
    }
  }
}

export const TOOL_FRAGMENTS: readonly string[] = ['{"city":', ' "Par', 'is", "unit": "°C"}'];

/** `data:` lines of server-sent events, one per payload, each ending in a blank line. */
export function sseBody(events: readonly (object | string | { readonly event: string; readonly data: object | string })[]): string {
  return events
    .map((item) => {
      if (typeof item === 'object' && item !== null && 'event' in item && 'data' in item && Object.keys(item).length === 2) {
        const data = typeof item.data === 'string' ? item.data : JSON.stringify(item.data);
        return `event: ${String(item.event)}\ndata: ${data}\n\n`;
      }
      return `data: ${typeof item === 'string' ? item : JSON.stringify(item)}\n\n`;
    })
    .join('');
}
