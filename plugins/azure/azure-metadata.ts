type FilterResults = Record<string, unknown>;

interface AzureChatBody {
  readonly prompt_filter_results?: unknown;
  readonly choices?: readonly { readonly content_filter_results?: FilterResults | null }[] | null;
}

/**
 * Azure's content-filter verdicts, kept in metadata: `promptFilterResults` (the prompt's, on a
 * non-streamed body or the stream's filter-only first chunk) and `contentFilterResults` (the
 * completion's, merged over a stream's chunks: most carry `{}`, a few a category).
 */
export function copyAzureFilterResults(body: object, metadata: Record<string, unknown>): void {
  const { prompt_filter_results: prompt, choices } = body as AzureChatBody;
  if (Array.isArray(prompt)) metadata.promptFilterResults = prompt;
  const results = choices?.[0]?.content_filter_results;
  if (results && typeof results === 'object' && Object.keys(results).length > 0) {
    metadata.contentFilterResults = { ...(metadata.contentFilterResults as FilterResults | undefined), ...results };
  }
}

/** The Responses API's `content_filters` array. */
export function copyAzureContentFilters(response: object, metadata: Record<string, unknown>): void {
  const filters = (response as { content_filters?: unknown }).content_filters;
  if (Array.isArray(filters)) metadata.contentFilters = filters;
}
