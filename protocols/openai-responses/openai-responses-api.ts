// Minimal, lenient wire types for the OpenAI Responses API (`POST /responses`): only the fields we map.

export type OpenAIResponsesInputContent =
  | { type: 'input_text'; text: string }
  | { type: 'input_image'; image_url: string; detail: 'auto' | 'low' | 'high' };

export type OpenAIResponsesInputItem =
  | { role: 'system' | 'assistant'; content: string }
  | { role: 'user'; content: string | OpenAIResponsesInputContent[] }
  | { type: 'function_call'; call_id: string; name: string; arguments: string }
  | { type: 'function_call_output'; call_id: string; output: string };

export interface OpenAIResponsesTool {
  type: 'function';
  name: string;
  description: string;
  parameters: Record<string, unknown>;
  strict?: boolean;
}

export interface OpenAIResponsesRequestBody {
  model: string;
  input: OpenAIResponsesInputItem[];
  tools?: OpenAIResponsesTool[];
  tool_choice?: 'auto' | 'none' | 'required' | { type: 'function'; name: string };
  parallel_tool_calls?: boolean;
  temperature?: number;
  top_p?: number;
  max_output_tokens?: number;
  reasoning?: { effort?: string };
  text?: { format: { type: 'json_object' } | { type: 'json_schema'; name: string; schema: Record<string, unknown>; strict?: boolean } };
  stream?: boolean;
  [extra: string]: unknown;
}

export interface OpenAIResponsesUsage {
  input_tokens?: number;
  output_tokens?: number;
  total_tokens?: number;
  input_tokens_details?: { cached_tokens?: number } | null;
  output_tokens_details?: { reasoning_tokens?: number } | null;
}

export interface OpenAIResponsesErrorObject {
  code?: string | null;
  type?: string | null;
  message?: string;
}

export interface OpenAIResponsesOutputItem {
  type?: string;
  id?: string;
  call_id?: string;
  name?: string;
  arguments?: string;
  content?: { type?: string; text?: string }[];
  summary?: { type?: string; text?: string }[];
  status?: string;
}

export interface OpenAIResponsesResponse {
  id?: string;
  model?: string;
  status?: string;
  error?: OpenAIResponsesErrorObject | null;
  incomplete_details?: { reason?: string } | null;
  output?: OpenAIResponsesOutputItem[];
  usage?: OpenAIResponsesUsage | null;
}

/** One streamed event; `type` repeats the SSE `event:` name. */
export interface OpenAIResponsesStreamEvent {
  type?: string;
  response?: OpenAIResponsesResponse;
  item?: OpenAIResponsesOutputItem;
  output_index?: number;
  item_id?: string;
  delta?: string;
  /** `response.function_call_arguments.done`: the whole arguments. */
  arguments?: string;
  /** `error` events: the error, nested (as recorded) or flat. */
  error?: OpenAIResponsesErrorObject;
  code?: string | null;
  message?: string;
}
