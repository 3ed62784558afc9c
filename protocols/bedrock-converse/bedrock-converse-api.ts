// Bedrock Converse / ConverseStream wire types: lenient, only the fields we read or write.
// docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html

/** A point up to which Bedrock caches the prompt (`cachePoint`), where Anthropic uses `cache_control`. */
export interface BedrockCachePoint {
  readonly type: 'default';
  readonly ttl?: '5m' | '1h';
}

export type BedrockImageFormat = 'png' | 'jpeg' | 'gif' | 'webp';
export type BedrockDocumentFormat = 'pdf' | 'csv' | 'doc' | 'docx' | 'xls' | 'xlsx' | 'html' | 'txt' | 'md';

export interface BedrockImageBlock {
  readonly format: BedrockImageFormat;
  readonly source: { readonly bytes: string } | { readonly s3Location: { readonly uri: string } };
}

export interface BedrockDocumentBlock {
  readonly format: BedrockDocumentFormat;
  readonly name: string;
  readonly source: { readonly bytes: string };
}

export interface BedrockReasoningText {
  readonly text: string;
  readonly signature?: string;
}

export type BedrockToolResultContent =
  | { readonly text: string }
  | { readonly json: unknown }
  | { readonly image: BedrockImageBlock }
  | { readonly document: BedrockDocumentBlock };

/** One content block; exactly one key is set. */
export interface BedrockContentBlock {
  readonly text?: string;
  readonly image?: BedrockImageBlock;
  readonly document?: BedrockDocumentBlock;
  readonly toolUse?: { readonly toolUseId: string; readonly name: string; readonly input: unknown; readonly type?: string };
  readonly toolResult?: { readonly toolUseId: string; readonly content: readonly BedrockToolResultContent[]; readonly status?: 'success' | 'error' };
  readonly reasoningContent?: { readonly reasoningText?: BedrockReasoningText; readonly redactedContent?: string };
  readonly cachePoint?: BedrockCachePoint;
  readonly guardContent?: unknown;
}

export interface BedrockMessage {
  readonly role: 'user' | 'assistant';
  readonly content: BedrockContentBlock[];
}

export type BedrockSystemBlock = { readonly text: string } | { readonly cachePoint: BedrockCachePoint } | { readonly guardContent: unknown };

export type BedrockTool =
  | { readonly toolSpec: { readonly name: string; readonly description?: string; readonly inputSchema: { readonly json: Record<string, unknown> } } }
  | { readonly cachePoint: BedrockCachePoint };

export type BedrockToolChoice = { readonly auto: Record<string, never> } | { readonly any: Record<string, never> } | { readonly tool: { readonly name: string } };

export interface BedrockInferenceConfig {
  readonly maxTokens?: number;
  readonly temperature?: number;
  readonly topP?: number;
  readonly stopSequences?: readonly string[];
}

/** The body of `POST /model/{modelId}/converse` and `/converse-stream`. */
export interface BedrockConverseRequest {
  readonly messages: BedrockMessage[];
  readonly system?: BedrockSystemBlock[];
  readonly inferenceConfig?: BedrockInferenceConfig;
  readonly toolConfig?: { readonly tools: BedrockTool[]; readonly toolChoice?: BedrockToolChoice };
  readonly guardrailConfig?: Record<string, unknown>;
  readonly additionalModelRequestFields?: Record<string, unknown>;
  readonly [key: string]: unknown;
}

/** Usage as Bedrock reports it; `inputTokens` excludes cache reads and writes. */
export interface BedrockUsage {
  readonly inputTokens?: number;
  readonly outputTokens?: number;
  readonly totalTokens?: number;
  readonly cacheReadInputTokens?: number;
  readonly cacheWriteInputTokens?: number;
  // The same counters again under older names (converse-thinking.json has both).
  readonly cacheReadInputTokenCount?: number;
  readonly cacheWriteInputTokenCount?: number;
}

export interface BedrockConverseResponse {
  readonly output?: { readonly message?: { readonly role?: string; readonly content?: readonly BedrockContentBlock[] } };
  readonly stopReason?: string;
  readonly usage?: BedrockUsage;
  readonly metrics?: { readonly latencyMs?: number };
  readonly additionalModelResponseFields?: unknown;
  readonly trace?: unknown;
}

/** ConverseStream event payloads, by `:event-type`. Each also carries a random `p` padding field. */
export interface BedrockStreamPayloads {
  messageStart: { readonly role?: string };
  contentBlockStart: { readonly contentBlockIndex?: number; readonly start?: { readonly toolUse?: { readonly toolUseId?: string; readonly name?: string } } };
  contentBlockDelta: {
    readonly contentBlockIndex?: number;
    readonly delta?: {
      readonly text?: string;
      readonly toolUse?: { readonly input?: string };
      readonly reasoningContent?: { readonly text?: string; readonly signature?: string; readonly redactedContent?: string };
    };
  };
  contentBlockStop: { readonly contentBlockIndex?: number };
  messageStop: { readonly stopReason?: string; readonly additionalModelResponseFields?: unknown };
  metadata: { readonly usage?: BedrockUsage; readonly metrics?: { readonly latencyMs?: number }; readonly trace?: unknown };
}

/** One decoded event-stream message: its string headers and its payload bytes. */
export interface EventStreamMessage {
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Uint8Array;
}
