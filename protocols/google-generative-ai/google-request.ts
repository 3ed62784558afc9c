import type { InferOptions, LLMMessage, ResponseFormat, ToolSchema } from '../../core/types.js';
import type { GoogleGenerateContentRequest, GoogleGenerationConfig } from './google-api.js';
import { convertToGoogleMessages, convertToGoogleToolConfig, convertToGoogleTools } from './convert-to-google-messages.js';
import { googleThinkingConfig } from './google-thinking.js';

export interface GoogleRequestDefaults {
  /** For error messages. */
  readonly provider: string;
  readonly model: string;
  /** The backend's `maxTokens`, used when the call sets none. */
  readonly maxTokens: number | undefined;
  /** Vertex AI (Gemini 3): ask for streamed `partialArgs`. @default false */
  readonly streamFunctionCallArguments?: boolean;
}

export interface GoogleRequestPlan {
  readonly model: string;
  readonly body: GoogleGenerateContentRequest;
  /** Settings we could not honour as asked, for `metadata.warnings`. */
  readonly warnings: string[];
}

/** The generateContent body for one call (the same for streamed and plain calls: streaming is the URL's `:streamGenerateContent`). */
export function buildGoogleRequest(messages: readonly LLMMessage[], tools: readonly ToolSchema[], options: InferOptions, defaults: GoogleRequestDefaults): GoogleRequestPlan {
  const model = options.model ?? defaults.model;
  const prompt = convertToGoogleMessages(messages, defaults.provider);
  const warnings = [...prompt.warnings];
  const generationConfig: { -readonly [K in keyof GoogleGenerationConfig]: GoogleGenerationConfig[K] } = {};
  if (options.temperature !== undefined) generationConfig.temperature = options.temperature;
  if (options.topP !== undefined) generationConfig.topP = options.topP;
  const maxTokens = options.maxTokens ?? defaults.maxTokens;
  if (maxTokens !== undefined) generationConfig.maxOutputTokens = maxTokens;
  if (options.stop && options.stop.length > 0) generationConfig.stopSequences = [...options.stop];
  jsonMode(options.responseFormat, generationConfig);
  const thinkingConfig = googleThinkingConfig(model, options.thinking, warnings);
  if (thinkingConfig) generationConfig.thinkingConfig = thinkingConfig;
  if (options.logprobs) warnings.push('logprobs were not requested from Google, so confidence is 1.');
  if (options.parallelToolCalls === false && tools.length > 0) warnings.push('parallelToolCalls: false was not sent: Google has no setting for it.');

  const body: { -readonly [K in keyof GoogleGenerateContentRequest]: GoogleGenerateContentRequest[K] } = { contents: prompt.contents };
  if (prompt.systemInstruction) body.systemInstruction = prompt.systemInstruction;
  const googleTools = convertToGoogleTools(tools);
  if (googleTools) body.tools = googleTools;
  const toolConfig = convertToGoogleToolConfig(tools, options.toolChoice, defaults.streamFunctionCallArguments === true);
  if (toolConfig) body.toolConfig = toolConfig;
  if (Object.keys(generationConfig).length > 0) body.generationConfig = generationConfig;
  // A spread, not Object.assign: an own "__proto__" key (JSON-parsed) must stay a plain field.
  if (options.providerOptions) return { model, body: { ...body, ...options.providerOptions } as GoogleGenerateContentRequest, warnings };
  return { model, body, warnings };
}

/** JSON mode is `responseMimeType: application/json`; a schema goes in `responseJsonSchema` (full JSON Schema; `responseSchema` takes an OpenAPI subset). */
function jsonMode(format: ResponseFormat | undefined, config: { -readonly [K in keyof GoogleGenerationConfig]: GoogleGenerationConfig[K] }): void {
  if (!format || format.type === 'text') return;
  config.responseMimeType = 'application/json';
  if (format.type === 'json_schema') config.responseJsonSchema = format.schema;
}
