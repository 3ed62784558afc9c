// Minimal, lenient wire types for Google's generateContent API (the Gemini API and Vertex AI speak the
// same body): only the fields we send or map. Responses are read defensively, every field optional.

export interface GoogleInlineData {
  readonly mimeType: string;
  readonly data: string;
}

export interface GoogleFileData {
  readonly mimeType?: string;
  readonly fileUri: string;
}

export interface GoogleFunctionCall {
  readonly id?: string;
  readonly name?: string;
  readonly args?: Record<string, unknown>;
  /** Vertex `streamFunctionCallArguments`: the arguments arrive as JSON-path pieces over several chunks. */
  readonly partialArgs?: readonly GooglePartialArg[];
  readonly willContinue?: boolean;
}

export interface GooglePartialArg {
  /** e.g. `$.location`, `$.items[0].name`. */
  readonly jsonPath?: string;
  readonly stringValue?: string;
  readonly numberValue?: number;
  readonly boolValue?: boolean;
  readonly nullValue?: unknown;
  readonly willContinue?: boolean;
}

export interface GoogleFunctionResponse {
  readonly id?: string;
  readonly name: string;
  readonly response: Record<string, unknown>;
}

/** One part of a content: exactly one of text, inlineData, fileData, functionCall, functionResponse. */
export interface GooglePart {
  readonly text?: string;
  /** A thought summary (with `includeThoughts`). */
  readonly thought?: boolean;
  /** Opaque; must go back on the same part in the next request. */
  readonly thoughtSignature?: string;
  readonly inlineData?: GoogleInlineData;
  readonly fileData?: GoogleFileData;
  readonly functionCall?: GoogleFunctionCall;
  readonly functionResponse?: GoogleFunctionResponse;
}

export interface GoogleContent {
  readonly role?: 'user' | 'model' | string;
  readonly parts?: readonly GooglePart[];
}

export interface GoogleFunctionDeclaration {
  readonly name: string;
  readonly description?: string;
  /** Full JSON Schema (`parameters` takes only an OpenAPI subset). */
  readonly parametersJsonSchema?: Record<string, unknown>;
}

export interface GoogleTool {
  readonly functionDeclarations?: readonly GoogleFunctionDeclaration[];
  readonly [other: string]: unknown;
}

export type GoogleFunctionCallingMode = 'AUTO' | 'ANY' | 'NONE' | 'VALIDATED';

export interface GoogleToolConfig {
  readonly functionCallingConfig: {
    readonly mode: GoogleFunctionCallingMode;
    readonly allowedFunctionNames?: readonly string[];
    /** Vertex AI only (Gemini 3): stream the arguments as `partialArgs`. */
    readonly streamFunctionCallArguments?: boolean;
  };
}

export type GoogleThinkingLevel = 'minimal' | 'low' | 'medium' | 'high';

export interface GoogleThinkingConfig {
  readonly includeThoughts?: boolean;
  /** Gemini 2.5: tokens; 0 turns thinking off where the model allows it, -1 lets the model decide. */
  readonly thinkingBudget?: number;
  /** Gemini 3. */
  readonly thinkingLevel?: GoogleThinkingLevel;
}

export interface GoogleGenerationConfig {
  readonly temperature?: number;
  readonly topP?: number;
  readonly maxOutputTokens?: number;
  readonly stopSequences?: readonly string[];
  readonly responseMimeType?: string;
  /** OpenAPI-subset schema; set through `providerOptions` when wanted. */
  readonly responseSchema?: Record<string, unknown>;
  /** Full JSON Schema. */
  readonly responseJsonSchema?: Record<string, unknown>;
  readonly thinkingConfig?: GoogleThinkingConfig;
  readonly [other: string]: unknown;
}

export interface GoogleGenerateContentRequest {
  readonly contents: readonly GoogleContent[];
  readonly systemInstruction?: GoogleContent;
  readonly tools?: readonly GoogleTool[];
  readonly toolConfig?: GoogleToolConfig;
  readonly generationConfig?: GoogleGenerationConfig;
  readonly [extra: string]: unknown;
}

export interface GoogleModalityTokenCount {
  readonly modality?: string;
  readonly tokenCount?: number;
}

export interface GoogleUsageMetadata {
  readonly promptTokenCount?: number | null;
  readonly candidatesTokenCount?: number | null;
  readonly totalTokenCount?: number | null;
  /** Part of `promptTokenCount`. */
  readonly cachedContentTokenCount?: number | null;
  /** Apart from `candidatesTokenCount`; billed as output. */
  readonly thoughtsTokenCount?: number | null;
  /** Tool-use prompt tokens (e.g. search results), billed as input. */
  readonly toolUsePromptTokenCount?: number | null;
  readonly promptTokensDetails?: readonly GoogleModalityTokenCount[];
  readonly cacheTokensDetails?: readonly GoogleModalityTokenCount[];
  /** Vertex: `ON_DEMAND` / `PROVISIONED_THROUGHPUT`. */
  readonly trafficType?: string;
  readonly serviceTier?: string;
}

export interface GoogleSafetyRating {
  readonly category?: string;
  readonly probability?: string;
  readonly blocked?: boolean;
  readonly [other: string]: unknown;
}

export interface GoogleCandidate {
  readonly content?: GoogleContent;
  readonly finishReason?: string;
  readonly finishMessage?: string;
  readonly index?: number;
  readonly safetyRatings?: readonly GoogleSafetyRating[];
  readonly citationMetadata?: unknown;
  readonly groundingMetadata?: unknown;
  readonly avgLogprobs?: number;
}

export interface GooglePromptFeedback {
  readonly blockReason?: string;
  readonly blockReasonMessage?: string;
  readonly safetyRatings?: readonly GoogleSafetyRating[];
}

export interface GoogleGenerateContentResponse {
  readonly candidates?: readonly GoogleCandidate[];
  readonly promptFeedback?: GooglePromptFeedback;
  readonly usageMetadata?: GoogleUsageMetadata;
  readonly modelVersion?: string;
  readonly responseId?: string;
  readonly createTime?: string;
  /** An error object inside a stream. */
  readonly error?: GoogleErrorObject;
}

/** The Google RPC error envelope's inner object. */
export interface GoogleErrorObject {
  readonly code?: number;
  readonly message?: string;
  /** e.g. `RESOURCE_EXHAUSTED`, `INVALID_ARGUMENT`. */
  readonly status?: string;
  readonly details?: readonly ({ readonly '@type'?: string; readonly [field: string]: unknown })[];
}

export interface GoogleEmbedContentRequest {
  readonly model?: string;
  readonly content: GoogleContent;
  readonly taskType?: string;
  readonly outputDimensionality?: number;
}

export interface GoogleEmbedContentResponse {
  readonly embedding?: { readonly values?: readonly number[] };
}

export interface GoogleBatchEmbedContentsResponse {
  readonly embeddings?: readonly { readonly values?: readonly number[] }[];
}
