import { InvalidResponseError } from '../../core/errors.js';
import { requestJson, requestSse } from '../../core/http.js';
import { ManagedInferenceStream } from '../../core/inference-stream.js';
import { parseToolArguments } from '../../core/tool-call-assembler.js';
import type { InferOptions, InferenceOutput, InferenceStream, LLMMessage, OutputMetadata, StreamEvent, ToolCall, ToolSchema } from '../../core/types.js';
import type { OpenAIResponsesResponse } from './openai-responses-api.js';
import { buildOpenAIResponsesRequest } from './convert-to-openai-responses-input.js';
import { convertOpenAIResponsesUsage, errorFromResponsesError, mapOpenAIResponsesStatus, transformOpenAIResponsesStream } from './openai-responses-stream.js';

const PROVIDER = 'openai';

export interface OpenAIResponsesClientConfig {
  readonly baseURL: string;
  readonly headers: () => Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
  readonly defaultMaxTokens?: number;
  readonly isReasoningModel: (model: string) => boolean;
}

/** The minimal Responses API path (`api: 'responses'`): text, reasoning summaries, function calls, usage. */
export class OpenAIResponsesClient {
  /** Where requests go; worked out once, as every call sends to it. */
  readonly url: string;

  constructor(readonly config: OpenAIResponsesClientConfig) {
    this.url = `${config.baseURL.replace(/\/+$/, '')}/responses`;
  }

  private build(model: string, messages: readonly LLMMessage[], tools: readonly ToolSchema[], options: InferOptions, stream: boolean) {
    return buildOpenAIResponsesRequest(messages, tools, options, {
      model,
      stream,
      defaultMaxTokens: this.config.defaultMaxTokens,
      reasoningModel: this.config.isReasoningModel(model),
    });
  }

  async infer(model: string, messages: readonly LLMMessage[], tools: readonly ToolSchema[] = [], options: InferOptions = {}): Promise<InferenceOutput> {
    const headers = this.config.headers();
    const { body, warnings } = this.build(model, messages, tools, options, false);
    const response = await requestJson<OpenAIResponsesResponse>({
      provider: PROVIDER,
      url: this.url,
      headers,
      body,
      signal: options.signal,
      timeoutMs: options.timeoutMs ?? this.config.timeoutMs,
      apiKeyEnv: 'OPENAI_API_KEY',
    });
    const result = response.body;
    if (result?.error) throw errorFromResponsesError(result.error, 'returned an error object on HTTP 200', response.headers);
    if (!Array.isArray(result?.output)) {
      throw new InvalidResponseError(`openai answered /responses without an "output" array.`, { provider: PROVIDER, requestId: response.requestId });
    }
    let content = '';
    let reasoning = '';
    const toolCalls: ToolCall[] = [];
    for (const item of result.output) {
      if (item.type === 'message') for (const part of item.content ?? []) if (part.type === 'output_text') content += part.text ?? '';
      if (item.type === 'reasoning') for (const part of item.summary ?? []) reasoning += part.text ?? '';
      if (item.type === 'function_call') toolCalls.push(parseToolArguments(item.name ?? 'unknown', item.call_id ?? item.id ?? `call_${toolCalls.length}`, item.arguments, PROVIDER));
    }
    const metadata = {
      provider: PROVIDER,
      model: result.model ?? model,
      requestedModel: model,
      ...(response.requestId ? { requestId: response.requestId } : {}),
      ...(result.id ? { responseId: result.id } : {}),
      ...(result.status ? { rawFinishReason: result.status } : {}),
      ...(response.rateLimit ? { rateLimit: response.rateLimit } : {}),
      ...(warnings.length > 0 ? { warnings } : {}),
    } as OutputMetadata;
    return {
      content,
      ...(toolCalls.length > 0 ? { toolCalls } : {}),
      ...(reasoning !== '' ? { reasoning, reasoningParts: [{ text: reasoning }] } : {}),
      confidence: 1,
      tokenUsage: convertOpenAIResponsesUsage(result.usage),
      finishReason: mapOpenAIResponsesStatus(result, toolCalls.length > 0),
      metadata,
    };
  }

  inferStream(model: string, messages: readonly LLMMessage[], tools: readonly ToolSchema[] = [], options: InferOptions = {}): InferenceStream {
    const metadata: Record<string, unknown> = { provider: PROVIDER, model, requestedModel: model };
    return new ManagedInferenceStream(() => this.streamEvents(model, messages, tools, options, metadata), {
      provider: PROVIDER,
      model,
      metadata,
      signal: options.signal,
    });
  }

  private async *streamEvents(
    model: string,
    messages: readonly LLMMessage[],
    tools: readonly ToolSchema[],
    options: InferOptions,
    metadata: Record<string, unknown>,
  ): AsyncGenerator<StreamEvent> {
    const headers = this.config.headers();
    const { body, warnings } = this.build(model, messages, tools, options, true);
    if (warnings.length > 0) metadata.warnings = warnings;
    const response = await requestSse({
      provider: PROVIDER,
      url: this.url,
      headers,
      body,
      signal: options.signal,
      timeoutMs: options.timeoutMs ?? this.config.timeoutMs,
      apiKeyEnv: 'OPENAI_API_KEY',
    });
    if (response.requestId) metadata.requestId = response.requestId;
    if (response.rateLimit) metadata.rateLimit = response.rateLimit;
    yield* transformOpenAIResponsesStream(response.events, metadata, response.headers);
  }
}
