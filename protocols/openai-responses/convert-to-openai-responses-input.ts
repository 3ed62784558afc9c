import { InvalidRequestError } from '../../core/errors.js';
import type { ContentPart, InferOptions, LLMMessage, ToolSchema } from '../../core/types.js';
import type { OpenAIResponsesInputContent, OpenAIResponsesInputItem, OpenAIResponsesRequestBody } from './openai-responses-api.js';

export interface OpenAIResponsesRequestSettings {
  /** Provider name, in errors. */
  readonly provider: string;
  readonly model: string;
  readonly stream: boolean;
  readonly defaultMaxTokens?: number;
  /** Reasoning models reject `temperature` and `top_p`. */
  readonly reasoningModel: boolean;
}

export interface OpenAIResponsesRequest {
  readonly body: OpenAIResponsesRequestBody;
  /** Settings we could not honour as asked, for `metadata.warnings`. */
  readonly warnings: string[];
}

/** Our call → a Responses API body. Settings it cannot express become warnings. */
export function buildOpenAIResponsesRequest(
  messages: readonly LLMMessage[],
  tools: readonly ToolSchema[],
  options: InferOptions,
  settings: OpenAIResponsesRequestSettings,
): OpenAIResponsesRequest {
  const warnings: string[] = [];
  const { provider } = settings;
  const body: OpenAIResponsesRequestBody = { model: settings.model, input: messages.flatMap((message, position) => toInputItems(message, position, provider)) };
  if (tools.length > 0) {
    body.tools = tools.map((tool) => ({
      type: 'function',
      name: tool.name,
      description: tool.description,
      parameters: tool.parameters,
      ...(tool.strict === undefined ? {} : { strict: tool.strict }),
    }));
    if (options.toolChoice !== undefined) {
      body.tool_choice = typeof options.toolChoice === 'string' ? options.toolChoice : { type: 'function', name: options.toolChoice.name };
    }
    if (options.parallelToolCalls !== undefined) body.parallel_tool_calls = options.parallelToolCalls;
  }
  for (const [name, value, field] of [
    ['temperature', options.temperature, 'temperature'],
    ['topP', options.topP, 'top_p'],
  ] as const) {
    if (value === undefined) continue;
    if (settings.reasoningModel) warnings.push(`${name} is not supported by reasoning model ${settings.model} and was not sent.`);
    else body[field] = value;
  }
  if (options.stop !== undefined && options.stop.length > 0) warnings.push('stop sequences are not supported by the Responses API and were not sent.');
  if (options.logprobs) warnings.push('logprobs are not requested on the Responses API path; confidence is 1.');
  const maxTokens = options.maxTokens ?? settings.defaultMaxTokens;
  if (maxTokens !== undefined) body.max_output_tokens = maxTokens;
  if (options.thinking?.effort !== undefined) body.reasoning = { effort: options.thinking.effort };
  else if (options.thinking?.budgetTokens !== undefined) warnings.push('thinking.budgetTokens is not supported by the Responses API and was not sent; set thinking.effort instead.');
  const format = options.responseFormat;
  if (format?.type === 'json') body.text = { format: { type: 'json_object' } };
  if (format?.type === 'json_schema') {
    body.text = { format: { type: 'json_schema', name: format.name, schema: format.schema, ...(format.strict === undefined ? {} : { strict: format.strict }) } };
  }
  if (settings.stream) body.stream = true;
  if (options.providerOptions) Object.assign(body, options.providerOptions);
  return { body, warnings };
}

function toInputItems(message: LLMMessage, position: number, provider: string): OpenAIResponsesInputItem[] {
  switch (message.role) {
    case 'system':
      return [{ role: 'system', content: text(message.content, position, provider) }];
    case 'user':
      return [{ role: 'user', content: typeof message.content === 'string' ? message.content : message.content.map((part) => userPart(part, position, provider)) }];
    case 'assistant': {
      const items: OpenAIResponsesInputItem[] = [];
      const content = text(message.content, position, provider);
      if (content !== '') items.push({ role: 'assistant', content });
      for (const call of message.toolCalls ?? []) {
        items.push({ type: 'function_call', call_id: call.id, name: call.name, arguments: call.rawArguments || JSON.stringify(call.arguments ?? {}) });
      }
      return items;
    }
    case 'tool':
      if (!message.toolCallId) throw new InvalidRequestError(`Message ${position} has role "tool" but no "toolCallId".`, { provider });
      return [{ type: 'function_call_output', call_id: message.toolCallId, output: text(message.content, position, provider) }];
    default:
      throw new InvalidRequestError(`Message ${position} has an unknown role "${String((message as LLMMessage).role)}".`, { provider });
  }
}

function text(content: LLMMessage['content'], position: number, provider: string): string {
  if (typeof content === 'string') return content;
  return content
    .map((part) => {
      if (part.type === 'text') return part.text;
      throw new InvalidRequestError(`Message ${position} has an image part, but images are accepted only in user messages.`, { provider });
    })
    .join('');
}

function userPart(part: ContentPart, position: number, provider: string): OpenAIResponsesInputContent {
  if (part.type === 'text') return { type: 'input_text', text: part.text };
  const url = part.url ?? (part.data && part.mediaType ? `data:${part.mediaType};base64,${part.data}` : undefined);
  if (!url) throw new InvalidRequestError(`Message ${position} has an image part without "url", or "data" with "mediaType".`, { provider });
  return { type: 'input_image', image_url: url, detail: part.detail ?? 'auto' };
}
