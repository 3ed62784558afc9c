// The Responses API as a server writes it (the gateway's direction): the response object, its output
// items and the streamed events. Stricter than `openai-responses-api.ts`, which reads what
// upstreams send: every field here is one OpenAI's clients (the openai SDK, the AI SDK) read.

export interface ResponsesUsage {
  readonly input_tokens: number;
  readonly input_tokens_details: { readonly cached_tokens: number };
  readonly output_tokens: number;
  readonly output_tokens_details: { readonly reasoning_tokens: number };
  readonly total_tokens: number;
}

export interface ResponsesOutputText {
  readonly type: 'output_text';
  readonly text: string;
  readonly annotations: readonly unknown[];
  readonly logprobs: readonly unknown[];
}

export interface ResponsesMessageItem {
  readonly type: 'message';
  readonly id: string;
  readonly status: 'in_progress' | 'completed' | 'incomplete';
  readonly role: 'assistant';
  readonly content: ResponsesOutputText[];
}

export interface ResponsesSummaryText {
  readonly type: 'summary_text';
  readonly text: string;
}

/** `encrypted_content` carries an Anthropic thinking signature (or a redacted block's data) so the turn can be replayed. */
export interface ResponsesReasoningItem {
  readonly type: 'reasoning';
  readonly id: string;
  readonly summary: ResponsesSummaryText[];
  encrypted_content?: string;
}

export interface ResponsesFunctionCallItem {
  readonly type: 'function_call';
  readonly id: string;
  readonly call_id: string;
  readonly name: string;
  arguments: string;
  status: 'in_progress' | 'completed';
}

export type ResponsesOutputItem = ResponsesMessageItem | ResponsesReasoningItem | ResponsesFunctionCallItem;

export interface ResponsesErrorObject {
  readonly code: string | null;
  readonly message: string;
}

/** The response object of `POST /v1/responses`, `GET /v1/responses/{id}` and the stream's lifecycle events. */
export interface ResponsesObject {
  readonly id: string;
  readonly object: 'response';
  readonly created_at: number;
  readonly status: 'in_progress' | 'completed' | 'incomplete' | 'failed';
  readonly error: ResponsesErrorObject | null;
  readonly incomplete_details: { readonly reason: string } | null;
  readonly instructions: string | null;
  readonly max_output_tokens: number | null;
  /** The backend name the client asked for. */
  readonly model: string;
  readonly output: readonly ResponsesOutputItem[];
  readonly parallel_tool_calls: boolean;
  readonly previous_response_id: string | null;
  readonly reasoning: { readonly effort: string | null; readonly summary: string | null };
  readonly store: boolean;
  readonly temperature: number | null;
  readonly text: { readonly format: Record<string, unknown> };
  readonly tool_choice: unknown;
  readonly tools: readonly unknown[];
  readonly top_p: number | null;
  readonly truncation: 'disabled';
  readonly usage: ResponsesUsage | null;
  readonly metadata: Record<string, unknown>;
  /** Not in OpenAI's schema: the call's USD cost, when the model's price is known. */
  readonly x_hyperagent_cost_usd?: number | null;
}

/** One streamed event: its `type` is also the SSE `event:` name. */
export interface ResponsesStreamEvent {
  readonly type: string;
  readonly sequence_number: number;
  readonly [field: string]: unknown;
}
