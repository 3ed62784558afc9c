// Minimal, lenient wire types for the Chat Completions protocol: only the fields we map.
// Everything is optional because OpenAI-compatible servers omit, null out and add fields freely.

export type OpenAIChatContentPart =
  | { type: 'text'; text: string; cache_control?: { type: 'ephemeral'; ttl?: string } }
  | { type: 'image_url'; image_url: { url: string; detail?: 'auto' | 'low' | 'high' } };

export interface OpenAIChatWireToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type OpenAIChatMessage =
  | { role: 'system'; content: string | OpenAIChatContentPart[] }
  | { role: 'user'; content: string | OpenAIChatContentPart[] }
  | { role: 'assistant'; content: string | null; tool_calls?: OpenAIChatWireToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

export interface OpenAIChatTool {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown>; strict?: boolean };
}

export type OpenAIChatToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; function: { name: string } };

export type OpenAIChatResponseFormat =
  | { type: 'json_object' }
  | { type: 'json_schema'; json_schema: { name: string; schema: Record<string, unknown>; strict?: boolean } };

/** The request body. Provider extras (`reasoning`, `provider`, ...) arrive through `providerOptions`. */
export interface OpenAIChatRequestBody {
  model: string;
  messages: OpenAIChatMessage[];
  tools?: OpenAIChatTool[];
  tool_choice?: OpenAIChatToolChoice;
  parallel_tool_calls?: boolean;
  temperature?: number;
  top_p?: number;
  stop?: string[];
  max_tokens?: number;
  max_completion_tokens?: number;
  response_format?: OpenAIChatResponseFormat;
  reasoning_effort?: string;
  logprobs?: boolean;
  stream?: boolean;
  stream_options?: { include_usage: boolean };
  [extra: string]: unknown;
}

export interface OpenAIChatWireUsage {
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  total_tokens?: number | null;
  prompt_tokens_details?: { cached_tokens?: number | null; cache_write_tokens?: number | null } | null;
  completion_tokens_details?: { reasoning_tokens?: number | null } | null;
  /** OpenRouter: USD charged for this call. */
  cost?: number | null;
  /** OpenRouter: the call ran on the user's own provider key. */
  is_byok?: boolean | null;
  /** OpenRouter: the upstream provider's share of the cost. */
  cost_details?: Record<string, number | null> | null;
}

export interface OpenAIChatLogprobs {
  content?: { token?: string; logprob?: number | null }[] | null;
}

/** An error object inside a 200 body or a stream chunk (OpenRouter uses a numeric `code`). */
export interface OpenAIChatErrorObject {
  message?: string;
  code?: number | string | null;
  type?: string | null;
  metadata?: Record<string, unknown> | null;
}

export interface OpenAIChatWireToolCallFragment {
  index?: number;
  id?: string | null;
  type?: string;
  function?: { name?: string | null; arguments?: string | null } | null;
}

/**
 * A typed part of `content` (Mistral's reasoning answers): `thinking` holds reasoning, as parts or
 * text; `text` the answer. See fixture mistral/chat-completion-thinking-chunks.json.
 */
export interface OpenAIChatAnswerPart {
  type?: string;
  text?: string | null;
  thinking?: string | { type?: string; text?: string | null }[] | null;
}

/** `content` as servers send it: a string, or (Mistral with reasoning) an array of typed parts. */
export type OpenAIChatWireContent = string | OpenAIChatAnswerPart[] | null;

export interface OpenAIChatResponse {
  id?: string;
  model?: string;
  /** OpenRouter: the upstream provider that served the call. */
  provider?: string;
  choices?: {
    index?: number;
    message?: {
      content?: OpenAIChatWireContent;
      reasoning?: string | null;
      reasoning_content?: string | null;
      refusal?: string | null;
      tool_calls?: OpenAIChatWireToolCallFragment[] | null;
    } | null;
    finish_reason?: string | null;
    native_finish_reason?: string | null;
    logprobs?: OpenAIChatLogprobs | null;
  }[];
  usage?: OpenAIChatWireUsage | null;
  error?: OpenAIChatErrorObject | null;
  system_fingerprint?: string | null;
}

export interface OpenAIChatChunk {
  id?: string;
  object?: string;
  /** Set on streams of other protocols (the Responses API), which this transform refuses. */
  type?: string;
  model?: string;
  provider?: string;
  choices?: {
    index?: number;
    delta?: {
      content?: OpenAIChatWireContent;
      reasoning?: string | null;
      reasoning_content?: string | null;
      refusal?: string | null;
      tool_calls?: OpenAIChatWireToolCallFragment[] | null;
    } | null;
    finish_reason?: string | null;
    native_finish_reason?: string | null;
    logprobs?: OpenAIChatLogprobs | null;
  }[];
  usage?: OpenAIChatWireUsage | null;
  error?: OpenAIChatErrorObject | null;
}

export interface OpenAIEmbeddingResponse {
  data?: { index?: number; embedding?: number[] }[];
  model?: string;
  usage?: { prompt_tokens?: number; total_tokens?: number } | null;
}
