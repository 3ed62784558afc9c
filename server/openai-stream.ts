import type { FinishReason, StreamEvent, TokenUsage } from '../core/types.js';
import type { CompletionIdentity } from './openai-response.js';
import { argumentsText } from './openai-response.js';
import { toOpenAIFinishReason, toOpenAIUsage, type ChatCompletionChunk, type ChatCompletionDelta, type ChatLogprobs, type OpenAIFinishReason } from './openai-wire.js';

interface StreamedToolCall {
  readonly index: number;
  sentArguments: boolean;
}

/**
 * Our stream events → `chat.completion.chunk`s, in OpenAI's order: a role chunk, content and
 * tool-call deltas, a chunk with `finish_reason`, then (with `include_usage`) a usage chunk with
 * `choices: []`. Tool calls are numbered 0, 1, ... in the order they start, whatever index the
 * provider used, because OpenAI's clients assemble calls by that index.
 */
export class ChatChunkEncoder {
  private readonly toolCalls = new Map<string, StreamedToolCall>();
  /** The `reasoning_details` index of the reasoning block being streamed: a signature ends a block. */
  private reasoningBlock = 0;
  /** Format of the `reasoning_details` entries; Claude's signed blocks are `anthropic-claude-v1`. */
  reasoningFormat = 'unknown';

  constructor(
    private readonly identity: CompletionIdentity,
    private readonly includeUsage: boolean,
  ) {}

  private chunk(delta: ChatCompletionDelta, finishReason: OpenAIFinishReason | null = null, logprobs: ChatLogprobs | null = null): ChatCompletionChunk {
    return {
      id: this.identity.id,
      object: 'chat.completion.chunk',
      created: this.identity.created,
      model: this.identity.model,
      choices: [{ index: 0, delta, logprobs, finish_reason: finishReason }],
      ...(this.includeUsage ? { usage: null } : {}),
    };
  }

  /** The first chunk, sent before any event's. */
  start(): ChatCompletionChunk {
    return this.chunk({ role: 'assistant', content: '' });
  }

  /** The chunks one non-terminal event becomes: usually one, none for events OpenAI has no word for. */
  encode(event: StreamEvent): ChatCompletionChunk[] {
    switch (event.type) {
      case 'text-delta':
        return event.text === '' ? [] : [this.chunk({ content: event.text })];
      case 'reasoning-delta':
        if (event.text === '') return [];
        return [this.chunk({ reasoning_content: event.text, reasoning_details: [{ type: 'reasoning.text', text: event.text, format: this.reasoningFormat, index: this.reasoningBlock }] })];
      case 'reasoning-signature': {
        const index = this.reasoningBlock++;
        return [this.chunk({ reasoning_details: [{ type: 'reasoning.text', text: '', signature: event.signature, format: this.reasoningFormat, index }] })];
      }
      case 'reasoning-redacted': {
        const index = this.reasoningBlock++;
        return [this.chunk({ reasoning_details: [{ type: 'reasoning.encrypted', data: event.data, format: this.reasoningFormat, index }] })];
      }
      case 'tool-call-start': {
        const index = this.toolCalls.size;
        this.toolCalls.set(event.id, { index, sentArguments: false });
        return [this.chunk({ tool_calls: [{ index, id: event.id, type: 'function', function: { name: event.name, arguments: '' } }] })];
      }
      case 'tool-call-delta': {
        const call = this.toolCalls.get(event.id);
        if (!call || event.argumentsDelta === '') return [];
        call.sentArguments = true;
        return [this.chunk({ tool_calls: [{ index: call.index, function: { arguments: event.argumentsDelta } }] })];
      }
      case 'tool-call-end': {
        const call = this.toolCalls.get(event.id);
        const text = argumentsText(event.toolCall);
        if (!call) {
          // A provider that announces a call only when it is complete: send it whole.
          const index = this.toolCalls.size;
          this.toolCalls.set(event.id, { index, sentArguments: true });
          return [this.chunk({ tool_calls: [{ index, id: event.id, type: 'function', function: { name: event.toolCall.name, arguments: text } }] })];
        }
        if (call.sentArguments) return [];
        call.sentArguments = true;
        return [this.chunk({ tool_calls: [{ index: call.index, function: { arguments: text } }] })];
      }
      default:
        return [];
    }
  }

  /**
   * The closing chunks after `done`. `costUsd` rides on the usage chunk: the headers left long ago.
   * `logprobs` (the whole stream's, when the client asked) ride on the finish chunk: clients join
   * every chunk's tokens, so one chunk with all of them reads the same.
   */
  finish(finishReason: FinishReason, usage: TokenUsage, costUsd: number | undefined, logprobs: ChatLogprobs | null = null): ChatCompletionChunk[] {
    const last = this.chunk({}, toOpenAIFinishReason(finishReason), logprobs);
    if (!this.includeUsage) return [last];
    const usageChunk: ChatCompletionChunk = {
      id: this.identity.id,
      object: 'chat.completion.chunk',
      created: this.identity.created,
      model: this.identity.model,
      choices: [],
      usage: toOpenAIUsage(usage),
      x_hyperagent_cost_usd: costUsd ?? null,
    };
    return [last, usageChunk];
  }
}
