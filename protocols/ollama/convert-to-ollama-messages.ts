import { InvalidRequestError } from '../../core/errors.js';
import type { ContentPart, LLMMessage, ToolSchema } from '../../core/types.js';
import type { OllamaMessage, OllamaTool } from './ollama-api.js';

function text(content: string | readonly ContentPart[]): string {
  return typeof content === 'string' ? content : content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

/** Ollama takes images as base64 only: a URL image is refused, naming the message. */
function images(content: string | readonly ContentPart[], position: number, provider: string): string[] | undefined {
  if (typeof content === 'string') return undefined;
  const found: string[] = [];
  for (const part of content) {
    if (part.type !== 'image') continue;
    if (part.data) found.push(part.data);
    else if (part.url?.startsWith('data:')) found.push(part.url.slice(part.url.indexOf(',') + 1));
    else throw new InvalidRequestError(`Message ${position} has an image by URL: ${provider} takes images as base64 data only; send \`data\` and \`mediaType\`.`, { provider });
  }
  return found.length > 0 ? found : undefined;
}

/** Tool calls go back with their arguments as an object, as Ollama sent them. */
export function convertToOllamaMessages(messages: readonly LLMMessage[], provider: string): OllamaMessage[] {
  return messages.map((message, position): OllamaMessage => {
    const content = text(message.content);
    switch (message.role) {
      case 'system':
        return { role: 'system', content };
      case 'user': {
        const attached = images(message.content, position, provider);
        return attached ? { role: 'user', content, images: attached } : { role: 'user', content };
      }
      case 'assistant': {
        const out: OllamaMessage = { role: 'assistant', content };
        const reasoning = message.reasoning?.map((part) => part.text).join('') ?? '';
        if (reasoning !== '') out.thinking = reasoning;
        if (message.toolCalls && message.toolCalls.length > 0) out.tool_calls = message.toolCalls.map((call) => ({ function: { name: call.name, arguments: call.arguments } }));
        return out;
      }
      case 'tool':
        return message.name ? { role: 'tool', content, tool_name: message.name } : { role: 'tool', content };
      default:
        throw new InvalidRequestError(`Message ${position} has an unknown role "${String((message as LLMMessage).role)}".`, { provider });
    }
  });
}

export function convertToOllamaTools(tools: readonly ToolSchema[]): OllamaTool[] {
  return tools.map((tool) => ({ type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.parameters } }));
}
