import type { InferOptions, LLMMessage, ToolSchema } from '../../core/types.js';
import type { OllamaChatRequestBody } from './ollama-api.js';
import { convertToOllamaMessages, convertToOllamaTools } from './convert-to-ollama-messages.js';

export interface OllamaRequestSettings {
  readonly provider: string;
  readonly model: string;
  readonly stream: boolean;
  /** Sent as `options.num_predict` when a call sets no `maxTokens`. @default the model's default */
  readonly defaultMaxTokens?: number;
  /** `keep_alive`: how long the model stays loaded, e.g. `"5m"`. @default the server's */
  readonly keepAlive?: string | number;
}

export interface OllamaRequest {
  readonly body: OllamaChatRequestBody;
  readonly warnings: string[];
}

/** The `/api/chat` body. `stream` is always sent: Ollama streams when it is missing. */
export function buildOllamaRequest(messages: readonly LLMMessage[], tools: readonly ToolSchema[], options: InferOptions, settings: OllamaRequestSettings): OllamaRequest {
  const warnings: string[] = [];
  const body: OllamaChatRequestBody = { model: settings.model, messages: convertToOllamaMessages(messages, settings.provider), stream: settings.stream };
  if (tools.length > 0) {
    if (options.toolChoice === 'none') warnings.push('toolChoice "none": Ollama has no tool choice, so no tools were sent.');
    else {
      body.tools = convertToOllamaTools(typeof options.toolChoice === 'object' ? tools.filter((tool) => tool.name === (options.toolChoice as { name: string }).name) : tools);
      if (options.toolChoice === 'required' || typeof options.toolChoice === 'object') warnings.push('Ollama cannot force a tool call: the tools were sent, the model may still answer in text.');
    }
  } else if (options.toolChoice !== undefined) {
    warnings.push('toolChoice was set but no tools were given, so it was not sent.');
  }
  const sampling: NonNullable<OllamaChatRequestBody['options']> = {};
  if (options.temperature !== undefined) sampling.temperature = options.temperature;
  if (options.topP !== undefined) sampling.top_p = options.topP;
  if (options.stop !== undefined && options.stop.length > 0) sampling.stop = [...options.stop];
  const maxTokens = options.maxTokens ?? settings.defaultMaxTokens;
  if (maxTokens !== undefined) sampling.num_predict = maxTokens;
  if (Object.keys(sampling).length > 0) body.options = sampling;
  const format = options.responseFormat;
  if (format?.type === 'json') body.format = 'json';
  else if (format?.type === 'json_schema') body.format = format.schema;
  // `think` is top-level (inside `options` the server ignores it, fixture SOURCES.md): an effort where given (gpt-oss), else on.
  if (options.thinking !== undefined) body.think = options.thinking.effort === undefined || options.thinking.effort === 'minimal' ? true : options.thinking.effort;
  if (options.logprobs) warnings.push('logprobs are not read from Ollama answers and were not requested; confidence is 1.');
  if (settings.keepAlive !== undefined) body.keep_alive = settings.keepAlive;
  const wireFields = options.wireFields?.ollama;
  if (wireFields) for (const [key, value] of Object.entries(wireFields)) if (key !== '__proto__') body[key] = value;
  if (options.providerOptions) Object.assign(body, options.providerOptions);
  return { body, warnings };
}
