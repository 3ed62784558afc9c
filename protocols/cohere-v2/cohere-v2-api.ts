// Minimal, lenient wire types for Cohere's v2 chat and embed APIs: only the fields we map.

export type CohereV2ContentPart =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string }
  | { type: 'image_url'; image_url: { url: string } };

export interface CohereV2WireToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type CohereV2Message =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | CohereV2ContentPart[] }
  | { role: 'assistant'; content?: string | CohereV2ContentPart[]; tool_plan?: string; tool_calls?: CohereV2WireToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

export interface CohereV2Tool {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

export interface CohereV2RequestBody {
  model: string;
  messages: CohereV2Message[];
  tools?: CohereV2Tool[];
  tool_choice?: 'REQUIRED' | 'NONE';
  stream?: boolean;
  max_tokens?: number;
  temperature?: number;
  p?: number;
  stop_sequences?: string[];
  response_format?: { type: 'json_object'; json_schema?: Record<string, unknown> };
  thinking?: { type: 'enabled' | 'disabled'; token_budget?: number };
  strict_tools?: boolean;
  [extra: string]: unknown;
}

export interface CohereV2Usage {
  billed_units?: { input_tokens?: number | null; output_tokens?: number | null } | null;
  tokens?: { input_tokens?: number | null; output_tokens?: number | null; reasoning_tokens?: number | null } | null;
  cached_tokens?: number | null;
}

export interface CohereV2ToolCallFragment {
  id?: string | null;
  type?: string;
  function?: { name?: string | null; arguments?: string | null } | null;
}

export interface CohereV2Response {
  id?: string;
  message?: {
    role?: string;
    content?: { type?: string; text?: string | null; thinking?: string | null }[] | null;
    tool_plan?: string | null;
    tool_calls?: CohereV2ToolCallFragment[] | null;
    citations?: unknown[] | null;
  } | null;
  finish_reason?: string | null;
  usage?: CohereV2Usage | null;
}

/** One SSE event's `data` (`type` equals the event name). */
export interface CohereV2StreamEvent {
  type?: string;
  id?: string;
  index?: number;
  delta?: {
    message?: {
      content?: { type?: string; text?: string | null; thinking?: string | null } | null;
      tool_plan?: string | null;
      tool_calls?: CohereV2ToolCallFragment | null;
    } | null;
    finish_reason?: string | null;
    usage?: CohereV2Usage | null;
    error?: string | null;
  } | null;
}

export interface CohereV2EmbedResponse {
  id?: string;
  embeddings?: { float?: number[][] | null } | null;
  meta?: { billed_units?: { input_tokens?: number | null } | null } | null;
}
