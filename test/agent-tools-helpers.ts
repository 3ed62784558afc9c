// Chat Completions answers as a local OpenAI-compatible server sends them (some send the same
// tool-call id twice, or broken arguments), served on loopback by the replay server.
import { Kernel } from '../core/kernel.js';
import type { LLMBackend } from '../core/types.js';
import { OpenAICompatibleProvider } from '../plugins/openai-compatible/index.js';
import type { ReplayRoute, ReplayServer } from './replay-server.js';

export interface WireCall {
  readonly id?: string;
  readonly name: string;
  /** The arguments text exactly as the server sends it. */
  readonly arguments: string;
}

const USAGE = { prompt_tokens: 20, completion_tokens: 5, total_tokens: 25 };

export function toolCallsAnswer(calls: readonly WireCall[]): ReplayRoute {
  const toolCalls = calls.map((call) => ({ ...(call.id === undefined ? {} : { id: call.id }), type: 'function', function: { name: call.name, arguments: call.arguments } }));
  return json({ choices: [{ index: 0, message: { role: 'assistant', content: null, tool_calls: toolCalls }, finish_reason: 'tool_calls' }], usage: USAGE });
}

export function textAnswer(text: string): ReplayRoute {
  return json({ choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }], usage: USAGE });
}

/** The same answers as server-sent events, one chunk per call. */
export function toolCallsStream(calls: readonly WireCall[]): ReplayRoute {
  const chunks = calls.map((call, index) => ({
    choices: [{ index: 0, delta: { tool_calls: [{ index, ...(call.id === undefined ? {} : { id: call.id }), type: 'function', function: { name: call.name, arguments: call.arguments } }] } }],
  }));
  return sse([...chunks, { choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] }, { choices: [], usage: USAGE }]);
}

export function textStream(text: string): ReplayRoute {
  return sse([{ choices: [{ index: 0, delta: { role: 'assistant', content: text } }] }, { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }, { choices: [], usage: USAGE }]);
}

function json(body: unknown): ReplayRoute {
  return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'chatcmpl-local', object: 'chat.completion', model: 'local', ...(body as object) }) };
}

function sse(chunks: readonly unknown[]): ReplayRoute {
  const body = chunks.map((chunk) => `data: ${JSON.stringify({ id: 'chatcmpl-local', object: 'chat.completion.chunk', model: 'local', ...(chunk as object) })}\n\n`).join('') + 'data: [DONE]\n\n';
  return { status: 200, headers: { 'content-type': 'text/event-stream' }, body };
}

/** A kernel-wrapped OpenAI-compatible backend on the replay server (the kernel validates every request). */
export function localBackend(server: ReplayServer): LLMBackend {
  return new Kernel().register('local', new OpenAICompatibleProvider({ baseURL: `${server.baseURL}/v1`, model: 'local' })).backend('local');
}

export interface ChatBody {
  readonly messages: { role: string; content?: unknown; tool_call_id?: string; tool_calls?: { id: string; function: { name: string; arguments: string } }[] }[];
}

export function bodies(server: ReplayServer): ChatBody[] {
  return server.requests.map((request) => request.body as ChatBody);
}
