// Minimal, lenient wire types for Ollama's native API (/api/chat, /api/embed, /api/tags): only the fields we map.

export interface OllamaWireToolCall {
  function: { name: string; arguments: Record<string, unknown> | string; index?: number };
}

export interface OllamaMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  /** Base64 images, no `data:` prefix. */
  images?: string[];
  thinking?: string;
  tool_calls?: OllamaWireToolCall[];
  /** Tool turns: the tool's name. */
  tool_name?: string;
}

export interface OllamaTool {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

export interface OllamaChatRequestBody {
  model: string;
  messages: OllamaMessage[];
  tools?: OllamaTool[];
  /** Ollama streams unless told not to. */
  stream: boolean;
  format?: 'json' | Record<string, unknown>;
  think?: boolean | 'low' | 'medium' | 'high';
  options?: { temperature?: number; top_p?: number; stop?: string[]; num_predict?: number; [extra: string]: unknown };
  keep_alive?: string | number;
  [extra: string]: unknown;
}

/** One NDJSON line of a stream, or the whole answer with `stream: false`. */
export interface OllamaChatChunk {
  model?: string;
  created_at?: string;
  message?: { role?: string; content?: string | null; thinking?: string | null; tool_calls?: OllamaWireToolCall[] | null } | null;
  done?: boolean;
  done_reason?: string | null;
  prompt_eval_count?: number | null;
  eval_count?: number | null;
  total_duration?: number | null;
  load_duration?: number | null;
  prompt_eval_duration?: number | null;
  eval_duration?: number | null;
  /** A failure, in a line of its own or as the whole body. */
  error?: string | null;
}

export interface OllamaEmbedResponse {
  model?: string;
  embeddings?: number[][] | null;
  prompt_eval_count?: number | null;
}

export interface OllamaTagsResponse {
  models?: { name?: string; model?: string; size?: number; details?: { family?: string; parameter_size?: string } }[] | null;
}
