import type { InferOptions, LLMMessage, ToolSchema } from '../../core/types.js';
import type { CohereV2RequestBody } from './cohere-v2-api.js';
import { convertToCohereV2Messages, convertToCohereV2ToolChoice, convertToCohereV2Tools } from './convert-to-cohere-v2-messages.js';

export interface CohereV2RequestSettings {
  readonly provider: string;
  readonly model: string;
  readonly stream: boolean;
  /** Used when the call sets no `maxTokens`. @default the server's default */
  readonly defaultMaxTokens?: number;
}

export interface CohereV2Request {
  readonly body: CohereV2RequestBody;
  /** Settings we could not send, in words: they end up in `metadata.warnings`. */
  readonly warnings: string[];
}

/** The `/v2/chat` body for one call. `wireFields['cohere-v2']` then `providerOptions` are merged last and win. */
export function buildCohereV2Request(messages: readonly LLMMessage[], tools: readonly ToolSchema[], options: InferOptions, settings: CohereV2RequestSettings): CohereV2Request {
  const warnings: string[] = [];
  const body: CohereV2RequestBody = { model: settings.model, messages: convertToCohereV2Messages(messages, settings.provider) };
  if (tools.length > 0) {
    const choice = convertToCohereV2ToolChoice(options.toolChoice, tools);
    if (choice.tools.length === 0) warnings.push(`toolChoice names a tool that was not given, so no tools were sent.`);
    else body.tools = convertToCohereV2Tools(choice.tools);
    if (choice.toolChoice !== undefined && choice.tools.length > 0) body.tool_choice = choice.toolChoice;
    if (options.parallelToolCalls === false) warnings.push('parallelToolCalls: false is not supported by Cohere and was not sent.');
  } else if (options.toolChoice !== undefined) {
    warnings.push('toolChoice was set but no tools were given, so it was not sent.');
  }
  if (options.temperature !== undefined) body.temperature = options.temperature;
  if (options.topP !== undefined) body.p = options.topP;
  if (options.stop !== undefined && options.stop.length > 0) body.stop_sequences = [...options.stop];
  const maxTokens = options.maxTokens ?? settings.defaultMaxTokens;
  if (maxTokens !== undefined) body.max_tokens = maxTokens;
  const format = options.responseFormat;
  if (format?.type === 'json') body.response_format = { type: 'json_object' };
  else if (format?.type === 'json_schema') body.response_format = { type: 'json_object', json_schema: format.schema };
  if (options.thinking !== undefined) {
    // Cohere takes a token budget, not an effort: an effort alone turns thinking on with the model's default budget.
    body.thinking = { type: 'enabled', ...(options.thinking.budgetTokens === undefined ? {} : { token_budget: options.thinking.budgetTokens }) };
  }
  if (options.logprobs) warnings.push('logprobs are not read from Cohere answers and were not requested; confidence is 1.');
  if (settings.stream) body.stream = true;
  const wireFields = options.wireFields?.['cohere-v2'];
  if (wireFields) for (const [key, value] of Object.entries(wireFields)) if (key !== '__proto__') body[key] = value;
  if (options.providerOptions) Object.assign(body, options.providerOptions);
  return { body, warnings };
}
