import type { InferOptions, LLMMessage, ToolChoice, ToolSchema } from '../../core/types.js';
import type { BedrockConverseRequest, BedrockInferenceConfig, BedrockSystemBlock, BedrockTool, BedrockToolChoice } from './bedrock-converse-api.js';
import { convertToBedrockConverseMessages } from './convert-to-bedrock-converse-messages.js';

export interface BedrockConverseRequestSettings {
  readonly provider: string;
  /** `maxTokens` when the call sets none. @default none (the model's own default) */
  readonly maxTokens?: number;
  /** Model-specific fields (thinking, reasoning effort), merged into `additionalModelRequestFields`. */
  readonly additionalModelRequestFields?: Readonly<Record<string, unknown>>;
  /** Put a `cachePoint` after the tool definitions, so they are cached too. @default false */
  readonly cacheTools?: boolean;
  /** The model takes `cachePoint` blocks; without, `cacheControl` is dropped with a warning. @default true */
  readonly promptCaching?: boolean;
  /** `guardrailConfig`, sent as is. */
  readonly guardrailConfig?: Readonly<Record<string, unknown>>;
}

export interface BedrockConverseRequestPlan {
  readonly body: BedrockConverseRequest;
  readonly warnings: string[];
}

/**
 * The Converse body for a call: messages, system, inference config, tools. `providerOptions` are
 * merged in last, so any Converse field can be set from a call.
 */
export function buildBedrockConverseRequest(
  messages: readonly LLMMessage[],
  tools: readonly ToolSchema[],
  options: InferOptions,
  settings: BedrockConverseRequestSettings,
): BedrockConverseRequestPlan {
  const prompt = convertToBedrockConverseMessages(messages, settings.provider, { cachePoints: settings.promptCaching ?? true });
  const warnings = prompt.warnings;
  let system = prompt.system;
  const format = options.responseFormat;
  if (format && format.type !== 'text') {
    // Converse has no JSON mode for every model: the instruction goes in the system prompt.
    const instruction =
      format.type === 'json_schema'
        ? `Answer with one JSON object that matches this JSON Schema, and nothing else: ${JSON.stringify(format.schema)}`
        : 'Answer with one JSON object, and nothing else.';
    system = [...(system ?? []), { text: instruction } satisfies BedrockSystemBlock];
    warnings.push(`${settings.provider}: Converse has no response_format; JSON output was asked for in the system prompt.`);
  }
  if (options.logprobs) warnings.push(`${settings.provider}: Converse returns no log-probabilities; \`logprobs\` was ignored.`);
  if (options.parallelToolCalls === false) warnings.push(`${settings.provider}: Converse cannot turn off parallel tool calls; \`parallelToolCalls: false\` was ignored.`);

  const inferenceConfig: { -readonly [K in keyof BedrockInferenceConfig]: BedrockInferenceConfig[K] } = {};
  const maxTokens = options.maxTokens ?? settings.maxTokens;
  if (maxTokens !== undefined) inferenceConfig.maxTokens = maxTokens;
  if (options.temperature !== undefined) inferenceConfig.temperature = options.temperature;
  if (options.topP !== undefined) inferenceConfig.topP = options.topP;
  if (options.stop && options.stop.length > 0) inferenceConfig.stopSequences = options.stop;

  const body: Record<string, unknown> = { messages: prompt.messages };
  if (system) body.system = system;
  if (Object.keys(inferenceConfig).length > 0) body.inferenceConfig = inferenceConfig;
  const toolConfig = buildToolConfig(tools, options.toolChoice, prompt.usesTools, settings, warnings);
  if (toolConfig) body.toolConfig = toolConfig;
  if (settings.guardrailConfig) body.guardrailConfig = settings.guardrailConfig;
  if (settings.additionalModelRequestFields && Object.keys(settings.additionalModelRequestFields).length > 0) {
    body.additionalModelRequestFields = { ...settings.additionalModelRequestFields };
  }
  if (options.providerOptions) Object.assign(body, options.providerOptions);
  return { body: body as BedrockConverseRequest, warnings };
}

function buildToolConfig(
  tools: readonly ToolSchema[],
  choice: ToolChoice | undefined,
  usesTools: boolean,
  settings: BedrockConverseRequestSettings,
  warnings: string[],
): BedrockConverseRequest['toolConfig'] {
  if (tools.length === 0) {
    if (usesTools) warnings.push(`${settings.provider}: the conversation holds tool calls but no tools were given; Bedrock rejects that, so pass the tools again.`);
    return undefined;
  }
  if (choice === 'none' && !usesTools) return undefined;
  const specs: BedrockTool[] = tools.map((tool) => ({ toolSpec: { name: tool.name, description: tool.description, inputSchema: { json: tool.parameters } } }));
  if (settings.cacheTools && (settings.promptCaching ?? true)) specs.push({ cachePoint: { type: 'default' } });
  if (choice === 'none') {
    // Tool blocks in the history require a toolConfig, and Converse has no "none".
    warnings.push(`${settings.provider}: Converse has no tool choice "none" and the conversation holds tool calls; the tools were sent with the model choosing.`);
    return { tools: specs };
  }
  const toolChoice = mapToolChoice(choice);
  return toolChoice ? { tools: specs, toolChoice } : { tools: specs };
}

function mapToolChoice(choice: ToolChoice | undefined): BedrockToolChoice | undefined {
  if (choice === undefined || choice === 'none') return undefined;
  if (choice === 'auto') return { auto: {} };
  if (choice === 'required') return { any: {} };
  return { tool: { name: choice.name } };
}
