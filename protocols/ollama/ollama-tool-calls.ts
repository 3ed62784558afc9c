import { parseToolArguments } from '../../core/tool-call-assembler.js';
import type { ToolCall } from '../../core/types.js';
import type { OllamaWireToolCall } from './ollama-api.js';

/**
 * Ollama sends each call whole, its arguments an object (some builds: a JSON string), and no id:
 * calls are numbered `ollama_call_<n>` in answer order (the agent makes ids unique across turns).
 */
export function convertOllamaToolCall(call: OllamaWireToolCall, position: number, provider: string): ToolCall {
  const name = call.function?.name ?? 'unknown';
  const id = `ollama_call_${position}`;
  const args = call.function?.arguments;
  if (typeof args === 'string') return parseToolArguments(name, id, args, provider);
  return parseToolArguments(name, id, args == null ? '' : JSON.stringify(args), provider);
}
