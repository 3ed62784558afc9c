import { InvalidRequestError } from '../../core/errors.js';
import type { ContentPart, LLMMessage, ToolCall, ToolChoice, ToolSchema } from '../../core/types.js';
import type { CohereV2ContentPart, CohereV2Message, CohereV2Tool, CohereV2WireToolCall } from './cohere-v2-api.js';

function text(content: string | readonly ContentPart[]): string {
  if (typeof content === 'string') return content;
  return content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

function userContent(content: string | readonly ContentPart[]): string | CohereV2ContentPart[] {
  if (typeof content === 'string' || content.every((part) => part.type === 'text')) return text(content);
  return content.map((part): CohereV2ContentPart =>
    part.type === 'text' ? { type: 'text', text: part.text } : { type: 'image_url', image_url: { url: part.url ?? `data:${part.mediaType};base64,${part.data}` } },
  );
}

function toWireToolCall(call: ToolCall): CohereV2WireToolCall {
  const args = call.rawArguments !== undefined && call.rawArguments !== '' ? call.rawArguments : JSON.stringify(call.arguments ?? {});
  return { id: call.id, type: 'function', function: { name: call.name, arguments: args } };
}

/**
 * Our messages → v2 `messages`. An assistant turn's reasoning goes back as its `tool_plan` when it
 * called tools (the plan is what we read as reasoning), else as a `thinking` part before the text.
 */
export function convertToCohereV2Messages(messages: readonly LLMMessage[], provider: string): CohereV2Message[] {
  return messages.map((message, position): CohereV2Message => {
    switch (message.role) {
      case 'system':
        return { role: 'system', content: text(message.content) };
      case 'user':
        return { role: 'user', content: userContent(message.content) };
      case 'assistant': {
        const answer = text(message.content);
        const reasoning = message.reasoning?.map((part) => part.text).join('') ?? '';
        if (message.toolCalls && message.toolCalls.length > 0) {
          return { role: 'assistant', ...(reasoning ? { tool_plan: reasoning } : {}), ...(answer ? { content: answer } : {}), tool_calls: message.toolCalls.map(toWireToolCall) };
        }
        if (reasoning === '') return { role: 'assistant', content: answer };
        return { role: 'assistant', content: [{ type: 'thinking', thinking: reasoning }, { type: 'text', text: answer }] };
      }
      case 'tool':
        if (!message.toolCallId) {
          throw new InvalidRequestError(`Message ${position} has role "tool" but no "toolCallId": ${provider} needs the id of the call it answers.`, { provider });
        }
        return { role: 'tool', tool_call_id: message.toolCallId, content: text(message.content) };
      default:
        throw new InvalidRequestError(`Message ${position} has an unknown role "${String((message as LLMMessage).role)}".`, { provider });
    }
  });
}

export function convertToCohereV2Tools(tools: readonly ToolSchema[]): CohereV2Tool[] {
  return tools.map((tool) => ({ type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.parameters } }));
}

/**
 * Cohere takes only `REQUIRED` and `NONE`: `auto` is its default (nothing sent), and one named tool
 * is forced by sending that tool alone with `REQUIRED`.
 */
export function convertToCohereV2ToolChoice(
  choice: ToolChoice | undefined,
  tools: readonly ToolSchema[],
): { readonly toolChoice?: 'REQUIRED' | 'NONE'; readonly tools: readonly ToolSchema[] } {
  if (choice === undefined || choice === 'auto') return { tools };
  if (choice === 'none') return { toolChoice: 'NONE', tools };
  if (choice === 'required') return { toolChoice: 'REQUIRED', tools };
  return { toolChoice: 'REQUIRED', tools: tools.filter((tool) => tool.name === choice.name) };
}
